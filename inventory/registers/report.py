"""盘点报告: the stocktake report (issue 13 point 7, R-INV-1), of the whole
stocktake or of one box. The heading (number, year, scope, who opened and
closed it and when), the totals per box and in total (expected, found, on
loan, missing, misplaced, extra, conflicts, damaged:
inventory.selectors.reconciliation), then every difference and its
resolution, and the signature lines of the archivist and the department
head with date blanks. An open stocktake's report is a draft and says so
in its title, on every page; a closed one's is final.

It is for the archivist and the head: a difference names its record (number
and title) when the reader may see it (records' visibility, R-LEND-4),
and counts it either way. Each confidential record it names leaves an
access-log row when printed (R-ACCESS). A fixed number of queries whatever
the number of differences (per 2,000 records named)."""
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from core.text import join_items
from inventory import selectors
from inventory.models import DifferenceKind, StocktakeUnit
from inventory.registers.common import (
    hidden_record_text,
    moment_text,
    person,
    place,
    refuse_unless_may_view,
    visible_records_by_id,
)
from inventory.registers.sheets import TwoSheetRegister
from records.models import Location
from records.printing import Column, Summary

TOTAL_COLUMNS = (
    ("expected", pgettext_lazy("stocktake totals", "Expected")),
    ("found", pgettext_lazy("stocktake totals", "Found")),
    ("on_loan", pgettext_lazy("stocktake totals", "On loan")),
    ("missing", pgettext_lazy("stocktake totals", "Missing")),
    ("misplaced", pgettext_lazy("stocktake totals", "Misplaced")),
    ("extra", pgettext_lazy("stocktake totals", "Extra")),
    ("conflicts", pgettext_lazy("stocktake totals", "Conflicts")),
    ("damaged", pgettext_lazy("stocktake totals", "Damaged")),
)


@dataclass(frozen=True)
class ReportRow:
    """One difference as the report prints it."""

    box: str
    archive_number: str
    title: str
    kind: str
    resolution: str
    resolved_by: str
    resolved_at: str
    note: str


def report_title(stocktake):
    if stocktake.is_open:
        return pgettext("inventory register", "Stocktake report (draft: the stocktake is not closed)")
    return pgettext("inventory register", "Stocktake report")


def scope_text(stocktake):
    if stocktake.whole_archive:
        return _("The whole archive")
    return join_items([place(location) for location in stocktake.scope.order_by("full_code")])


def _subtitle(stocktake, unit):
    parts = [
        _("Stocktake %(number)s") % {"number": stocktake.number},
        _("Year %(year)d") % {"year": stocktake.year},
        place(unit.location) if unit is not None else _("All boxes"),
        _("Draft, not closed") if stocktake.is_open else _("Final"),
    ]
    return " · ".join(str(part) for part in parts)


def heading_summary(stocktake, unit):
    """Number, year, scope, state, opened and closed by whom and when."""
    closed = (
        _("%(name)s, %(moment)s") % {"name": person(stocktake.closed_by), "moment": moment_text(stocktake.closed_at)}
        if stocktake.closed_at
        else _("Not closed yet: this report is a draft")
    )
    rows = [
        [_("Stocktake number"), stocktake.number],
        [_("Year"), str(stocktake.year)],
        [pgettext("stocktake report", "Scope"), scope_text(stocktake)],
        [_("This report covers"), place(unit.location) if unit is not None else _("All boxes")],
        [pgettext("stocktake report", "Opened"), _("%(name)s, %(moment)s") % {"name": person(stocktake.opened_by),
                                                   "moment": moment_text(stocktake.opened_at)}],
        [pgettext("stocktake report", "Closed"), closed],
    ]
    return Summary(heading=pgettext("stocktake report", "Stocktake"), rows=rows)


def totals_summary(per_unit, total, units):
    """One row per box (in box order) and a total row."""
    rows = [
        [place(units[pk].location), *(getattr(totals, name) for name, _label in TOTAL_COLUMNS)]
        for pk, totals in sorted(per_unit.items(), key=lambda entry: units[entry[0]].location.full_code)
    ]
    rows.append([pgettext("the sum of a column", "Total"), *(getattr(total, name) for name, _label in TOTAL_COLUMNS)])
    return Summary(
        heading=_("Totals per box"),
        labels=[_("Box"), *(label for _name, label in TOTAL_COLUMNS)],
        rows=rows,
    )


