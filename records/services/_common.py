"""Shared helpers of the records services: the row lock, saving with history
(core.history.save_with_history: who and why), and field labels for the
messages a refusal shows."""
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone
from django.utils.text import capfirst

from core.history import save_with_history
from core.text import join_items
from records.models import HandoverItem, Record

REASON_MAX_LENGTH = Record._meta.get_field("return_reason").max_length
REMARKS_MAX_LENGTH = HandoverItem._meta.get_field("remarks").max_length


def _locked(record):
    """Re-read the record under a row lock, before any check."""
    return Record.objects.select_for_update().get(pk=record.pk)


def _save(record, reason, by=None):
    """Save a change of state."""
    record.status_changed_at = timezone.now()
    return _save_description(record, reason, by)


def _save_description(record, reason, by=None):
    """Save a change that leaves the state alone. The request middleware
    names the user too; services also run outside requests (imports,
    commands, tests), hence `by`."""
    return save_with_history(record, by=by, reason=reason)


def _label(name):
    return capfirst(Record._meta.get_field(name).verbose_name)


def _labels(names):
    return join_items(_label(name) for name in names)


def _field_error(name, messages):
    text = " ".join(messages)
    return text if name == NON_FIELD_ERRORS else f"{_label(name)}: {text}"
