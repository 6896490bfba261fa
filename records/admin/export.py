"""Import and export in the back office (django-import-export), the same for
every list that has them: the records catalogue, the contract ledger, the
client directory, the file plan and the locations.

- Files are .xlsx or .csv written by records.resources.formats: text that a
  spreadsheet could read as a formula stays text (issue 10, safe exports),
  named in the reader's language with the local date (合同台帐-2026-12-02.xlsx).
- An uploaded file waits for its confirmation in the archive's own
  directory (records.import_files); the confirmation is signed, so a forged
  or stale one (a changed file name, original name or format, a file already
  imported, cancelled or expired) changes nothing and says so in a message;
  the file is removed after the confirmation, after a cancel, and at once
  when the preview shows it cannot be imported.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.forms import SelectableFieldsExportForm

from records.admin.export_jobs import export_in_background
from records.admin.import_jobs import import_in_background
from records.import_files import ImportTmpStorage, sign_confirmation
from records.imports import (
    CONFIRMATION_FORGED,
    CONFIRMATION_STALE,
    SignedConfirmImportForm,
    ValidatedImportForm,
    error_messages,
)
from records.resources.formats import LEDGER_FORMATS


class ColumnNameExportForm(SelectableFieldsExportForm):
    """The export form lists each column by its header (档号, 题名 …)
    rather than by the resource's English attribute name."""

    def _get_field_label(self, resource, field_name):
        field = resource.fields.get(field_name)
        if field is not None and field.column_name:
            return capfirst(str(field.column_name))
        return super()._get_field_label(resource, field_name)


