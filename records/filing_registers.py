"""The handover list (移交清册) printed for a handover (交接单): what one
person handed over and the archivist received, counted and filed, with a
signature line for each side (R-FILE-3).

The list shows every item of the handover: it is the receipt both sides
sign, so leaving an item out would make the count and the page total wrong.
Only the two sides and the department may print it
(records.policies.may_print_handover). An item the reader may not see
(once filed as confidential, the person who handed it over no longer may,
R-LEND-4) is named by its archive number only: no title, box or remark."""
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from records.printing import Column, TableRegister
from records.selectors import visible_records

HIDDEN_TITLE = gettext_lazy("(a record you may not see)")


def all_handover_items(handover):
    """The items of `handover` in the order they were received."""
    return handover.items.select_related("record__location").order_by("pk")


def handover_items(handover, *, viewer, items=None):
    """The items of `handover` (or `items`, a page of them), each with
    `shown`: whether `viewer` may see its record
    (records.selectors.visible_records); one query whatever their number."""
    items = list(all_handover_items(handover) if items is None else items)
    seen = set(
        visible_records(viewer).filter(pk__in=[item.record_id for item in items]).values_list("pk", flat=True)
    )
    for item in items:
        item.shown = item.record_id in seen
    return items


def _title(item):
    return item.record.title if item.shown else str(HIDDEN_TITLE)


def _remarks(item):
    return item.remarks if item.shown else ""


def handover_register(handover, *, viewer):
    items = handover_items(handover, viewer=viewer)
    total_pages = sum(item.pages_received for item in items)
    total_copies = sum(item.copies_received for item in items)
    received_on = timezone.localtime(handover.received_at).date()
    giver, receiver = handover.handed_over_by.display_name, handover.received_by.display_name
    return TableRegister(
        title=_("Handover list"),
        subtitle=_("Handover %(number)s · %(date)s · Handed over by %(giver)s · Received by %(receiver)s")
        % {"number": handover.number, "date": received_on.isoformat(), "giver": giver, "receiver": receiver},
        columns=[
            Column(gettext_lazy("Archive number"), "record.archive_number", width=34),
            Column(gettext_lazy("Title"), _title, width=36),
            Column(gettext_lazy("Copies"), "copies_received", width=9, align="right"),
            Column(gettext_lazy("Pages"), "pages_received", width=9, align="right"),
            Column(gettext_lazy("Remarks"), _remarks, width=34),
        ],
        rows=items,
        row_count=len(items),
        footer_lines=[
            _("Items: %(count)d · Copies: %(copies)d · Pages: %(pages)d")
            % {"count": len(items), "copies": total_copies, "pages": total_pages},
            *([_("Notes: %(notes)s") % {"notes": handover.notes}] if handover.notes else []),
        ],
        signatures=[
            _("Handed over by %(name)s") % {"name": giver},
            _("Received by %(name)s") % {"name": receiver},
            _("Date"),
        ],
        filename="-".join([_("handover-list"), handover.number]),
        landscape=False,
    )
