"""Admin of the file plan, storage locations and numbering."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin import BackOfficeAdmin, NoDeleteAdminMixin
from records.admin.export import SafeImportExportMixin
from records.models import ArchiveSequence, Category, Location
from records.resources import CategoryResource, LocationResource


@admin.register(Category)
class CategoryAdmin(SafeImportExportMixin, BackOfficeAdmin):
    """The file plan (分类方案): classes, codes and default retention
    periods (R-FILE-6); the department head changes them."""

    resource_classes = [CategoryResource]
    list_display = ["code", "name", "parent", "scope", "default_retention", "sort_order", "is_active"]
    list_display_links = ["code", "name"]
    list_filter = ["scope", "is_active"]
    list_select_related = ["parent"]
    search_fields = ["code", "name"]
    ordering = ["sort_order", "code"]
    fields = ["parent", "code", "name", "scope", "default_retention_years", "sort_order", "is_active"]

    @admin.display(description=_("default retention"), ordering="default_retention_years")
    def default_retention(self, obj):
        return obj.default_retention_label


@admin.register(Location)
class LocationAdmin(SafeImportExportMixin, BackOfficeAdmin):
    """Rooms, cabinets, shelves and boxes (R-FILE-4)."""

    resource_classes = [LocationResource]
    list_display = ["full_code", "name", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["parent"]
    search_fields = ["full_code", "name"]
    ordering = ["full_code"]
    autocomplete_fields = ["parent"]
    fields = ["parent", "kind", "code", "full_code", "name", "is_active"]
    readonly_fields = ["full_code"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.children.exists():
            # The full codes of everything inside are built from these and
            # printed on labels; moving or renaming a filled unit is not an
            # edit of one row.
            readonly += ["parent", "kind", "code"]
        return readonly


@admin.register(ArchiveSequence)
class ArchiveSequenceAdmin(NoDeleteAdminMixin, admin.ModelAdmin):
    """The last item number per category and year (R-FILE-5). Only filing
    moves it, so it is shown and never edited."""

    list_display = ["category", "year", "last_item"]
    list_filter = ["year"]
    list_select_related = ["category"]
    search_fields = ["category__code", "category__name"]
    ordering = ["-year", "category__code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
