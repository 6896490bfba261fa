"""Import and export (django-import-export) of the file plan, locations and
the records catalogue.

Column headers are the fields' verbose names in the active language (档号,
题名 …), so a file exported in Chinese is imported in Chinese. The records
catalogue is export-only here; the all-or-nothing catalogue import comes with
its own issue. Every export of records starts from `visible_records`, like
every other read (R-LEND-4, R-ACCESS).
"""
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from records.models import Category, Location, Record
from records.models.choices import retention_label
from records.selectors import visible_records


class VerboseNameResource(resources.ModelResource):
    """A model resource whose column headers are verbose names."""

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        field = super().field_from_django_field(field_name, django_field, readonly)
        field.column_name = capfirst(django_field.verbose_name)
        return field

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Headers are matched against the file's header row during import,
        # so they are fixed to plain text in the language of this request.
        for field in self.fields.values():
            if field.column_name is not None:
                field.column_name = str(field.column_name)


class VisibleRecordsResource(VerboseNameResource):
    """Exports only rows whose record the user may see. Without a user
    nothing is exported: visibility fails closed."""

    #: Path from the exported model to its Record; "" for Record itself.
    record_path = ""

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    def get_queryset(self):
        return self.filter_export(super().get_queryset())

    def filter_export(self, queryset, **kwargs):
        if self.user is None:
            return queryset.none()
        if not self.record_path:
            return visible_records(self.user, queryset)
        return queryset.filter(**{f"{self.record_path}__in": visible_records(self.user).values("pk")})


def choice_label(attribute, label):
    """An export column showing a choice field's label instead of its code."""
    return fields.Field(attribute=f"get_{attribute}_display", column_name=label, readonly=True)


class CategoryResource(VerboseNameResource):
    """The file plan (R-FILE-4, R-FILE-6). Rows are matched by code; a parent
    must come before its children in the file (export order does that).
    Category.clean() runs on every row (clean_model_instances)."""

    code = fields.Field(attribute="code", column_name=_("code"))
    name = fields.Field(attribute="name", column_name=_("name"))
    parent = fields.Field(
        attribute="parent",
        column_name=_("parent class"),
        widget=ForeignKeyWidget(Category, field="code"),
    )
    scope = fields.Field(attribute="scope", column_name=_("scope class"))
    default_retention_years = fields.Field(
        attribute="default_retention_years", column_name=_("default retention (years)")
    )
    sort_order = fields.Field(attribute="sort_order", column_name=_("order"))
    is_active = fields.Field(attribute="is_active", column_name=_("in use"))

    class Meta:
        model = Category
        fields = ["code", "name", "parent", "scope", "default_retention_years", "sort_order", "is_active"]
        export_order = fields
        import_id_fields = ["code"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return Category.objects.select_related("parent").order_by("sort_order", "code")


class LocationResource(VerboseNameResource):
    """Rooms, cabinets, shelves and boxes (R-FILE-4). Rows are matched by
    parent and code; the full code is computed, so it is export-only."""

    full_code = fields.Field(attribute="full_code", column_name=_("full code"), readonly=True)
    parent = fields.Field(
        attribute="parent",
        column_name=_("inside"),
        widget=ForeignKeyWidget(Location, field="full_code"),
    )
    code = fields.Field(attribute="code", column_name=_("code"))
    kind = fields.Field(attribute="kind", column_name=_("kind"))
    name = fields.Field(attribute="name", column_name=_("name"))
    is_active = fields.Field(attribute="is_active", column_name=_("in use"))

    class Meta:
        model = Location
        fields = ["full_code", "parent", "code", "kind", "name", "is_active"]
        export_order = fields
        import_id_fields = ["parent", "code"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return Location.objects.select_related("parent").order_by("full_code")


class RecordResource(VisibleRecordsResource):
    """The records catalogue (案卷目录) as a spreadsheet: export only."""

    archive_number = fields.Field(attribute="archive_number", column_name=_("archive number"))
    title = fields.Field(attribute="title", column_name=_("title"))
    category_code = fields.Field(attribute="category__code", column_name=_("category code"))
    category_name = fields.Field(attribute="category__name", column_name=_("category"))
    year = fields.Field(attribute="year", column_name=_("year"))
    document_date = fields.Field(attribute="document_date", column_name=_("date"))
    responsible_party = fields.Field(attribute="responsible_party", column_name=_("responsible party"))
    document_number = fields.Field(attribute="document_number", column_name=_("document number"))
    security_level = choice_label("security_level", _("security level"))
    retention = fields.Field(column_name=_("retention"), readonly=True)
    medium = choice_label("medium", _("medium"))
    copies = fields.Field(attribute="copies", column_name=_("copies"))
    pages = fields.Field(attribute="pages", column_name=_("pages"))
    location = fields.Field(attribute="location__full_code", column_name=_("location"))
    status = choice_label("status", _("status"))
    keywords = fields.Field(attribute="keywords", column_name=_("keywords"))
    department = fields.Field(attribute="department__name", column_name=_("owning department"))
    filed_at = fields.Field(attribute="filed_at", column_name=_("filed at"))
    notes = fields.Field(attribute="notes", column_name=_("notes"))

    class Meta:
        model = Record
        fields = [
            "archive_number",
            "title",
            "category_code",
            "category_name",
            "year",
            "document_date",
            "responsible_party",
            "document_number",
            "security_level",
            "retention",
            "medium",
            "copies",
            "pages",
            "location",
            "status",
            "keywords",
            "department",
            "filed_at",
            "notes",
        ]
        export_order = fields

    def get_queryset(self):
        return self.filter_export(Record.objects.select_related("category", "location", "department"))

    def dehydrate_retention(self, record):
        return str(retention_label(record.retention_years))
