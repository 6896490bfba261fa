"""Writes of client files (R-CLIENT): profiles and contacts entered in the
portal, the weekly review, timeline entries and the log of every unmasking
and export of client data.

Each write locks the row it changes before its checks, refuses with
ClientRefused and saves through core.history.save_with_history, so the
history row names who acted and why."""
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clients import policies
from clients.exceptions import ClientRefused
from clients.models import Client, ClientContact, ClientDataAccess, ClientEvent, DataAccessAction
from clients.reasons import ClientReason
from clients.validators import CONTACT_VALIDATORS
from core.history import save_with_history
from records.selectors import visible_records


def client_data_access_log(*, user, action, client=None, detail=""):
    """R-CLIENT: who unmasked or exported client data, when, which client.
    The log is its own record (no history rows)."""
    return ClientDataAccess.objects.create(user=user, action=action, client=client, detail=detail[:200])


def client_data_reveal(*, client, by):
    """R-CLIENT: unmasking is allowed to holders of clients.view_client_data
    and is logged with who, when and which client."""
    if not policies.may_see_personal_data(by):
        raise ClientRefused(_("You may not see clients' personal data."))
    client_data_access_log(user=by, action=DataAccessAction.UNMASK, client=client)


def _locked_client(client):
    return Client.objects.select_for_update().get(pk=client.pk)


def _checked(obj):
    """The model's own checks as a refusal: the first error, on its field."""
    try:
        obj.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ClientRefused(messages[0], field=None if field == NON_FIELD_ERRORS else field) from None


@transaction.atomic
def client_mark_reviewed(*, client, by, now=None):
    """R-CLIENT weekly upkeep, by the archivist or the staff member
    responsible for the client; the history row names `by`."""
    client = _locked_client(client)
    if not policies.may_mark_reviewed(by, client):
        raise ClientRefused(
            _("Only the archivist or the staff member responsible for the client can mark it reviewed.")
        )
    client.last_reviewed_at = now or timezone.now()
    client.last_reviewed_by = by
    return save_with_history(
        client, by=by, reason=ClientReason.REVIEWED, update_fields=["last_reviewed_at", "last_reviewed_by"]
    )


@transaction.atomic
def client_event_add(*, client, by, kind, date, summary, record=None):
    """A timeline entry; a linked record must be one the recorder may see (R-LEND-4)."""
    client = _locked_client(client)
    if not policies.may_add_event(by):
        raise ClientRefused(_("You may not add events to client timelines."))
    if record is not None and not visible_records(by).filter(pk=record.pk).exists():
        raise ClientRefused(_("Select a record you may see."), field="record")
    event = ClientEvent(client=client, kind=kind, date=date, summary=summary, record=record, recorded_by=by)
    _checked(event)
    return save_with_history(event, by=by)


# --- Profiles and contacts entered in the portal (R-CLIENT) --------------------------------

PROFILE_FIELDS = ("code", "name", "client_type", "responsible", "gender", "age", "preferences", "notes", "is_active")
# The client number is fixed once given: the directory's spreadsheet is matched on it.
EDITABLE_PROFILE_FIELDS = tuple(name for name in PROFILE_FIELDS if name != "code")


def _check_field_names(fields, allowed):
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Not a field that can be set here: {', '.join(sorted(unknown))}")


@transaction.atomic
def client_create(*, by, **fields):
    """R-CLIENT: the archivist opens a client file. A client number left
    empty is given automatically (KH-00001); the history row names `by`."""
    if not policies.may_add_profile(by):
        raise ClientRefused(_("Only the archivist can open client files."))
    _check_field_names(fields, PROFILE_FIELDS)
    client = Client(**fields)
    _checked(client)
    return save_with_history(client, by=by)


@transaction.atomic
def client_update(*, client, by, **fields):
    """R-CLIENT: the archivist keeps the profile up to date; the client
    number stays as given. The history row names `by`."""
    _check_field_names(fields, EDITABLE_PROFILE_FIELDS)
    client = _locked_client(client)
    if not policies.may_edit_profile(by):
        raise ClientRefused(_("Only the archivist can change client profiles."))
    for name, value in fields.items():
        setattr(client, name, value)
    _checked(client)
    return save_with_history(client, by=by)


def _contact_data(*, name, position, phone, email, id_number):
    """Trimmed contact data, checked as R-CLIENT asks: a plausible phone
    number, an e-mail address, a resident ID number with a valid check code.
    The forms run the same checks; this is the safety net."""
    data = {
        "name": name.strip(),
        "position": position.strip(),
        "phone": phone.strip(),
        "email": email.strip(),
        "id_number": id_number.strip().upper(),
    }
    for field, validate in CONTACT_VALIDATORS.items():
        if data[field]:
            try:
                validate(data[field])
            except ValidationError as error:
                raise ClientRefused(error.messages[0], field=field) from None
    return data


@transaction.atomic
def contact_add(*, client, by, name, position="", phone="", email="", id_number=""):
    """R-CLIENT: a contact added by the archivist or by the staff member
    responsible for the client. Personal data is stored encrypted; the
    history row names `by`."""
    client = _locked_client(client)
    if not policies.may_add_contact(by, client):
        raise ClientRefused(
            _("Only the archivist or the staff member responsible for the client can add its contacts.")
        )
    contact = ClientContact(
        client=client,
        **_contact_data(name=name, position=position, phone=phone, email=email, id_number=id_number),
    )
    _checked(contact)
    return save_with_history(contact, by=by)


def contact_open_for_editing(*, contact, by):
    """R-CLIENT: the edit form shows the contact's personal data in clear, so
    opening it is an unmasking, logged with who, when and which contact."""
    if not policies.may_edit_contact(by):
        raise ClientRefused(_("You may not change client contacts."))
    client_data_access_log(
        user=by, action=DataAccessAction.UNMASK, client=contact.client,
        detail=_("Contact %(name)s (no. %(pk)d) opened for editing") % {"name": contact.name, "pk": contact.pk},
    )


@transaction.atomic
def contact_update(*, contact, by, name, position, phone, email, id_number, is_active):
    """R-CLIENT: contacts are corrected, never deleted; one who has left the
    client is marked not current (is_active=False). History names `by`."""
    contact = ClientContact.objects.select_for_update().get(pk=contact.pk)
    if not policies.may_edit_contact(by):
        raise ClientRefused(_("You may not change client contacts."))
    for field, value in _contact_data(
        name=name, position=position, phone=phone, email=email, id_number=id_number
    ).items():
        setattr(contact, field, value)
    contact.is_active = is_active
    _checked(contact)
    return save_with_history(contact, by=by)
