"""Import and export of the file plan: categories (R-FILE-4, R-FILE-6)
and storage locations (R-FILE-4)."""
from django.utils.translation import gettext_lazy as _
from import_export import fields
from import_export.widgets import ForeignKeyWidget

from records.models import Category, Location
from records.resources.columns import VerboseNameResource, prepare_headers


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

    REQUIRED_COLUMNS = ("code", "name")

    class Meta:
        model = Category
        fields = ["code", "name", "parent", "scope", "default_retention_years", "sort_order", "is_active"]
        export_order = fields
        import_id_fields = ["code"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def before_import(self, dataset, **kwargs):
        # Headers in English or Chinese, whatever the importer's interface language.
        prepare_headers(self, dataset)

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

    REQUIRED_COLUMNS = ("code", "kind")

    class Meta:
        model = Location
        fields = ["full_code", "parent", "code", "kind", "name", "is_active"]
        export_order = fields
        import_id_fields = ["parent", "code"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def before_import(self, dataset, **kwargs):
        prepare_headers(self, dataset)

    def get_queryset(self):
        return Location.objects.select_related("parent").order_by("full_code")
