"""Writes of client files (R-CLIENT): the weekly review, timeline entries and
the log of every unmasking and export of client data."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clients import policies
from clients.models import ClientDataAccess, ClientEvent, DataAccessAction
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
