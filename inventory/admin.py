"""The inventory back office: stocktakes, their boxes, scans and
resolved differences, write-offs and repair tasks, each with its
history (scans are their own log), read-only. They change only through inventory.services (the
screens), which check the rules under lock; nothing is deleted. Rows
naming a record show only records the user may see
(records.selectors.visible_records, R-LEND-4). The snapshot (Expected)
is not shown here: the reconciliation reads it."""
from django.contrib import admin
from django.db.models import Q

from accounts.admin import BackOfficeAdmin, NoDeleteAdminMixin
from core.admin import ReadOnlyAdminMixin, SaneDateFiltersMixin
from inventory.models import Difference, RepairTask, Scan, Stocktake, StocktakeUnit, WriteOff
from records.admin import VisibleRecordFieldsMixin
from records.selectors import visible_records


class ReadOnlyInventoryAdmin(ReadOnlyAdminMixin, BackOfficeAdmin):
    """Every field shown, none editable."""

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)


class VisibleRecordRowsAdmin(VisibleRecordFieldsMixin, ReadOnlyInventoryAdmin):
    """Rows about a record the user may not see are not listed."""

    def get_queryset(self, request):
        visible = visible_records(request.user).values("pk")
        return super().get_queryset(request).filter(record__in=visible)


@admin.register(Stocktake)
class StocktakeAdmin(ReadOnlyInventoryAdmin):
    """Stocktakes of a year (R-INV-1): who opened and closed them."""

    list_display = ["number", "year", "whole_archive", "state", "opened_by", "opened_at", "closed_by", "closed_at"]
    list_filter = ["state", "year"]
    list_select_related = ["opened_by", "closed_by"]
    search_fields = ["number"]
    fields = ["number", "year", "whole_archive", "scope", "state", "opened_by", "opened_at", "closed_by", "closed_at"]


@admin.register(StocktakeUnit)
class StocktakeUnitAdmin(ReadOnlyInventoryAdmin):
    """The boxes of a stocktake and when each was marked counted."""

    list_display = ["stocktake", "location", "is_open", "counted_by", "counted_at"]
    list_filter = ["is_open", "stocktake__year"]
    list_select_related = ["stocktake", "location", "counted_by"]
    search_fields = ["stocktake__number", "location__full_code", "location__name"]
    fields = ["stocktake", "location", "is_open", "counted_by", "counted_at"]


@admin.register(Scan)
class ScanAdmin(VisibleRecordFieldsMixin, ReadOnlyAdminMixin, SaneDateFiltersMixin, NoDeleteAdminMixin, admin.ModelAdmin):
    """Every code scanned or typed, what it answered, by whom (R-INV-1).
    Scans keep no history (written once, never changed: the rows are the
    log), so this is a plain read-only admin, like the access log's."""

    list_display = ["at", "unit", "code", "outcome", "condition", "by"]
    list_filter = ["outcome", "condition"]
    list_select_related = ["unit__stocktake", "unit__location", "by"]
    search_fields = ["code", "unit__stocktake__number", "unit__location__full_code"]
    fields = ["stocktake", "unit", "code", "record", "outcome", "belongs_in", "condition", "note", "by", "at"]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def get_queryset(self, request):
        visible = visible_records(request.user).values("pk")
        return super().get_queryset(request).filter(Q(record__isnull=True) | Q(record__in=visible))


@admin.register(Difference)
class DifferenceAdmin(VisibleRecordRowsAdmin):
    """How each difference of a stocktake was resolved (R-INV-1)."""

    list_display = ["stocktake", "unit", "record", "kind", "resolution", "resolved_by", "resolved_at"]
    list_filter = ["kind", "resolution"]
    list_select_related = ["stocktake", "unit__location", "record", "resolved_by"]
    search_fields = ["stocktake__number", "record__archive_number", "note"]
    fields = ["stocktake", "unit", "record", "kind", "resolution", "note", "resolved_by", "resolved_at"]


@admin.register(WriteOff)
class WriteOffAdmin(VisibleRecordRowsAdmin):
    """Records struck off the books, why, with what evidence, approved by
    whom (R-INV-3)."""

    list_display = ["record", "kind", "state", "requested_by", "requested_at", "decided_by", "decided_at"]
    list_filter = ["state", "kind"]
    list_select_related = ["record", "requested_by", "decided_by"]
    search_fields = ["record__archive_number", "reason"]
    fields = ["record", "stocktake", "kind", "reason", "evidence", "state", "requested_by", "requested_at",
              "decided_by", "decided_at", "refusal_reason"]


@admin.register(RepairTask)
class RepairTaskAdmin(VisibleRecordRowsAdmin):
    """Repair and copy tasks of damaged or decaying items (R-INV-2)."""

    list_display = ["record", "kind", "due_on", "state", "opened_by", "done_at"]
    list_filter = ["state", "kind"]
    list_select_related = ["record", "opened_by"]
    search_fields = ["record__archive_number", "note", "done_note"]
    fields = ["record", "stocktake", "kind", "due_on", "note", "state", "opened_by", "opened_at", "done_by",
              "done_at", "done_note", "copies_made"]

