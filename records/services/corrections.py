"""Corrections of a record on the books (R-FILE-3): only the archivist, only
descriptive fields, always with a reason history keeps beside the old and
new values."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.text import join_items
from records import policies
from records.exceptions import RecordActionRefused
from records.models import LocationKind, Medium, Record
from records.services._common import _label, _labels, _locked, _save_description


@transaction.atomic
def record_correct(*, record, by, changes, reason):
    """Correct the description of a record on the books: only the
    archivist, only descriptive fields, always with a reason that history
    keeps beside the old and new values (R-FILE-3: nobody writes on a filed
    original). Class, year and retention are part of the archive number
    (R-FILE-5) and are never corrected."""
    reason = (reason or "").strip()
    record = _locked(record)
    if not policies.may_correct(by, record):
        raise RecordActionRefused(
            _("Only the archivist can correct a record on the books; this one is %(status)s.")
            % {"status": record.get_status_display()}
        )
    _check_fields_open_to_correction(changes)
    if not reason:
        raise RecordActionRefused(_("Reason for the correction: say why the description changes."))
    effective = _clean_correction(record, changes)
    if not effective:
        raise RecordActionRefused(_("Nothing to correct: the values are the ones already recorded."))
    for name, value in effective.items():
        setattr(record, name, value)
    # The reason is the archivist's own words, kept verbatim in history.
    return _save_description(record, reason, by)


def _check_fields_open_to_correction(changes):
    numbered = [name for name in changes if name in policies.NUMBERED_FIELDS]
    if numbered:
        raise RecordActionRefused(
            _("%(fields)s: part of the archive number, so not open to correction.") % {"fields": _labels(numbered)}
        )
    refused = policies.refused_correction_fields(changes)
    if refused:
        raise RecordActionRefused(
            _("These fields cannot be corrected: %(fields)s.") % {"fields": join_items(refused)}
        )


def _clean_correction(record, changes):
    """The changes that really change something, each value checked as the
    model checks it; refuses with a message naming the field."""
    effective = {}
    for name, value in changes.items():
        if name == "location":
            _check_corrected_location(record, value, changes)
            if (value.pk if value else None) != record.location_id:
                effective[name] = value
            continue
        value = _clean_value(record, name, value)
        if getattr(record, name) != value:
            effective[name] = value
    return effective


def _check_corrected_location(record, value, changes):
    if value is None:
        if changes.get("medium", record.medium) != Medium.ELECTRONIC:
            raise RecordActionRefused(_("Location: a record on paper needs the box it is kept in."))
    elif value.kind != LocationKind.BOX or not value.is_active:
        raise RecordActionRefused(_("Location: %(location)s is not a box in use.") % {"location": value})


def _clean_value(record, name, value):
    try:
        value = Record._meta.get_field(name).clean(value, record)
    except ValidationError as exc:
        raise RecordActionRefused(
            _("%(field)s: %(error)s") % {"field": _label(name), "error": " ".join(exc.messages)}
        ) from None
    if name == "copies" and value < 1:
        raise RecordActionRefused(_("%(field)s: at least one.") % {"field": _label(name)})
    return value
