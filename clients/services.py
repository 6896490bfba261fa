"""Writes of client files (R-CLIENT): profiles and contacts entered in the
portal, the weekly review, timeline entries and the log of every unmasking
and export of client data."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clients import policies
from clients.models import Client, ClientContact, ClientDataAccess, ClientEvent, DataAccessAction
from clients.validators import CONTACT_VALIDATORS
from records.selectors import visible_records


def log_data_access(*, user, action, client=None, detail=""):
    return ClientDataAccess.objects.create(user=user, action=action, client=client, detail=detail[:200])


def reveal_personal_data(*, client, by):
    """R-CLIENT: unmasking is allowed to holders of clients.view_client_data
    and is logged with who, when and which client."""
    if not policies.may_see_personal_data(by):
        raise PermissionDenied
    log_data_access(user=by, action=DataAccessAction.UNMASK, client=client)


@transaction.atomic
def mark_reviewed(*, client, by, now=None):
    """R-CLIENT weekly upkeep; the save leaves a history row naming `by`."""
    if not policies.may_mark_reviewed(by, client):
        raise PermissionDenied
    client.last_reviewed_at = now or timezone.now()
    client.last_reviewed_by = by
    client._history_user = by
    client._change_reason = "reviewed"
    client.save(update_fields=["last_reviewed_at", "last_reviewed_by"])
    return client


@transaction.atomic
def add_event(*, client, by, kind, date, summary, record=None):
    """A timeline entry; a linked record must be one the recorder may see (R-LEND-4)."""
    if not policies.may_add_event(by):
        raise PermissionDenied
    if record is not None and not visible_records(by).filter(pk=record.pk).exists():
        raise ValidationError({"record": _("Select a record you may see.")})
    event = ClientEvent(client=client, kind=kind, date=date, summary=summary, record=record, recorded_by=by)
    event._history_user = by
    event.full_clean()
    event.save()
    return event


# --- Profiles and contacts entered in the portal (R-CLIENT) --------------------------------

PROFILE_FIELDS = ("code", "name", "client_type", "responsible", "gender", "age", "preferences", "notes", "is_active")
# The client number is fixed once given: the directory's spreadsheet is matched on it.
EDITABLE_PROFILE_FIELDS = tuple(name for name in PROFILE_FIELDS if name != "code")


def _check_field_names(fields, allowed):
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Not a field that can be set here: {', '.join(sorted(unknown))}")


@transaction.atomic
def create_client(*, by, **fields):
    """R-CLIENT: the archivist opens a client file. A client number left
    empty is given automatically (KH-00001); the history row names `by`."""
    if not policies.may_add_profile(by):
        raise PermissionDenied
    _check_field_names(fields, PROFILE_FIELDS)
    client = Client(**fields)
    client._history_user = by
    client.full_clean()
    client.save()
    return client


@transaction.atomic
def update_client(*, client, by, **fields):
    """R-CLIENT: the archivist keeps the profile up to date; the client
    number stays as given. The history row names `by`."""
    if not policies.may_edit_profile(by):
        raise PermissionDenied
    _check_field_names(fields, EDITABLE_PROFILE_FIELDS)
    client = Client.objects.select_for_update().get(pk=client.pk)
    for name, value in fields.items():
        setattr(client, name, value)
    client._history_user = by
    client.full_clean()
    client.save()
    return client


def _contact_data(*, name, position, phone, email, id_number):
    """Trimmed contact data, checked as R-CLIENT asks: a plausible phone
    number, an e-mail address, a resident ID number with a valid check code."""
    data = {
        "name": name.strip(),
        "position": position.strip(),
        "phone": phone.strip(),
        "email": email.strip(),
        "id_number": id_number.strip().upper(),
    }
    errors = {}
    for field, validate in CONTACT_VALIDATORS.items():
        if data[field]:
            try:
                validate(data[field])
            except ValidationError as exc:
                errors[field] = exc.messages
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def add_contact(*, client, by, name, position="", phone="", email="", id_number=""):
    """R-CLIENT: a contact added by the archivist or by the staff member
    responsible for the client. Personal data is stored encrypted; the
    history row names `by`."""
    if not policies.may_add_contact(by, client):
        raise PermissionDenied
    contact = ClientContact(
        client=client,
        **_contact_data(name=name, position=position, phone=phone, email=email, id_number=id_number),
    )
    contact._history_user = by
    contact.full_clean()
    contact.save()
    return contact


def open_contact_for_editing(*, contact, by):
    """R-CLIENT: the edit form shows the contact's personal data in clear, so
    opening it is an unmasking, logged with who, when and which contact."""
    if not policies.may_edit_contact(by):
        raise PermissionDenied
    log_data_access(
        user=by, action=DataAccessAction.UNMASK, client=contact.client,
        detail=_("Contact %(name)s (no. %(pk)d) opened for editing") % {"name": contact.name, "pk": contact.pk},
    )


@transaction.atomic
def update_contact(*, contact, by, name, position, phone, email, id_number, is_active):
    """R-CLIENT: contacts are corrected, never deleted; one who has left the
    client is marked not current (is_active=False). History names `by`."""
    if not policies.may_edit_contact(by):
        raise PermissionDenied
    contact = ClientContact.objects.select_for_update().get(pk=contact.pk)
    for field, value in _contact_data(
        name=name, position=position, phone=phone, email=email, id_number=id_number
    ).items():
        setattr(contact, field, value)
    contact.is_active = is_active
    contact._history_user = by
    contact.full_clean()
    contact.save()
    return contact
