"""销毁登记簿: every record ever destroyed, across all lists (R-DISP-3: the
record of what was destroyed outlives the thing). It is read from the
executed destroy items, which are never deleted, so it is kept
permanently by construction; it may be narrowed by the records' year,
class (with its sub-classes), the year of destruction and a text found
in the archive number or title."""
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from core.text import join_clauses
from disposal.models import ItemAction, ListItem
from disposal.registers.common import category_text, listed_records, refuse_unless_may_print, visible_items
from records.printing import Column, TableRegister


def destroyed_rows(reader, *, year=None, category=None, destroyed_year=None, text=""):
    """The executed destroy items `reader` may see (R-LEND-4), oldest
    destruction first, each with its record, class, list and destruction."""
    items = ListItem.objects.filter(action=ItemAction.DESTROY, struck_off=False, carried_out_at__isnull=False)
    if year is not None:
        items = items.filter(record__year=year)
    if category is not None:
        items = items.filter(record__category_id__in=category.descendant_ids())
    if destroyed_year is not None:
        items = items.filter(disposal_list__destruction__date__year=destroyed_year)
    if text:
        items = items.filter(Q(record__archive_number__icontains=text) | Q(record__title__icontains=text))
    return (
        visible_items(items, reader)
        .select_related("record__category", "disposal_list__destruction")
        .order_by("disposal_list__destruction__date", "disposal_list__number", "record__archive_number", "pk")
    )


def _destruction(item):
    return getattr(item.disposal_list, "destruction", None)


def destroyed_on(item):
    destruction = _destruction(item)
    return destruction.date if destruction is not None else None


def method(item):
    destruction = _destruction(item)
    return destruction.get_method_display() if destruction is not None else ""


def selection_text(*, year=None, category=None, destroyed_year=None, text=""):
    parts = []
    if category is not None:
        parts.append(_("Class: %(category)s (with its sub-classes)") % {"category": f"{category.code} {category.name}"})
    if year is not None:
        parts.append(_("Year: %(year)s") % {"year": year})
    if destroyed_year is not None:
        parts.append(_("Destroyed in %(year)s") % {"year": destroyed_year})
    if text:
        parts.append(_("Containing “%(text)s”") % {"text": text})
    return join_clauses(parts) if parts else _("Every record destroyed")


def destruction_register(reader, **selection):
    """销毁登记簿 of `selection` (year, category, destroyed_year, text)."""
    items = destroyed_rows(reader, **selection)
    count = items.count()
    return TableRegister(
        title=pgettext("disposal register", "Destruction register"),
        subtitle=selection_text(**selection),
        columns=[
            Column(gettext_lazy("Archive number"), "record.archive_number", width=26),
            Column(gettext_lazy("Title"), "record.title", width=40),
            Column(gettext_lazy("Class"), lambda item: category_text(item.record), width=16),
            Column(gettext_lazy("Year"), "record.year", width=7, align="center"),
            Column(gettext_lazy("Destroyed on"), destroyed_on, width=11, align="center"),
            Column(gettext_lazy("List number"), "disposal_list.number", width=14, align="center"),
            Column(pgettext_lazy("destruction", "Method"), method, width=12, align="center"),
        ],
        rows=items,
        row_count=count,
        footer_lines=[_("Records destroyed: %(count)d") % {"count": count}],
        signatures=[_("Kept by"), _("Checked by")],
        filename=_("destruction-register"),
        landscape=True,
        reader=reader,
        listed_records=listed_records(items),
    )


def destroyed_from_form(reader, form):
    """The register a valid DestructionRegisterForm selects (records.register_jobs)."""
    refuse_unless_may_print(reader)
    data = form.cleaned_data
    return destruction_register(
        reader,
        year=data.get("year"),
        category=data.get("category"),
        destroyed_year=data.get("destroyed_year"),
        text=data.get("q") or "",
    )
