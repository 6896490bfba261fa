"""The registers the archive prints (R-FILE-4: a clear retrieval index).

Each function takes the user who prints and returns a
`records.printing.TableRegister`; rows always come from
`records.selectors.visible_records`, so a register never lists or counts a
record its reader may not see (R-LEND-4), and every confidential record a
printed register lists leaves an access-log row (R-ACCESS,
TableRegister.log_printed)."""
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.text import join_clauses
from records.models import RecordStatus
from records.printing import Column, TableRegister
from records.selectors import visible_records


def catalogue_records(user, *, category, year):
    """Catalogued records of one class (with its sub-classes) and year that
    `user` may see, in archive-number order: by class code, then item number
    (the order of the default number pattern, and the right one for any
    pattern, since item numbers run per class and year)."""
    return (
        visible_records(user)
        .filter(status__in=RecordStatus.catalogued(), category_id__in=category.descendant_ids(), year=year)
        .select_related("category")
        .order_by("category__code", "item_number", "archive_number", "pk")
    )


def catalogue_remarks(record):
    """What a reader of the catalogue must know besides the description:
    the record is not on the shelf (on loan, missing, void, destroyed...),
    then the archivist's notes."""
    parts = []
    if record.status != RecordStatus.FILED:
        parts.append(str(record.get_status_display()))
    notes = " ".join(record.notes.split())
    if notes:
        parts.append(notes)
    return join_clauses(parts)


def catalogue_register(user, *, category, year):
    """归档文件目录: the catalogue of one class and year (after DA/T 22-2015:
    number, archive number, document number, responsible party, title, date
    as eight digits, security level, pages, remarks)."""
    records = catalogue_records(user, category=category, year=year)
    totals = records.aggregate(pages=Sum("pages"))
    count = records.count()
    subtitle = (
        _("Class: %(category)s (with its sub-classes) · Year: %(year)s")
        if category.children.exists()
        else _("Class: %(category)s · Year: %(year)s")
    ) % {"category": f"{category.code} {category.name}", "year": year}
    return TableRegister(
        title=_("Catalogue of filed records"),
        subtitle=subtitle,
        columns=[
            Column(gettext_lazy("Archive number"), "archive_number", width=30),
            Column(gettext_lazy("Document number"), "document_number", width=16),
            Column(gettext_lazy("Responsible party"), "responsible_party", width=14),
            Column(gettext_lazy("Title"), "title", width=50),
            Column(
                gettext_lazy("Date"), "document_date", width=10, align="center",
                date_format="%Y%m%d", xlsx_date_format="yyyymmdd",
            ),
            Column(gettext_lazy("Security level"), "get_security_level_display", width=9, align="center"),
            Column(gettext_lazy("Pages"), "pages", width=7, align="right"),
            Column(gettext_lazy("Remarks"), catalogue_remarks, width=20),
        ],
        rows=records,
        row_count=count,
        footer_lines=[
            _("Items: %(count)d · Pages: %(pages)d") % {"count": count, "pages": totals["pages"] or 0}
        ],
        signatures=[_("Compiled by"), _("Checked by")],
        filename="-".join([_("catalogue"), category.code, str(year)]),
        landscape=True,
        reader=user,
        listed_records=records,
    )


def catalogue_from_form(reader, form):
    """The catalogue a valid CatalogueForm selects (records.register_jobs)."""
    return catalogue_register(reader, category=form.cleaned_data["category"], year=form.cleaned_data["year"])
