"""A record's history as a reader sees it: who changed what, when and why,
with old and new values. simple-history keeps the rows; this module only
reads them."""
import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import DeletedObject

from core.history import reason_label

from records.models import Record
from records.models.choices import retention_label


class ChangeReason(models.TextChoices):
    """Reasons the records services write into history (core.history keeps
    the registry; each app adds its own reasons in its AppConfig.ready())."""

    SUBMITTED = "submitted", _("Submitted for filing")
    FILED = "filed", _("Received and filed")
    CHECKED_OUT = "checked_out", _("Handed out")
    CHECKED_IN = "checked_in", _("Taken back")
    DRAFTED = "drafted", _("Saved as a draft for filing")
    EDITED = "edited", _("Edited by the submitter")
    RETURNED = "returned", _("Returned to the submitter")
    RECEIVED_AS_COUNTED = "received_as_counted", _("Received and filed with the copies and pages counted on receipt")
    # Custody: lending (R-LEND-5) and the stocktake (R-INV-3) report a record lost.
    MARKED_MISSING = "marked_missing", _("Reported lost and marked missing")
    IMPORTED = "imported", _("Imported from a catalogue file")
    # Holds (records.services.holds): a frozen record is kept from weeding,
    # write-off and destruction until the hold is released.
    HOLD_PLACED = "hold_placed", _("Frozen: kept from weeding, write-off and destruction")
    HOLD_RELEASED = "hold_released", _("Hold released")
    # Disposition (records.services.disposition), called by the disposal app
    # when a list is approved or executed (R-DISP-1..3).
    RETENTION_EXTENDED = "retention_extended", _("Retention extended at appraisal")
    KEPT_PERMANENTLY = "kept_permanently", _("Kept permanently after appraisal")
    WEEDED = "weeded", _("Weeded out as having no lasting value")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out of the archive")
    DESTROYED = "destroyed", _("Destroyed")
    # Stocktake (records.services.inventory), called by the inventory app
    # (R-INV-1..3); the stocktake's own words follow in the history row.
    MOVED = "moved", _("Moved to another box")
    WRITTEN_OFF = "written_off", _("Written off the ledger")
    RESTORED_FOUND = "restored_found", _("Turned up and filed again")
    COPIES_ADDED = "copies_added", _("Copy made")


# Bookkeeping columns that change on every save and say nothing to a reader.
HISTORY_HIDDEN_FIELDS = {"id", "created_at", "updated_at", "status_changed_at"}
HISTORY_COMPUTED_FIELDS = (
    "archive_number",
    "retention_expires_on",
    "retention_extended_years",
    "disposition_reason",
    "transferred_to",
)
HISTORY_TYPE_LABELS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
def history_rows(record):
    """The record's history, newest first, each entry with the fields it
    changed against the entry before it (old → new, as a reader sees them)."""
    entries = list(record.history.select_related("history_user"))
    rows = []
    for index, entry in enumerate(entries):
        previous = entries[index + 1] if index + 1 < len(entries) else None
        rows.append(
            {
                "date": entry.history_date,
                "user": entry.history_user,
                "type": HISTORY_TYPE_LABELS.get(entry.history_type, entry.history_type),
                "reason": reason_label(entry.history_change_reason),
                "changes": _changes(entry, previous) if previous is not None else [],
            }
        )
    return rows


def _changes(entry, previous):
    delta = entry.diff_against(previous, excluded_fields=HISTORY_HIDDEN_FIELDS, foreign_keys_are_objs=True)
    changed = {change.field: (change.old, change.new) for change in delta.changes}
    # diff_against compares editable fields only; the archive number and the
    # retention end are set by services, and a reader wants to see them move.
    for name in HISTORY_COMPUTED_FIELDS:
        old, new = getattr(previous, name), getattr(entry, name)
        if old != new:
            changed[name] = (old, new)
    return [
        {
            "name": field.name,
            "field": field.verbose_name,
            "old": _display_value(field, changed[field.name][0]),
            "new": _display_value(field, changed[field.name][1]),
        }
        for field in Record._meta.fields
        if field.name in changed
    ]


def _display_value(field, value):
    if field.name == "retention_years":
        return retention_label(value)  # no value means permanent
    if isinstance(value, DeletedObject):
        # diff_against gives an empty foreign key as a "deleted" object.
        return None if value.pk is None else value
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    return value
