"""受控文件清单: the controlled documents in force today (R-CTRL-5,
R-CTRL-6): distributed, neither void, lapsed nor superseded, and not past
their end date even when the daily lapse job has not run yet. Each with
its number, title, document number, revision, drafting department, end
date and how many copies are out. It names no holder, so every active user
may print it. A fixed number of queries whatever the number of documents."""
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from documents.policies import COPY_OUT_STATES
from documents.registers.common import refuse_unless_active
from documents.selectors import valid_documents
from records.printing import Column, TableRegister


def documents_in_force(today):
    """The documents in force on `today` (documents.selectors.valid_documents),
    with `copies_out`, by number."""
    return (
        valid_documents(today)
        .select_related("drafting_department")
        .annotate(copies_out=Count("copies", filter=Q(copies__state__in=COPY_OUT_STATES)))
        .order_by("year", "serial")
    )


def number_text(document):
    return f"{document.year}-{document.serial:03d}"


def valid_until_text(document):
    return document.valid_until if document.valid_until else _("Until revised or voided")


def in_force_since(document):
    return timezone.localdate(document.distributed_at) if document.distributed_at else None


COLUMNS = [
    Column(pgettext_lazy("controlled document", "Number"), number_text, width=10, align="center"),
    Column(pgettext_lazy("controlled document", "Title"), "title", width=30),
    Column(pgettext_lazy("controlled document", "Document number"), "reference", width=18),
    Column(pgettext_lazy("controlled document", "Revision"), "revision", width=6, align="center"),
    Column(pgettext_lazy("controlled document", "Drafting department"), "drafting_department.name", width=14),
    Column(pgettext_lazy("controlled document", "In force since"), in_force_since, width=12, align="center"),
    Column(pgettext_lazy("controlled document", "Valid until"), valid_until_text, width=14, align="center"),
    Column(pgettext_lazy("controlled document", "Copies out"), "copies_out", width=8, align="right"),
]


def valid_register(reader, today=None):
    """受控文件清单 on `today` (this day when None)."""
    today = today or timezone.localdate()
    documents = documents_in_force(today)
    count = documents.count()
    return TableRegister(
        title=pgettext("documents register", "List of controlled documents in force"),
        subtitle=_("In force on %(date)s") % {"date": today.isoformat()},
        columns=COLUMNS,
        rows=documents,
        row_count=count,
        footer_lines=[_("Documents in force: %(count)d") % {"count": count}],
        signatures=[_("Compiled by"), _("Department head")],
        filename="-".join([_("controlled-documents-in-force"), today.isoformat()]),
        landscape=True,
        reader=reader,
    )


def valid_register_from_form(reader, form):
    """The register a valid ValidRegisterForm selects (records.register_jobs)."""
    refuse_unless_active(reader)
    return valid_register(reader)
