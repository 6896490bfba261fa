"""核销登记簿: the write-off register of a year (issue 13 point 5, R-INV-3):
every write-off requested in the year, approved, refused or waiting, with
the record's number and title, the kind (transfer, void, loss), the reason,
the evidence's file names, who asked and when, who decided and when.

Rows are write-offs of records the reader may see (records' visibility,
R-LEND-4); each confidential record listed leaves an access-log row when
printed (R-ACCESS). A fixed number of queries whatever the rows (the
evidence is prefetched, once per 500 rows as they are streamed)."""
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from core.text import join_clauses, join_items
from inventory.models import WriteOff, WriteOffState
from inventory.registers.common import moment_text, person, refuse_unless_may_view
from records.models import Attachment, Record
from records.printing import Column, TableRegister
from records.selectors import visibility_condition


def year_write_offs(reader, year):
    """The write-offs requested in `year` (local time) of records `reader`
    may see, in the order they were asked."""
    condition = visibility_condition(reader, through="record__")
    rows = WriteOff.objects.filter(requested_at__year=year)
    if condition is None:
        return rows.none()
    return (
        rows.filter(condition)
        .select_related("record", "requested_by", "decided_by")
        .prefetch_related(Prefetch("evidence", queryset=Attachment.objects.order_by("pk").only("pk", "original_name")))
        .order_by("requested_at", "pk")
    )


def evidence_text(write_off):
    return join_items([attachment.original_name for attachment in write_off.evidence.all()])


def decision_text(write_off):
    """The state, with the reason a refusal gave."""
    state = str(write_off.get_state_display())
    if write_off.state == WriteOffState.REFUSED and write_off.refusal_reason:
        return join_clauses([state, write_off.refusal_reason])
    return state


COLUMNS = [
    Column(gettext_lazy("Archive number"), "record.archive_number", width=20),
    Column(gettext_lazy("Title"), "record.title", width=28),
    Column(gettext_lazy("Kind"), "get_kind_display", width=8, align="center"),
    Column(gettext_lazy("Reason"), "reason", width=22),
    Column(gettext_lazy("Evidence"), evidence_text, width=18),
    Column(gettext_lazy("Requested by"), lambda row: person(row.requested_by), width=9),
    Column(gettext_lazy("Requested at"), lambda row: moment_text(row.requested_at), width=15),
    Column(gettext_lazy("Decision"), decision_text, width=16),
    Column(gettext_lazy("Decided by"), lambda row: person(row.decided_by), width=9),
    Column(gettext_lazy("Decided at"), lambda row: moment_text(row.decided_at), width=15),
]


def _footer(rows):
    counts = {state: 0 for state in WriteOffState}
    for state in rows.order_by().values_list("state", flat=True):
        counts[WriteOffState(state)] += 1
    total = sum(counts.values())
    parts = [
        _("%(state)s: %(count)d") % {"state": state.label, "count": count} for state, count in counts.items() if count
    ]
    if not parts:
        return [_("Write-offs: %(count)d") % {"count": total}]
    return [_("Write-offs: %(count)d (%(states)s)") % {"count": total, "states": join_items(parts)}]


def write_off_register(reader, year=None):
    """核销登记簿 of `year` (this year when None) as `reader` may see it."""
    year = year or timezone.localdate().year
    rows = year_write_offs(reader, year)
    footer = _footer(rows)
    return TableRegister(
        title=pgettext("inventory register", "Write-off register"),
        subtitle=_("Year %(year)d") % {"year": year},
        columns=COLUMNS,
        rows=rows,
        row_count=rows.count(),
        footer_lines=footer,
        signatures=[_("Compiled by"), _("Department head")],
        filename="-".join([_("write-off-register"), str(year)]),
        landscape=True,
        reader=reader,
        listed_records=Record.objects.filter(pk__in=rows.values("record_id")),
    )


def write_off_register_from_form(reader, form):
    """The register a valid WriteOffRegisterForm selects (records.register_jobs)."""
    refuse_unless_may_view(reader)
    return write_off_register(reader, form.cleaned_data.get("year"))
