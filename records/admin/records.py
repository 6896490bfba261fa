"""Admin of records, their attachments and confidential access grants."""
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import open_or_closed_filter
from core.text import join_items
from accounts.admin import BackOfficeAdmin
from records.admin.access import AccessLoggedAdminMixin
from records.admin.export import LedgerImportExportMixin
from records.admin.visibility import VisibleRecordFieldsMixin
from records.exceptions import RecordActionRefused
from records.files import ALLOWED_TYPES
from records.ledgers.kinds import may_import_records
from records.models import AccessGrant, Attachment, Record
from records.previews import bare_mime, type_label
from records.resources import RecordResource
from records.selectors import visible_records
from records.services import record_file

# Set by records.services only: a record changes state through a service,
# never by editing these fields (R-FILE-3, R-FILE-5).
RECORD_STATE_FIELDS = [
    "status",
    "archive_number",
    "item_number",
    "submitted_by",
    "submitted_at",
    "filed_by",
    "filed_at",
    "status_changed_at",
    "retention_expires_on",
    "created_at",
    "updated_at",
]
@admin.register(Record)
class RecordAdmin(AccessLoggedAdminMixin, LedgerImportExportMixin, BackOfficeAdmin):
    # The catalogue import (RecordResource): the file is checked first
    # (records.imports), then previewed (dry run) and confirmed.
    resource_classes = [RecordResource]
    export_file_title = _("Records catalogue")
    list_display = ["archive_number", "title", "category", "year", "security_level", "status", "location", "filed_at"]
    list_display_links = ["archive_number", "title"]
    list_filter = ["status", "security_level", "category", "year", "medium", "department"]
    list_select_related = ["category", "location"]
    search_fields = ["archive_number", "title", "keywords", "responsible_party", "document_number"]
    date_hierarchy = "filed_at"
    autocomplete_fields = ["category", "location"]
    actions = ["file_selected"]
    readonly_fields = RECORD_STATE_FIELDS
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "archive_number",
                    "status",
                    "title",
                    ("category", "year"),
                    ("document_date", "document_number"),
                    "responsible_party",
                    "department",
                )
            },
        ),
        (
            _("Keeping"),
            {
                "fields": (
                    ("security_level", "retention_years", "retention_expires_on"),
                    ("medium", "copies", "pages"),
                    "location",
                    "keywords",
                    "notes",
                )
            },
        ),
        (
            _("Filing"),
            {
                "fields": (
                    "item_number",
                    ("submitted_by", "submitted_at"),
                    ("filed_by", "filed_at"),
                    "status_changed_at",
                    ("created_at", "updated_at"),
                )
            },
        ),
    )

    def get_queryset(self, request):
        # One function decides what a user sees: list, counts, search,
        # autocomplete, export and history all pass through here (R-LEND-4).
        return visible_records(request.user, super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.is_catalogued:
            # Nobody writes on a filed original (R-FILE-3): corrections go
            # through the record page, with a reason (records.services.record_correct).
            readonly += [f.name for f in self.model._meta.fields if f.editable and f.name not in readonly]
        return readonly

    def has_import_permission(self, request):
        return may_import_records(request.user)

    def view_on_site(self, obj):
        return reverse("record_detail", args=[obj.pk])

    def has_file_record_permission(self, request):
        return request.user.has_perm("records.file_record")

    @admin.action(description=_("File selected records"), permissions=["file_record"])
    def file_selected(self, request, queryset):
        """Files each selected item through records.services.record_file,
        which gives the archive number (R-FILE-3, R-FILE-5) and refuses any
        item that is not waiting to be filed."""
        filed = []
        for record in queryset.order_by("pk"):
            try:
                filed.append(record_file(record=record, by=request.user))
            except RecordActionRefused as refusal:
                self.message_user(
                    request,
                    _("%(record)s was not filed: %(reason)s") % {"record": record, "reason": refusal},
                    messages.WARNING,
                )
        if filed:
            self.message_user(
                request,
                ngettext(
                    "%(count)d record filed: %(numbers)s",
                    "%(count)d records filed: %(numbers)s",
                    len(filed),
                )
                % {"count": len(filed), "numbers": join_items(record.archive_number for record in filed)},
                messages.SUCCESS,
            )


class FileTypeFilter(admin.SimpleListFilter):
    """Attachments by their type in words (records.previews), offering the
    types present among the files the user may see; a text file's stored
    type carries its charset ("text/plain; charset=utf-8")."""

    title = _("file type")
    parameter_name = "file_type"

    def lookups(self, request, model_admin):
        stored = model_admin.get_queryset(request).values_list("content_type", flat=True).distinct()
        present = {bare_mime(content_type) for content_type in stored}
        return [(file_type.code, file_type.label) for file_type in ALLOWED_TYPES if file_type.mime in present]

    def queryset(self, request, queryset):
        file_type = next((file_type for file_type in ALLOWED_TYPES if file_type.code == self.value()), None)
        if file_type is None:
            return queryset
        return queryset.filter(Q(content_type=file_type.mime) | Q(content_type__startswith=f"{file_type.mime};"))


@admin.register(Attachment)
class AttachmentAdmin(VisibleRecordFieldsMixin, BackOfficeAdmin):
    """View only: files, sizes and checksums are set at upload by a service.
    The type reads in words, as on the record page; the stored MIME type and
    the SHA-256 checksum wait in a folded "technical information" section of
    the file's own page."""

    list_display = ["original_name", "record", "size", "file_type", "uploaded_by", "uploaded_at", "destroyed_at"]
    list_filter = [FileTypeFilter, open_or_closed_filter(
        "destroyed_at", open_label=_("Kept"), closed_label=_("Destroyed"), title=_("destroyed")
    )]
    list_select_related = ["record", "uploaded_by"]
    search_fields = ["original_name", "sha256", "record__archive_number", "record__title"]
    date_hierarchy = "uploaded_at"
    # The file itself has no URL (private storage); it is offered through the
    # portal's download view, which checks visibility again.
    fieldsets = [
        (None, {"fields": [
            "record", "original_name", "download", "size", "file_type", "uploaded_by", "uploaded_at",
            "destroyed_at", "bytes_removed_at",
        ]}),
        (_("Technical details"), {"classes": ["collapse"], "fields": ["content_type", "sha256"]}),
    ]
    readonly_fields = [name for _title, options in fieldsets for name in options["fields"]]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(record__in=visible_records(request.user).values("pk"))

    @admin.display(description=_("file type"))
    def file_type(self, obj):
        return type_label(obj)

    @admin.display(description=_("download"))
    def download(self, obj):
        if obj.is_destroyed:
            # A tombstone (R-DISP-3): the bytes are gone or about to go.
            return _("Destroyed")
        return format_html('<a href="{}">{}</a>', reverse("attachment_download", args=[obj.pk]), _("Download"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class GrantStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("active", _("Active")),
            ("scheduled", _("Not started yet")),
            ("lapsed", _("Lapsed")),
            ("revoked", _("Revoked")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        not_revoked = Q(revoked_at__isnull=True)
        conditions = {
            "active": not_revoked & Q(starts_at__lte=now, ends_at__gt=now),
            "scheduled": not_revoked & Q(starts_at__gt=now),
            "lapsed": not_revoked & Q(ends_at__lte=now),
            "revoked": Q(revoked_at__isnull=False),
        }
        if self.value() in conditions:
            return queryset.filter(conditions[self.value()])
        return queryset


@admin.register(AccessGrant)
class AccessGrantAdmin(VisibleRecordFieldsMixin, BackOfficeAdmin):
    """Who may see which confidential record until when (R-LEND-4,
    R-ACCESS). The granting head is recorded automatically."""

    list_display = ["user", "record", "starts_at", "ends_at", "is_active", "granted_by", "revoked_at"]
    list_filter = [GrantStateFilter]
    list_select_related = ["user", "record", "granted_by"]
    search_fields = ["user__username", "user__full_name", "record__archive_number", "record__title", "reason"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["record"]
    fields = ["user", "record", "starts_at", "ends_at", "reason", "revoked_at", "granted_by", "created_at"]
    readonly_fields = ["granted_by", "created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(record__in=visible_records(request.user).values("pk"))

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # A grant is for one person and one record; another needs a new grant.
            readonly += ["user", "record"]
        return readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = get_user_model().objects.filter(is_active=True).order_by("name_sort_key", "username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("active"), boolean=True)
    def is_active(self, obj):
        return obj.is_active

    def save_model(self, request, obj, form, change):
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)
