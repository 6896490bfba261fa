"""Receiving a handover (交接单): several submitted items of one person,
counted and checked by the archivist and filed together, all or nothing
(R-FILE-3, R-FILE-5)."""
from typing import Any, NamedTuple

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.history import save_with_history
from records import policies
from records.exceptions import RecordActionRefused
from records.history import ChangeReason
from records.models import Handover, HandoverItem, LocationKind, Medium, Record, RecordStatus
from records.numbering import allocate_handover_number
from records.services._common import REMARKS_MAX_LENGTH
from records.services.filing import _file_locked


class ReceivedItem(NamedTuple):
    """What the archivist found when counting one item of a handover."""

    record: Record
    copies_received: int
    pages_received: int
    format_ok: bool = True
    remarks: str = ""
    location: Any = None


class _PreparedItem(NamedTuple):
    """A received item checked under the lock, ready to be filed."""

    item: ReceivedItem
    record: Record
    remarks: str
    reason: str


@transaction.atomic
def handover_receive(*, by, items, notes=""):
    """Receive several submitted items from one person as one handover
    (交接单) and file each of them with its archive number and box, all or
    nothing (R-FILE-3, R-FILE-5).

    `items` are ReceivedItem values (or tuples in its order). The archivist
    counts copies and pages: where they differ from the submission the item
    is filed as counted, its copies and pages become the counted ones and
    the remark says what was submitted; an item that should not be filed as
    counted is returned instead (record_return). An item whose format is not
    right needs a remark saying what is wrong."""
    if not policies.may_receive(by):
        raise RecordActionRefused(_("Only the archivist can receive items for filing."))
    items = _listed_once([ReceivedItem(*item) for item in items])
    locked = _lock_items_of_one_submitter(items)
    prepared = [_prepare_item(item, locked[item.record.pk]) for item in items]
    handover = _create_handover(by=by, handed_over_by=prepared[0].record.submitted_by, notes=notes)
    for entry in prepared:
        _file_received_item(handover, entry, by=by)
    return handover


def _listed_once(items):
    """At least one item, none of them twice."""
    if not items:
        raise RecordActionRefused(_("Choose at least one item to receive."))
    pks = [item.record.pk for item in items]
    if len(set(pks)) != len(pks):
        raise RecordActionRefused(_("An item is listed twice in this handover."))
    return items


def _lock_items_of_one_submitter(items):
    """The items' records, locked, by pk; refuses items of several people
    (a handover is between two people, R-FILE-3)."""
    pks = [item.record.pk for item in items]
    # Lock in a fixed order so that two receipts cannot deadlock.
    records = Record.objects.select_for_update().select_related("category").filter(pk__in=pks).order_by("pk")
    locked = {record.pk: record for record in records}
    submitters = {locked[pk].submitted_by_id for pk in pks}
    if len(submitters) != 1 or None in submitters:
        raise RecordActionRefused(
            _("A handover holds items from one person only; receive each person's items separately.")
        )
    return locked


def _prepare_item(item, record):
    """Check one counted item and say how it is filed: the remarks it keeps
    and the reason its history gives."""
    _check_received_item(item, record)
    remarks = (item.remarks or "").strip()
    reason = ChangeReason.FILED
    if policies.counts_differ(record, item.copies_received, item.pages_received):
        remarks = " ".join(part for part in (_count_remark(record, item), remarks) if part)
        reason = ChangeReason.RECEIVED_AS_COUNTED
    if len(remarks) > REMARKS_MAX_LENGTH:
        raise RecordActionRefused(
            _("Remarks on «%(title)s»: at most %(max)d characters.")
            % {"title": record.title, "max": REMARKS_MAX_LENGTH}
        )
    return _PreparedItem(item, record, remarks, reason)


def _check_received_item(item, record):
    """Refuse an item that cannot be received as counted (R-FILE-3)."""
    name = {"title": record.title}
    if record.status != RecordStatus.SUBMITTED:
        raise RecordActionRefused(
            _("«%(title)s» is %(status)s, not waiting to be received.")
            % {**name, "status": record.get_status_display()}
        )
    if item.copies_received is None or item.copies_received < 1:
        raise RecordActionRefused(_("Copies received of «%(title)s»: count at least one copy.") % name)
    if item.pages_received is None or item.pages_received < 0:
        raise RecordActionRefused(_("Pages received of «%(title)s»: enter the number of pages counted.") % name)
    if policies.format_check_needs_remark(item.format_ok, item.remarks):
        raise RecordActionRefused(
            _("Remarks on «%(title)s»: say what is wrong with the format, or return the item instead.") % name
        )
    _check_box(item.location, record, name)


def _check_box(location, record, name):
    """Paper goes into a box in use; an electronic item needs none."""
    if location is None:
        if record.medium != Medium.ELECTRONIC:
            raise RecordActionRefused(_("Location of «%(title)s»: choose the box the paper goes into.") % name)
    elif location.kind != LocationKind.BOX or not location.is_active:
        raise RecordActionRefused(
            _("Location of «%(title)s»: %(location)s is not a box in use.") % {**name, "location": location}
        )


def _count_remark(record, item):
    """The remark that says the record was filed as counted, not as
    submitted (R-FILE-1: the archivist records how many copies)."""
    return _(
        "Counted on receipt: copies %(copies_received)d (submitted %(copies)d), "
        "pages %(pages_received)d (submitted %(pages)d)."
    ) % {
        "copies": record.copies,
        "pages": record.pages,
        "copies_received": item.copies_received,
        "pages_received": item.pages_received,
    }


def _create_handover(*, by, handed_over_by, notes):
    received_at = timezone.now()
    handover = Handover(
        number=allocate_handover_number(timezone.localdate(received_at).year),
        handed_over_by=handed_over_by,
        received_by=by,
        received_at=received_at,
        notes=(notes or "").strip(),
    )
    return save_with_history(handover, by=by, reason=ChangeReason.FILED)


def _file_received_item(handover, entry, *, by):
    """File one item as counted and write its line of the handover."""
    item, record = entry.item, entry.record
    record.copies = item.copies_received
    record.pages = item.pages_received
    record.return_reason = ""
    _file_locked(record, by=by, location=item.location, reason=entry.reason)
    handover_item = HandoverItem(
        handover=handover,
        record=record,
        copies_received=item.copies_received,
        pages_received=item.pages_received,
        format_ok=item.format_ok,
        remarks=entry.remarks,
    )
    return save_with_history(handover_item, by=by, reason=entry.reason)
