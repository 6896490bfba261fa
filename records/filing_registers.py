"""The handover list (移交清册) printed for a handover (交接单): what one
person handed over and the archivist received, counted and filed, with a
signature line for each side (R-FILE-3).

The list shows every item of the handover: it is the receipt both sides
sign, so leaving an item out would make the count and the page total wrong.
Only the two sides and the department may print it
(records.policies.may_print_handover)."""
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from records.printing import Column, TableRegister


def handover_items(handover):
    return handover.items.select_related("record").order_by("pk")


def handover_register(handover):
    items = list(handover_items(handover))
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
            Column(gettext_lazy("Title"), "record.title", width=36),
            Column(gettext_lazy("Copies"), "copies_received", width=9, align="right"),
            Column(gettext_lazy("Pages"), "pages_received", width=9, align="right"),
            Column(gettext_lazy("Remarks"), "remarks", width=34),
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
