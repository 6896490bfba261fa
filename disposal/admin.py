"""The disposal back office: lists, items, destructions and witnesses,
each with its history, read-only. A list changes only through
disposal.services (the screens), which check the rules again under lock;
nothing is deleted. Items show only records the user may see
(records.selectors.visible_records, R-LEND-4), and the confidential ones a
page names are logged (R-ACCESS)."""
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.admin import BackOfficeAdmin
from core.admin import ReadOnlyAdminMixin
from disposal.models import Destruction, DisposalList, ListItem, Witness
from records.admin import VisibleRecordFieldsMixin
from records.selectors import visible_records


class ReadOnlyDisposalAdmin(ReadOnlyAdminMixin, BackOfficeAdmin):
    """Every field shown, none editable."""

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)


@admin.register(DisposalList)
class DisposalListAdmin(ReadOnlyDisposalAdmin):
    """Weeding lists (R-DISP-1) and year-end appraisal lists (R-DISP-2)
    with their signatures; the items are listed on their own page (a
    year-end list may hold tens of thousands)."""

    list_display = ["number", "kind", "year", "state", "drafted_by", "submitted_at", "head_approved_by",
                    "leadership_approved_by", "executed_at"]
    list_filter = ["state", "kind", "year"]
    list_select_related = ["drafted_by", "head_approved_by", "leadership_approved_by"]
    search_fields = ["number", "opinion", "return_reason"]
    date_hierarchy = "created_at"
    fields = [
        "number", "kind", "year", "state", "opinion", "items_link", "drafted_by", "created_at", "submitted_at",
        "head_approved_by", "head_approved_at", "leadership_approved_by", "leadership_approved_at",
        "returned_by", "returned_at", "return_reason", "executed_by", "executed_at",
    ]

    @admin.display(description=_("items"))
    def items_link(self, obj):
        url = reverse("admin:disposal_listitem_changelist") + f"?disposal_list__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, obj.items.count())


@admin.register(ListItem)
class ListItemAdmin(VisibleRecordFieldsMixin, ReadOnlyDisposalAdmin):
    """One record on a list, what was proposed, struck off or carried out."""

    list_display = ["disposal_list", "record", "action", "struck_off", "carried_out_at"]
    list_display_links = ["disposal_list", "record"]
    list_filter = ["action", "struck_off", "disposal_list__state", "disposal_list__kind"]
    list_select_related = ["disposal_list", "record"]
    search_fields = ["disposal_list__number", "record__archive_number", "record__title", "reason"]
    fields = [
        "disposal_list", "record", "action", "extend_years", "receiving_body", "reason", "opinion",
        "listed_status", "listed_record_updated_at", "listed_at", "struck_off", "struck_reason", "struck_by",
        "struck_at", "carried_out_at",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(record__in=visible_records(request.user).values("pk"))


class WitnessInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Witness
    fields = ["user", "confirmed_at", "replaced_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Destruction)
class DestructionAdmin(ReadOnlyDisposalAdmin):
    """How a list's records were destroyed, by whom, before whom (R-DISP-3)."""

    list_display = ["disposal_list", "date", "place", "method", "executor", "recorded_by"]
    list_filter = ["method", "date"]
    list_select_related = ["disposal_list", "executor", "recorded_by"]
    search_fields = ["disposal_list__number", "place", "executor__username", "executor__full_name"]
    date_hierarchy = "date"
    fields = ["disposal_list", "date", "place", "method", "executor", "recorded_by", "recorded_at"]
    inlines = [WitnessInline]


@admin.register(Witness)
class WitnessAdmin(ReadOnlyDisposalAdmin):
    """The witnesses (监销人) and when each confirmed (R-DISP-3)."""

    list_display = ["destruction", "user", "confirmed_at", "replaced_at"]
    list_select_related = ["destruction__disposal_list", "user"]
    search_fields = ["destruction__disposal_list__number", "user__username", "user__full_name"]
    fields = ["destruction", "user", "confirmed_at", "replaced_at"]
