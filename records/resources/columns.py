"""The header machinery of every ledger resource: column headers are the
fields' verbose names in the active language (档号, 题名 …), so a file
exported in Chinese is imported in Chinese; a file's headers, in English or
Chinese, are mapped back to columns or the whole file is refused
(prepare_headers, ImportRefused). Every export of records starts from
`visible_records`, like every other read, and logs the confidential records
it includes (VisibleRecordsResource; R-LEND-4, R-ACCESS).
"""
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from import_export import resources
from import_export.results import RowResult

from core.exceptions import ActionRefused
from records.access_log import log_access_many
from records.models import AccessAction, Record
from records.resources.widgets import is_blank
from records.selectors import visible_records


class VerboseNameResource(resources.ModelResource):
    """A model resource whose column headers are verbose names."""

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        field = super().field_from_django_field(field_name, django_field, readonly)
        field.column_name = capfirst(django_field.verbose_name)
        return field

    def get_user_visible_fields(self):
        # The import page lists the columns it reads; export-only ones are not.
        return [field for field in super().get_user_visible_fields() if not field.readonly]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Headers are matched against the file's header row during import,
        # so they are fixed to plain text in the language of this request.
        for field in self.fields.values():
            if field.column_name is not None:
                field.column_name = str(field.column_name)
        self._export_progress = None

    def export(self, queryset=None, **kwargs):
        """As the library's; `progress`, when given, is called with the
        number of rows written so far (a background export's job page
        counts them: records.admin.export_jobs)."""
        self._export_progress = kwargs.pop("progress", None)
        return super().export(queryset, **kwargs)

    def iter_queryset(self, queryset):
        if self._export_progress is None:
            yield from super().iter_queryset(queryset)
            return
        for done, row in enumerate(super().iter_queryset(queryset), start=1):
            yield row
            self._export_progress(done)


class AllOrNothingResource(VerboseNameResource):
    """The options every ledger import shares (records catalogue, contract
    ledger, client directory): rows are collected while the file is read and
    written in bulk by the subclass's bulk_create only when no row failed, in
    one transaction; the preview shows each row's values
    (templates/admin/import_export/import.html)."""

    class Meta:
        use_bulk = True
        batch_size = None
        skip_diff = True
        store_row_values = True
        report_skipped = True
        use_transactions = True

    def import_row(self, row, instance_loader, **kwargs):
        """A row with nothing in it (a spacer line in a kept ledger) is
        passed over, not refused: it is no record, contract or client."""
        if all(is_blank(value) for value in row.values()):
            result = self.get_row_result_class()()
            result.import_type = RowResult.IMPORT_TYPE_SKIP
            return result
        return super().import_row(row, instance_loader, **kwargs)


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

    def after_export(self, queryset, dataset, **kwargs):
        """The confidential records in the export leave one access-log row
        each (R-ACCESS), naming the export."""
        super().after_export(queryset, dataset, **kwargs)
        if self.user is None:
            return
        records = queryset if not self.record_path else Record.objects.filter(
            pk__in=queryset.values(self.record_path)
        )
        log_access_many(user=self.user, records=records, action=AccessAction.PRINTED, where=self.export_name())

    def export_name(self):
        """How the access log names this export: 后台导出：档案 …"""
        return _("Back-office export: %(what)s") % {"what": self._meta.model._meta.verbose_name_plural}


class ImportRefused(ActionRefused):
    """The file as a whole cannot be imported (wrong columns); `messages`
    says why, one text per problem."""

    def __init__(self, messages):
        self.messages = [str(message) for message in messages]
        super().__init__(" ".join(self.messages))


def prepare_headers(resource, dataset):
    """Map a file's headers, in English or Chinese, to `resource`'s columns,
    or refuse the whole file: unknown, doubled or missing columns; a column
    with data but no header. Empty unnamed columns are dropped. Shared by
    every ledger import (records, contracts)."""
    for field in resource.fields.values():
        if hasattr(field.widget, "reset"):
            field.widget.reset()
    labels = {}
    for name, field in type(resource).fields.items():
        labels[name.casefold()] = name
        for language in ("en", "zh-hans"):
            with override(language):
                labels[str(field.column_name).strip().casefold()] = name
    headers, problems, seen = [], [], set()
    for header in dataset.headers or []:
        text = "" if header is None else str(header).strip()
        name = labels.get(text.casefold())
        if not text:
            headers.append(f"__blank_{len(headers)}")
        elif name is None:
            problems.append(_("Unknown column “%(column)s”.") % {"column": text})
            headers.append(text)
        elif name in seen:
            problems.append(_("Column “%(column)s” appears twice.") % {"column": text})
            headers.append(text)
        else:
            seen.add(name)
            headers.append(resource.fields[name].column_name)
    if not seen:
        # Not a header row at all: a title row above the headers, as kept
        # ledgers and the printed registers have.
        problems = [_(
            "The first row holds none of the list's column names; if the file has a title or other rows above "
            "its headers, import it with “Import a ledger”, which finds the header row."
        )]
    for name in resource.REQUIRED_COLUMNS if seen else ():
        if name not in seen:
            problems.append(_("Missing column “%(column)s”.") % {"column": resource.fields[name].column_name})
    if problems:
        # Nothing is read from a file with wrong columns.
        dataset.wipe()
        dataset.headers = [field.column_name for field in resource.fields.values()]
        raise ImportRefused(problems)
    blank_columns = [header for header in headers if header.startswith("__blank_")]
    dataset.headers = headers
    for header in blank_columns:
        if any(not is_blank(value) for value in dataset[header]):
            raise ImportRefused([_("A column with data has no header.")])
        del dataset[header]
