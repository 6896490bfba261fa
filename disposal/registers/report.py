"""档案鉴定销毁报告: the year-end appraisal and disposal report to
leadership (R-DISP-2). First the counts per class and retention and per
proposal, then every item with its archive number, title, year,
retention and its end, medium, copies, location, the proposal and the
appraisal opinion; then the list's opinion, who signed, and the signature
lines. Items struck off are not reported; they are counted."""
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from core.text import join_items
from disposal.models import ItemAction
from disposal.registers.common import (
    head_line,
    leadership_line,
    list_items,
    list_subtitle,
    listed_records,
    opinion_line,
    proposal_text,
    record_columns,
    refuse_unless_may_print,
    signature,
    visible_items,
)
from records.models.choices import retention_label
from records.printing import Column, Summary, TableRegister

# The proposals of an appraisal list, in the order the counts show them.
PROPOSALS = (ItemAction.DESTROY, ItemAction.EXTEND, ItemAction.KEEP_PERMANENTLY, ItemAction.TRANSFER)


def _counts(items):
    """{(class code, class name, retention years): {action: count}}, in
    class order, permanent after the years (one query)."""
    rows = (
        items.order_by()
        .values("record__category__code", "record__category__name", "record__retention_years", "action")
        .annotate(count=Count("pk"))
    )
    counts = {}
    for row in rows:
        key = (row["record__category__code"], row["record__category__name"], row["record__retention_years"])
        by_action = counts.setdefault(key, {})
        by_action[row["action"]] = by_action.get(row["action"], 0) + row["count"]
    return dict(sorted(counts.items(), key=lambda entry: (entry[0][0], entry[0][2] is None, entry[0][2] or 0)))


def _actions_in(counts):
    """The proposals the list makes (a weeded record's WEED never reaches
    an appraisal list, but count whatever is there)."""
    found = {action for by_action in counts.values() for action in by_action}
    return [*PROPOSALS, *sorted(found - set(PROPOSALS))]


def count_summary(counts):
    """The counts table: one row per class and retention, a total row."""
    actions = _actions_in(counts)
    labels = [_("Class"), _("Retention"), *(ItemAction(action).label for action in actions), _("Items")]
    rows, totals = [], [0] * (len(actions) + 1)
    for (code, name, years), by_action in counts.items():
        numbers = [by_action.get(action, 0) for action in actions]
        numbers.append(sum(numbers))
        totals = [total + number for total, number in zip(totals, numbers)]
        rows.append([f"{code} {name}", str(retention_label(years)), *numbers])
    rows.append([pgettext("the sum of a column", "Total"), "", *totals])
    return Summary(heading=_("Items by class and retention"), labels=labels, rows=rows)


def totals_line(counts, struck_off):
    total = {}
    for by_action in counts.values():
        for action, count in by_action.items():
            total[action] = total.get(action, 0) + count
    parts = [
        _("%(proposal)s: %(count)d") % {"proposal": ItemAction(action).label, "count": total[action]}
        for action in _actions_in(counts)
        if total.get(action)
    ]
    count = sum(total.values())
    if parts:
        line = _("Items: %(count)d (%(proposals)s)") % {"count": count, "proposals": join_items(parts)}
    else:
        line = _("Items: %(count)d") % {"count": count}
    if struck_off:
        line += " · " + _("struck off and not reported: %(count)d") % {"count": struck_off}
    return line


def appraisal_report(reader, disposal_list):
    """档案鉴定销毁报告 of an appraisal list, as `reader` may see it."""
    items = list_items(disposal_list, reader)
    counts = _counts(items)
    struck_off = visible_items(disposal_list.items.filter(struck_off=True), reader).count()
    return TableRegister(
        title=pgettext("disposal register", "Appraisal and disposal report"),
        subtitle=list_subtitle(disposal_list),
        summaries=[count_summary(counts)],
        columns=[
            *record_columns(),
            Column(gettext_lazy("Proposal"), proposal_text, width=18),
            Column(gettext_lazy("Appraisal opinion"), "opinion", width=18),
        ],
        rows=items,
        row_count=sum(sum(by_action.values()) for by_action in counts.values()),
        footer_lines=[
            totals_line(counts, struck_off),
            opinion_line(disposal_list),
            head_line(disposal_list),
            leadership_line(disposal_list),
        ],
        signatures=[
            signature(_("Compiled by"), disposal_list.drafted_by),
            signature(_("Department head"), disposal_list.head_approved_by),
            signature(_("Leadership"), disposal_list.leadership_approved_by),
        ],
        filename="-".join([_("appraisal-report"), disposal_list.number]),
        landscape=True,
        reader=reader,
        listed_records=listed_records(items),
    )


def report_from_form(reader, form):
    """The report a valid ReportForm selects (records.register_jobs)."""
    refuse_unless_may_print(reader)
    return appraisal_report(reader, form.cleaned_data["list"])
