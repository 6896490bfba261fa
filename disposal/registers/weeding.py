"""剔除清册: the weeding list (R-DISP-1), every item with the reason it has
no lasting value and what the department head decided: weeded, or struck
off with the reason; then the head's approval and the signature lines of
the drafter and the head."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from disposal.registers.common import (
    head_line,
    list_items,
    listed_records,
    record_columns,
    refuse_unless_may_print,
    signature,
)
from records.printing import Column, TableRegister


def decision(item):
    """Weeded (the head approved), struck off with the reason, or still
    waiting for the head."""
    if item.struck_off:
        return _("Struck off: %(reason)s") % {"reason": item.struck_reason}
    if item.carried_out_at is not None:
        return pgettext("a weeding list's item", "Weeded")
    return pgettext("a weeding list's item", "Awaiting approval")


def weeding_list(reader, disposal_list):
    """剔除清册 of a weeding list, struck-off items included, as `reader`
    may see it."""
    items = list_items(disposal_list, reader, standing=False)
    count = items.count()
    struck_off = items.filter(struck_off=True).count()
    return TableRegister(
        title=pgettext("disposal register", "Weeding list"),
        subtitle=_("List %(number)s · Drafted by %(name)s · %(state)s") % {
            "number": disposal_list.number,
            "name": disposal_list.drafted_by.display_name,
            "state": disposal_list.get_state_display(),
        },
        columns=[
            *record_columns(category=True, retention_end=False),
            Column(gettext_lazy("Reason for weeding"), "reason", width=22),
            Column(gettext_lazy("Decision"), decision, width=16),
        ],
        rows=items,
        row_count=count,
        footer_lines=[
            _("Items: %(count)d · to weed: %(weeded)d · struck off: %(struck)d")
            % {"count": count, "weeded": count - struck_off, "struck": struck_off},
            head_line(disposal_list),
        ],
        signatures=[
            signature(_("Compiled by"), disposal_list.drafted_by),
            signature(_("Department head"), disposal_list.head_approved_by),
        ],
        filename="-".join([_("weeding-list"), disposal_list.number]),
        landscape=True,
        reader=reader,
        listed_records=listed_records(items),
    )


def weeding_from_form(reader, form):
    """The weeding list a valid WeedingListForm selects (records.register_jobs)."""
    refuse_unless_may_print(reader)
    return weeding_list(reader, form.cleaned_data["list"])
