"""Why a record may not be listed, or may no longer be carried out as
listed: one place for the screens (shown apart, with the reason) and the
services (refused, naming the archive number). Every function reads many
records at once, in chunks of ids, never one query per record: the
year-end appraisal asks about tens of thousands.

A record is listable when it is on the shelf (weeding: FILED, R-DISP-1;
appraisal: FILED, or WEEDED and waiting for destruction, R-DISP-2), an
appraisal's record is due (its retention ends by 31 December of the list's
year), nothing keeps it (records.disposability.blockers_for: a hold, a
loan or an open request, missing, permanent) and it is on no other open
list. A listed record is checked again at every step under its row lock: a
record lent, put on hold or changed since it was listed is refused."""
import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.utils.translation import pgettext

from core.text import join_clauses, join_items
from disposal.models import ItemAction, ListItem, ListKind
from records.disposability import blockers_for
from records.models import Record, RecordStatus

# Ids per query: well under SQLite's limit of bound parameters.
CHUNK_SIZE = 5000
# A refusal names at most this many records; the rest are counted (the
# refusal's `problems` hold them all).
NAMED_AT_MOST = 200

LISTABLE_STATES = {
    ListKind.WEEDING: (RecordStatus.FILED,),
    ListKind.APPRAISAL: (RecordStatus.FILED, RecordStatus.WEEDED),
}
# Kept from listing by records' own reasons (blockers_for says why).
BLOCKED_STATES = (RecordStatus.ON_LOAN, RecordStatus.MISSING)


def chunks(ids, size=CHUNK_SIZE):
    ids = list(ids)
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def end_of_year(year):
    return datetime.date(year, 12, 31)


def lock_records(record_ids):
    """{pk: Record} of `record_ids`, each row locked (select_for_update, in
    primary-key order so that two steps never wait for each other; on
    SQLite the IMMEDIATE transaction already keeps other writers out)."""
    found = {}
    for chunk in chunks(sorted(set(record_ids))):
        for record in Record.objects.select_for_update().filter(pk__in=chunk).order_by("pk"):
            found[record.pk] = record
    return found


def open_items_of(record_ids, *, exclude_list_id=None):
    """{record_id: list number} of the records on an open item (not struck
    off, not carried out) of a list other than the one `exclude_list_id`
    names."""
    found = {}
    for chunk in chunks(record_ids):
        items = ListItem.objects.filter(record_id__in=chunk, struck_off=False, carried_out_at__isnull=True)
        if exclude_list_id is not None:
            items = items.exclude(disposal_list_id=exclude_list_id)
        found.update(items.values_list("record_id", "disposal_list__number"))
    return found


def _state_problem(disposal_list, record):
    if record.status in BLOCKED_STATES:
        return None  # blockers_for names it
    if record.status not in LISTABLE_STATES[disposal_list.kind]:
        return pgettext("why a record cannot be listed", "%(status)s, not on the shelf") % {
            "status": record.get_status_display()
        }
    return None


def _due_problem(disposal_list, record):
    """Appraisal (R-DISP-2): due when its retention ends by the end of the
    list's year; a weeded record is due whatever its retention."""
    if disposal_list.kind != ListKind.APPRAISAL or record.status == RecordStatus.WEEDED:
        return None
    ends = record.retention_expires_on
    if ends is not None and ends > end_of_year(disposal_list.year):
        return pgettext("why a record cannot be listed", "kept until %(date)s, after the end of %(year)d") % {
            "date": ends.isoformat(),
            "year": disposal_list.year,
        }
    return None


def action_problem(record, action):
    """A weeded record has no lasting value (R-DISP-1): it is only destroyed."""
    if record.status == RecordStatus.WEEDED and action != ItemAction.DESTROY:
        return pgettext("why a record cannot be listed", "weeded: it can only be destroyed")
    return None


def listing_problems(disposal_list, records, *, action=None):
    """{record_id: [reasons]} of `records` (Record objects, read under lock
    by the caller) that may not be put on `disposal_list` (a list, or
    anything with its kind, year and pk: None for a list to come); the
    listable ones are absent."""
    records = list(records)
    ids = [record.pk for record in records]
    blocked = blockers_for(ids)
    elsewhere = open_items_of(ids, exclude_list_id=disposal_list.pk)
    problems = {}
    for record in records:
        reasons = [
            reason
            for reason in (
                _state_problem(disposal_list, record),
                _due_problem(disposal_list, record),
                action_problem(record, action) if action else None,
            )
            if reason
        ]
        reasons.extend(blocked.get(record.pk, []))
        if record.pk in elsewhere:
            reasons.append(
                pgettext("why a record cannot be listed", "already on list %(number)s") % {"number": elsewhere[record.pk]}
            )
        if reasons:
            problems[record.pk] = reasons
    return problems


def changed_since_listed(item, record):
    """Lent and returned, corrected, its retention or state changed: the
    record is no longer what was listed and approved."""
    return record.updated_at != item.listed_record_updated_at or record.status != item.listed_status


def recheck_problems(items, records_by_id, *, today=None):
    """{record_id: [reasons]} of the live `items` whose record may no longer
    be carried out as listed: blocked now (records.disposability), changed
    since listed, and for a destruction on `today` (given at execution
    only), still within its retention."""
    blocked = blockers_for(records_by_id.keys())
    problems = {}
    for item in items:
        record = records_by_id[item.record_id]
        reasons = list(blocked.get(record.pk, []))
        if changed_since_listed(item, record):
            reasons.append(pgettext("why a record cannot be disposed of", "changed since it was listed"))
        if today is not None and _kept_until(item, record, today):
            reasons.append(_kept_until(item, record, today))
        if reasons:
            problems[record.pk] = reasons
    return problems


def _kept_until(item, record, today):
    """A record is destroyed only once its retention is over (R-DISP-2);
    a weeded record has no lasting value and waits for nothing."""
    if item.action != ItemAction.DESTROY or record.status == RecordStatus.WEEDED:
        return None
    ends = record.retention_expires_on
    if ends is not None and ends >= today:
        return pgettext("why a record cannot be disposed of", "kept until %(date)s") % {"date": ends.isoformat()}
    return None


def describe_problems(problems, numbers):
    """'J001-…: on loan; J002-…: frozen: dispute, changed since it was
    listed' for a refusal: at most NAMED_AT_MOST records named, the others
    counted. `numbers` maps record ids to archive numbers."""
    ids = sorted(problems, key=lambda pk: numbers.get(pk) or "")
    named = [
        _("%(record)s: %(reasons)s") % {"record": numbers.get(pk) or pk, "reasons": join_items(problems[pk])}
        for pk in ids[:NAMED_AT_MOST]
    ]
    text = join_clauses(named)
    rest = len(ids) - NAMED_AT_MOST
    if rest > 0:
        text = ngettext(
            "%(named)s … and %(count)d more record", "%(named)s … and %(count)d more records", rest
        ) % {"named": text, "count": rest}
    return text
