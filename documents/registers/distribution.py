"""受控文件发放登记表: the distribution register (R-CTRL-1..5), of one
controlled document or of the copies issued in a year. One line per copy:
the date it was issued, the document (title, document number, revision),
its controlled number (受控号, R-CTRL-2), the recipient (a person, or a
department and the member who signed for it), how it was signed for (in
the application or on paper, by whom, when) and the remark the services
wrote on the line: 丢失 and the date with the number of the copy issued
instead (R-CTRL-3), 破损 replaced under the same number (R-CTRL-4), 收回,
已销毁, 作废留存 (R-CTRL-5). Signature lines of the distributor and the
department head.

Lines disposed of by an approved purge list (ControlledCopy.purge,
R-CTRL-7) are left out: the purge certificate lists them instead. A fixed
number of queries whatever the number of lines."""
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from core.text import join_clauses
from documents.models import ControlledCopy, CopyState
from documents.registers.common import document_text, recipient_text, refuse_unless_may_view, signed_text
from records.printing import Column, TableRegister


def register_lines(*, document=None, year=None):
    """The lines of `document`, or of the copies issued in `year` (local
    time), not disposed of, in the order they were written."""
    lines = ControlledCopy.objects.filter(purge__isnull=True)
    if document is not None:
        lines = lines.filter(document=document)
    else:
        lines = lines.filter(issued_at__year=year)
    return lines.select_related(
        "document", "recipient_user", "recipient_department", "holder", "signature_recorded_by"
    ).order_by("issued_at", "document_id", "copy_number")


def issued_on(copy):
    return timezone.localdate(copy.issued_at)


class RemarkColumn(Column):
    """The remark's dated lines, printed as clauses of one line: a PDF cell
    folds line breaks into spaces and "…替换丢失的 SK-2026-001-01 2026-12-07
    作废" would run one entry into the next. The workbook keeps the lines."""

    def text(self, value):
        return join_clauses(line for line in (value or "").splitlines() if line.strip())


COLUMNS = [
    Column(pgettext_lazy("distribution register", "Date"), issued_on, width=11, align="center"),
    Column(pgettext_lazy("controlled document", "Title"), "document.title", width=22),
    Column(pgettext_lazy("controlled document", "Document number"), "document.reference", width=18),
    Column(pgettext_lazy("controlled document", "Revision"), "document.revision", width=6, align="center"),
    Column(pgettext_lazy("controlled document", "Controlled number"), "control_number", width=17),
    Column(pgettext_lazy("distribution register", "Recipient"), recipient_text, width=16),
    Column(pgettext_lazy("distribution register", "Signed for"), signed_text, width=24),
    RemarkColumn(pgettext_lazy("distribution register", "Remark"), "remark", width=26),
]


def _footer(lines):
    states = list(lines.order_by().values_list("state", flat=True))
    signed = sum(1 for state in states if state == CopyState.SIGNED)
    waiting = sum(1 for state in states if state == CopyState.ISSUED)
    return [
        _("Lines: %(count)d; out and signed for: %(signed)d; out, not yet signed for: %(waiting)d")
        % {"count": len(states), "signed": signed, "waiting": waiting}
    ]


def _selection(document, year):
    """(subtitle, the file name's last part)."""
    if document is not None:
        return document_text(document), f"{document.year}-{document.serial:03d}"
    return _("Copies issued in %(year)d") % {"year": year}, str(year)


def distribution_register(reader, *, document=None, year=None):
    """受控文件发放登记表 of `document`, or of the copies issued in `year`
    (this year when both are None)."""
    if document is None:
        year = year or timezone.localdate().year
    lines = register_lines(document=document, year=year)
    subtitle, name = _selection(document, year)
    return TableRegister(
        title=pgettext("documents register", "Controlled document distribution register"),
        subtitle=subtitle,
        columns=COLUMNS,
        rows=lines,
        row_count=lines.count(),
        footer_lines=_footer(lines),
        signatures=[pgettext("a signature line", "Distributor"), _("Department head")],
        filename="-".join([_("distribution-register"), name]),
        landscape=True,
        reader=reader,
    )


def distribution_register_from_form(reader, form):
    """The register a valid DistributionRegisterForm selects (records.register_jobs)."""
    refuse_unless_may_view(reader)
    return distribution_register(reader, document=form.cleaned_data.get("document"),
                                 year=form.cleaned_data.get("year"))