class SafeImportExportMixin(ImportExportMixin):
    """Safe files, and an import confirmed at most once by whoever uploaded
    it (see the module's docstring)."""

    formats = LEDGER_FORMATS
    export_form_class = ColumnNameExportForm
    confirm_form_class = SignedConfirmImportForm
    # Also the setting IMPORT_EXPORT_TMP_STORAGE_CLASS; named here because
    # process_import claims the file, which only this storage does.
    tmp_storage_class = ImportTmpStorage

    # What an exported file is called, before its date; None: the model's
    # plural name (档案, 存放位置 …).
    export_file_title = None

    # -- export -----------------------------------------------------------
    def get_export_filename(self, request, queryset, file_format):
        """The list's name in the reader's language and today's local date:
        合同台帐-2026-12-02.xlsx rather than Contract-2026-12-02.xlsx."""
        title = self.export_file_title or capfirst(self.model._meta.verbose_name_plural)
        return f"{title}-{timezone.localdate().isoformat()}.{file_format.get_extension()}"

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        # A long export is written by a background job (records.admin.export_jobs).
        in_background = export_in_background(self, request, queryset, file_format)
        if in_background is not None:
            return in_background
        # The library writes the name between quotes, which a browser cannot
        # read outside ASCII; RFC 6266's filename* carries the Chinese name.
        response = super()._do_file_export(file_format, request, queryset, export_form=export_form)
        response["Content-Disposition"] = content_disposition_header(
            True, self.get_export_filename(request, queryset, file_format)
        )
        return response

    def get_export_data(self, file_format, request, queryset, **kwargs):
        """As django-import-export's, but numbers and dates stay numbers and
        dates in our .xlsx too (the library recognises only its own format
        classes as binary, by their exact type)."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        data = self.get_data_for_export(request, queryset, force_native_type=file_format.is_binary(), **kwargs)
        export_data = file_format.export_data(data)
        encoding = kwargs.get("encoding")
        if not file_format.is_binary() and encoding:
            export_data = export_data.encode(encoding)
        return export_data

    def get_valid_export_item_pks(self, request):
        # The rows an "export selected" action may name: those the list shows
        # (the library's default, every row of the table, warns as deprecated).
        return self.get_queryset(request).values_list("pk", flat=True)

    # -- import: preview --------------------------------------------------
    def get_confirm_form_kwargs(self, request, import_form=None):
        kwargs = super().get_confirm_form_kwargs(request, import_form)
        kwargs["user"] = request.user
        return kwargs

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["signature"] = sign_confirmation(
                user=request.user,
                import_file_name=initial["import_file_name"],
                original_file_name=initial["original_file_name"],
                file_format=initial["format"],
                resource=initial["resource"],
            )
        return initial

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        form = context.get("form")
        upload = getattr(form, "cleaned_data", {}).get("import_file")
        stored_name = getattr(upload, "tmp_storage_name", None)
        if stored_name and context.get("confirm_form") is None:
            # The preview refused the file: nothing can confirm it, so it goes now.
            self.get_tmp_storage_class()(name=stored_name).remove()
        return response

    # -- import: confirmation ---------------------------------------------
    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        """Confirm (or cancel, with "cancel" in the form) a previewed import.
        A forged or stale confirmation imports nothing and says why."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        confirm_form = self.create_confirm_form(request)
        if not confirm_form.is_valid():
            return self._confirmation_refused(request, confirm_form.non_field_errors() or [CONFIRMATION_FORGED])
        storage = self.get_tmp_storage_class()(
            name=confirm_form.cleaned_data["import_file_name"], **self.get_tmp_storage_class_kwargs()
        )
        if "cancel" in request.POST:
            storage.remove()
            messages.info(request, _("Import cancelled; nothing was imported."))
            return redirect(self._admin_url("changelist"))
        if not storage.claim():
            return self._confirmation_refused(request, [CONFIRMATION_STALE])
        in_background = import_in_background(self, request, storage, confirm_form, self._row_count(storage, confirm_form))
        if in_background is not None:
            return in_background  # the job owns the claimed file now
        try:
            result = self._import_claimed_file(storage, confirm_form, request, **kwargs)
        finally:
            storage.remove()
        if result is None:
            return self._confirmation_refused(request, [CONFIRMATION_STALE])
        if result.has_errors() or result.has_validation_errors():
            # The data changed since the preview (someone imported the same rows).
            return self._confirmation_refused(request, error_messages(result) or [CONFIRMATION_STALE])
        return self.process_result(result, request)

    def _claimed_dataset(self, storage, confirm_form):
        """The claimed file read as a dataset; None when it cannot be read."""
        input_format = self.get_import_formats()[int(confirm_form.cleaned_data["format"])](
            encoding=self.from_encoding
        )
        try:
            return input_format.create_dataset(storage.read())
        except Exception:  # a damaged file raises whatever its reader raises
            return None

    def _row_count(self, storage, confirm_form):
        dataset = self._claimed_dataset(storage, confirm_form)
        return 0 if dataset is None else len(dataset)

    def _import_claimed_file(self, storage, confirm_form, request, **kwargs):
        """Read the claimed file and import it, all or nothing; None when it
        cannot be read any more. A long file is imported by a background job
        (records.admin.import_jobs), through this same method."""
        dataset = self._claimed_dataset(storage, confirm_form)
        if dataset is None:
            return None
        return self.process_dataset(
            dataset, confirm_form, request, raise_errors=False, rollback_on_validation_errors=True, **kwargs
        )

    def _confirmation_refused(self, request, reasons):
        for reason in reasons:
            messages.error(request, str(reason))
        return redirect(self._admin_url("import"))

    def _admin_url(self, view):
        return "admin:%s_%s_%s" % (*self.get_model_info(), view)


class LedgerImportExportMixin(SafeImportExportMixin):
    """Import and export of a ledger (records catalogue, contract ledger,
    client directory) in the back office: columns named by their headers,
    the file checked by records.imports before the preview, and the request
    user handed to the resource, which decides what may be exported, logs
    the confidential records an export includes and who imported (R-LEND-4,
    R-ACCESS, R-CLIENT)."""

    import_form_class = ValidatedImportForm
    from_encoding = "utf-8-sig"

    def get_export_resource_kwargs(self, request, **kwargs):
        resource_kwargs = super().get_export_resource_kwargs(request, **kwargs)
        resource_kwargs["user"] = request.user
        return resource_kwargs

    def get_import_resource_kwargs(self, request, **kwargs):
        resource_kwargs = super().get_import_resource_kwargs(request, **kwargs)
        resource_kwargs["user"] = request.user
        return resource_kwargs
