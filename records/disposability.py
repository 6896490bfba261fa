"""What keeps a record from being struck off: weeded, transferred out or
destroyed (R-DISP-1..3).

Records knows its own reasons: an active hold (with its reason), a record
on loan or missing, a permanent retention. Apps above records know more (an
open loan request) and add a blocker in their AppConfig.ready():

    register_blocker(lending_blockers)

A blocker is `function(record_ids) -> {record_id: [reason, ...]}`, reading
all the ids at once: the year-end appraisal asks about every record due,
tens of thousands at a time, in a few queries per chunk of ids, never one
per record. Reasons are short translated phrases ("借出中", "永久保管")
shown after the archive number.

- blockers_for(record_ids): {record_id: [reasons]} of the blocked ones only.
- blockers_of(records): the same for records in hand (locked ones).
- refuse_if_blocked(record): RecordActionRefused naming the archive number
  and the reasons; the services call it after locking the record."""
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.text import join_clauses
from records.exceptions import RecordActionRefused
from records.models import Hold, Record, RecordStatus

# Ids per query: well under SQLite's limit of bound parameters.
CHUNK_SIZE = 5000

_blockers = {}


def register_blocker(function):
    """Add (or replace: ready() may run more than once) an app's blocker,
    `function(record_ids) -> {record_id: [reason, ...]}`."""
    _blockers[f"{function.__module__}.{function.__qualname__}"] = function
    return function


def unregister_blocker(function):
    _blockers.pop(f"{function.__module__}.{function.__qualname__}", None)


def blockers_for(record_ids):
    """{record_id: [reason, ...]} for each of `record_ids` that may not be
    struck off now, records' own reasons first; ids not blocked are absent."""
    ids = list(dict.fromkeys(record_ids))
    found = {}
    for start in range(0, len(ids), CHUNK_SIZE):
        chunk = ids[start : start + CHUNK_SIZE]
        rows = Record.objects.filter(pk__in=chunk).values_list("pk", "status", "retention_years")
        _merge(found, _own_reasons(chunk, rows))
        _merge(found, _registered_reasons(chunk))
    return found


def refuse_if_blocked(record):
    """Refuse (RecordActionRefused) to strike off `record` while anything
    keeps it: call it inside the transaction, after locking the record, so
    a loan or a hold that came meanwhile is seen. The record in hand is the
    locked one: its state is not read again."""
    reasons = blockers_of([record]).get(record.pk)
    if reasons:
        raise RecordActionRefused(blocked_message(record, reasons))


def blockers_of(records):
    """blockers_for of records in hand (locked by the caller: their state
    is not read again)."""
    records = list(records)
    found = {}
    ids = [record.pk for record in records]
    _merge(found, _own_reasons(ids, [(record.pk, record.status, record.retention_years) for record in records]))
    _merge(found, _registered_reasons(ids))
    return found


def blocked_message(record, reasons):
    """What refuse_if_blocked says of `record` kept for `reasons`."""
    return _("%(record)s cannot be weeded, transferred out or destroyed: %(reasons)s.") % {
        "record": record.archive_number or record,
        "reasons": join_clauses(reasons),
    }


def _own_reasons(ids, rows):
    """Records' reasons: active holds, then the record's state, then a
    permanent retention. `rows` are (id, status, retention_years)."""
    found = {}
    holds = Hold.objects.active().filter(record_id__in=ids).order_by("record_id", "placed_at", "pk")
    for record_id, reason in holds.values_list("record_id", "reason"):
        frozen = pgettext("why a record cannot be disposed of", "frozen: %(reason)s") % {"reason": reason}
        found.setdefault(record_id, []).append(frozen)
    for record_id, status, retention_years in rows:
        if status == RecordStatus.ON_LOAN:
            found.setdefault(record_id, []).append(pgettext("why a record cannot be disposed of", "on loan"))
        elif status == RecordStatus.MISSING:
            found.setdefault(record_id, []).append(pgettext("why a record cannot be disposed of", "missing"))
        if retention_years is None:
            found.setdefault(record_id, []).append(
                pgettext("why a record cannot be disposed of", "permanent retention")
            )
    return found


def _registered_reasons(ids):
    found = {}
    for function in list(_blockers.values()):
        _merge(found, function(ids))
    return found


def _merge(into, reasons_by_id):
    """Add reasons, each once per record (lending and records both say
    "on loan")."""
    for record_id, reasons in reasons_by_id.items():
        known = into.setdefault(record_id, [])
        known.extend(str(reason) for reason in reasons if str(reason) not in known)
