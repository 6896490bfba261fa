from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin import BackOfficeAdmin
from clients import policies, services
from clients.forms import ClientContactEditForm
from clients.ledger import may_import_clients
from clients.models import Client, ClientContact, ClientDataAccess, ClientPolicy, DataAccessAction
from clients.resources import ClientResource
from core.admin import ReadOnlyAdminMixin, SaneDateFiltersMixin
from records.admin import LedgerImportExportMixin, SingletonPolicyAdmin, VisibleRecordFieldsMixin
from records.models import Record


class ClientContactInline(admin.TabularInline):
    """Contacts with their personal data in clear: offered only to holders of
    clients.view_client_data, and every opening is logged (R-CLIENT)."""

    model = ClientContact
    # The portal's checks: phone digits, e-mail, ID check code (clients.validators).
    form = ClientContactEditForm
    extra = 0
    fields = ["name", "position", "phone", "email", "id_number", "is_active"]
    # Contacts are never deleted; one who left is marked not current.
    can_delete = False


@admin.register(Client)
class ClientAdmin(VisibleRecordFieldsMixin, LedgerImportExportMixin, BackOfficeAdmin):
    """Client profiles (R-SCOPE 2, R-CLIENT). Reviews are recorded by the
    client-files workflow, so their fields are shown, not edited. The
    directory imports all-or-nothing after a preview (clients.resources)."""

    resource_classes = [ClientResource]
    export_file_title = _("Client directory")
    list_display = ["code", "name_column", "client_type", "responsible", "last_reviewed_at", "is_active"]
    list_display_links = ["code", "name_column"]
    list_filter = ["client_type", "is_active", ("responsible", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["responsible"]
    search_fields = ["code", "name", "preferences", "notes"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["records"]
    fieldsets = (
        (None, {"fields": ("code", "name", "client_type", "responsible", "is_active")}),
        (_("Profile"), {"fields": ("gender", "age", "preferences", "notes")}),
        (_("Records"), {"fields": ("records",)}),
        (_("Weekly review"), {"fields": ("last_reviewed_at", "last_reviewed_by", "created_at")}),
    )
    readonly_fields = ["last_reviewed_at", "last_reviewed_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # Fixed once given: the directory's spreadsheet is matched on it.
            readonly.append("code")
        return readonly

    @admin.display(description=_("name"), ordering="name_sort_key")
    def name_column(self, obj):
        """Sorted in pinyin order (issue 15)."""
        return obj.name

    masked_record_fields = {"records": "linked_records"}
    inlines = [ClientContactInline]

    def get_inline_instances(self, request, obj=None):
        if not policies.may_see_personal_data(request.user):
            return []
        return super().get_inline_instances(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method in ("GET", "HEAD") and response.status_code == 200 and policies.may_see_personal_data(request.user):
            client = self.get_object(request, object_id)
            if client is not None and client.contacts.exists():
                services.client_data_access_log(
                    user=request.user, action=DataAccessAction.ADMIN_VIEW, client=client
                )
        return response

    def has_import_permission(self, request):
        return may_import_clients(request.user)

    def get_export_data(self, file_format, request, queryset, **kwargs):
        """R-CLIENT: every export of client data is logged with who and when."""
        data = super().get_export_data(file_format, request, queryset, **kwargs)
        count = queryset.count()
        services.client_data_access_log(
            user=request.user, action=DataAccessAction.EXPORT,
            client=queryset.first() if count == 1 else None,
            # Written in the exporter's language, like the rest of what they see.
            detail=(
                ngettext(
                    "%(count)d client, %(format)s, personal data in clear",
                    "%(count)d clients, %(format)s, personal data in clear",
                    count,
                )
                if policies.may_see_personal_data(request.user)
                else ngettext(
                    "%(count)d client, %(format)s, personal data masked",
                    "%(count)d clients, %(format)s, personal data masked",
                    count,
                )
            )
            % {"count": count, "format": file_format.get_title()},
        )
        return data

    @admin.display(description=_("records"))
    def linked_records(self, obj):
        return self.visible_records_text(obj, list(obj.records.all()))

    def save_related(self, request, form, formsets, change):
        # The records field offers only records the user may see (R-LEND-4);
        # links to hidden ones were never shown, so saving must keep them.
        if change and "records" in form.cleaned_data:
            chosen = list(form.cleaned_data["records"].values_list("pk", flat=True))
            hidden = self.hidden_record_ids(request.user, form.instance.records.all())
            form.cleaned_data["records"] = Record.objects.filter(pk__in=[*chosen, *hidden])
        super().save_related(request, form, formsets, change)


@admin.register(ClientDataAccess)
class ClientDataAccessAdmin(SaneDateFiltersMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The unmasking and export log (R-CLIENT): read only."""

    list_display = ["at", "user", "action", "client", "detail"]
    list_filter = ["action"]
    list_select_related = ["user", "client"]
    date_hierarchy = "at"


@admin.register(ClientPolicy)
class ClientPolicyAdmin(SingletonPolicyAdmin):
    """How often client files are reviewed (R-CLIENT)."""

    list_display = ["__str__", "client_review_interval_days"]
