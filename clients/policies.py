"""Who may do what with client files, and how personal data is masked
(R-CLIENT). Views and services ask these; they ask permissions, never roles.
What a contact's data must look like is in clients.validators."""


def may_view_clients(user):
    return user.is_authenticated and user.has_perm("clients.view_client")


def may_see_personal_data(user):
    """Unmasked phone numbers, e-mails and ID numbers, on explicit request."""
    return may_view_clients(user) and user.has_perm("clients.view_client_data")


def may_mark_reviewed(user, client):
    """The weekly upkeep: the archivist (who edits client files) or the staff
    member responsible for the client."""
    return may_view_clients(user) and (user.has_perm("clients.change_client") or client.responsible_id == user.pk)


def may_add_event(user):
    return may_view_clients(user) and user.has_perm("clients.add_clientevent")


def may_add_profile(user):
    """R-CLIENT: the archivist opens client files in the portal."""
    return may_view_clients(user) and user.has_perm("clients.add_client")


def may_edit_profile(user):
    """R-CLIENT: the archivist keeps client profiles up to date."""
    return may_view_clients(user) and user.has_perm("clients.change_client")


def may_add_contact(user, client):
    """R-CLIENT: the archivist, or the staff member responsible for the client
    (marketing staff meet the contacts). Staff without
    clients.view_client_data see what they entered masked afterwards."""
    return may_view_clients(user) and (
        user.has_perm("clients.add_clientcontact") or client.responsible_id == user.pk
    )


def may_edit_contact(user):
    """R-CLIENT: the edit form shows personal data in clear, so editing needs
    clients.view_client_data besides clients.change_clientcontact (and
    opening the form is logged)."""
    return may_see_personal_data(user) and user.has_perm("clients.change_clientcontact")


def mask_phone(value):
    """13812345678 -> 138****5678."""
    if not value:
        return ""
    digits = str(value)
    if len(digits) <= 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_email(value):
    """zhang@example.com -> z***@example.com."""
    if not value:
        return ""
    local, at, domain = str(value).partition("@")
    if not at:
        return local[:1] + "***"
    return f"{local[:1]}***@{domain}"


def mask_id_number(value):
    """110101199001011234 -> 1101**********1234."""
    if not value:
        return ""
    text = str(value)
    if len(text) <= 8:
        return "*" * len(text)
    return text[:4] + "*" * (len(text) - 8) + text[-4:]