def _kind_text(difference, boxes):
    kind = DifferenceKind(difference.kind).label
    if difference.kind == DifferenceKind.MISPLACED and difference.belongs_in_id in boxes:
        return _("%(kind)s (belongs in %(box)s)") % {"kind": kind, "box": place(boxes[difference.belongs_in_id])}
    return str(kind)


def _report_row(difference, units, boxes, records):
    record = records.get(difference.record_id)
    resolution = difference.resolution
    return ReportRow(
        box=place(units[difference.unit_id].location) if difference.unit_id in units else "",
        archive_number=record.archive_number if record is not None else "",
        title=record.title if record is not None else hidden_record_text(),
        kind=_kind_text(difference, boxes),
        resolution=str(resolution.get_resolution_display()) if resolution else _("Not resolved yet"),
        resolved_by=person(resolution.resolved_by) if resolution else "",
        resolved_at=moment_text(resolution.resolved_at) if resolution else "",
        note=resolution.note if resolution else "",
    )


def report_rows(reader, stocktake, unit, units):
    """(ReportRow per difference, how many are resolved, the records named)."""
    found = selectors.differences(stocktake, unit)
    records = visible_records_by_id(reader, [difference.record_id for difference in found])
    belongs_in = {difference.belongs_in_id for difference in found if difference.belongs_in_id}
    boxes = Location.objects.in_bulk(belongs_in) if belongs_in else {}
    rows = [_report_row(difference, units, boxes, records) for difference in found]
    resolved = sum(1 for difference in found if difference.is_resolved)
    return rows, resolved, list(records.values())


COLUMNS = [
    Column(gettext_lazy("Box"), "box", width=16),
    Column(gettext_lazy("Archive number"), "archive_number", width=20),
    Column(gettext_lazy("Title"), "title", width=30),
    Column(pgettext_lazy("a stocktake difference", "Difference"), "kind", width=18),
    Column(gettext_lazy("Resolution"), "resolution", width=16),
    Column(gettext_lazy("Resolved by"), "resolved_by", width=10),
    Column(gettext_lazy("Resolved at"), "resolved_at", width=16),
    Column(pgettext_lazy("stocktake report", "Note"), "note", width=22),
]


def _footer(stocktake, rows, resolved):
    lines = [
        _("Differences: %(count)d, resolved: %(resolved)d, not resolved: %(open)d")
        % {"count": len(rows), "resolved": resolved, "open": len(rows) - resolved}
    ]
    if stocktake.is_open:
        lines.append(_("Draft: the stocktake is not closed, and its figures may still change."))
    return lines


def stocktake_report(reader, stocktake, unit=None):
    """盘点报告 of `stocktake` (or of its box `unit`) as `reader` may see it."""
    units = {row.pk: row for row in StocktakeUnit.objects.filter(stocktake=stocktake).select_related("location")}
    per_unit, total = selectors.reconciliation(stocktake, unit)
    rows, resolved, named = report_rows(reader, stocktake, unit, units)
    date_blank = pgettext("a signature line", "Date")
    name = [_("stocktake-report"), stocktake.number] + ([unit.location.full_code] if unit is not None else [])
    return TwoSheetRegister(
        title=report_title(stocktake),
        subtitle=_subtitle(stocktake, unit),
        summaries=[heading_summary(stocktake, unit), totals_summary(per_unit, total, units)],
        columns=COLUMNS,
        rows=rows,
        row_count=len(rows) + len(per_unit),
        footer_lines=_footer(stocktake, rows, resolved),
        signatures=[pgettext("a signature line", "Archivist"), date_blank, _("Department head"), date_blank],
        filename="-".join(name),
        landscape=True,
        reader=reader,
        listed_records=named,
        summary_sheet=_("Totals per box"),
        rows_sheet=_("Differences"),
    )


def report_from_form(reader, form):
    """The report a valid StocktakeReportForm selects (records.register_jobs)."""
    refuse_unless_may_view(reader)
    return stocktake_report(reader, form.cleaned_data["stocktake"], form.cleaned_data.get("unit"))


def render_stocktake_report(stocktake, unit=None, file_format="pdf", reader=None) -> bytes:
    """The report as PDF or Excel bytes, for the benchmark and the shell: as
    `reader` reads it, by default the archivist who opened the stocktake."""
    register = stocktake_report(reader or stocktake.opened_by, stocktake, unit)
    register.check_printable(file_format, max_rows=None)
    return register.to_pdf() if file_format == "pdf" else register.to_xlsx()
