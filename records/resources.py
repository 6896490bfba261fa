"""Import and export (django-import-export) of the file plan, locations and
the records catalogue.

Column headers are the fields' verbose names in the active language (档号,
题名 …), so a file exported in Chinese is imported in Chinese. The records
catalogue import is all-or-nothing (RecordResource, records.imports). Every export of records starts from `visible_records`, like
every other read (R-LEND-4, R-ACCESS).
"""
import datetime
import re
import string

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from import_export import fields, resources, widgets
from import_export.widgets import ForeignKeyWidget
from simple_history.utils import bulk_create_with_history

from accounts.models import Department, User
from records.history import ChangeReason
from records.models import ArchiveSequence, Category, Location, Policy, Record
from records.models.choices import Medium, RecordStatus, SecurityLevel, retention_label
from records.numbering import format_archive_number
from records.search.indexing import index_records
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


class LocalDateTimeWidget(widgets.Widget):
    """A moment as the portal shows it: local time, to the minute. Export
    only (the columns using it are read-only)."""

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def exported_moment(attribute, label):
    """A read-only column of a date and time, in local time."""
    return fields.Field(attribute=attribute, column_name=label, widget=LocalDateTimeWidget(), readonly=True)


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


# --- the records catalogue ------------------------------------------------------


class ImportCellError(ValueError):
    """A cell's value cannot be imported; the message is the reason."""


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class LookupWidget(widgets.Widget):
    """A foreign key found by one text attribute (code, full code, name),
    looked up in a dictionary filled once per import instead of one query
    per row."""

    def __init__(self, model, attribute, unknown_message):
        super().__init__()
        self.model = model
        self.attribute = attribute
        self.unknown_message = unknown_message
        self._by_key = None

    def reset(self):
        self._by_key = None

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        if self._by_key is None:
            self._by_key = {getattr(obj, self.attribute): obj for obj in self.model.objects.all()}
        key = _text(value)
        try:
            return self._by_key[key]
        except KeyError:
            raise ImportCellError(self.unknown_message % {"value": key}) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else getattr(value, self.attribute)


def person_field(attribute, label):
    """A column naming a user by display name (responsible person, …)."""
    return fields.Field(
        attribute=attribute,
        column_name=label,
        widget=LookupWidget(User, "display_name", _("unknown person %(value)s")),
    )


class ChoiceLabelWidget(widgets.Widget):
    """A choice shown by its label in the active language; read back from
    the code or the label in English or Chinese."""

    def __init__(self, choices):
        super().__init__()
        self.choices = choices
        self._by_text = None

    def _lookup(self):
        if self._by_text is None:
            self._by_text = {}
            for value, label in self.choices.choices:
                self._by_text[value.casefold()] = value
                for language in ("en", "zh-hans"):
                    with override(language):
                        self._by_text[str(label).casefold()] = value
        return self._by_text

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        text = _text(value)
        try:
            return self._lookup()[text.casefold()]
        except KeyError:
            raise ImportCellError(_("unknown value %(value)s") % {"value": text}) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(self.choices(value).label)


class YesNoWidget(widgets.Widget):
    """A yes/no cell written 是/否 (or yes/no) in the active language; read
    back from either language, true/false or 1/0."""

    TRUE = {"yes", "y", "true", "1", "是", "✓"}
    FALSE = {"no", "n", "false", "0", "否"}

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        if isinstance(value, bool):
            return value
        text = _text(value).casefold()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ImportCellError(_("write yes or no, not %(value)s") % {"value": _text(value)})

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(_("yes") if value else _("no"))


PERMANENT = "permanent"
_RETENTION_NUMBER = re.compile(r"^(?:D)?(\d{1,3})\s*(?:年|years?)?$", re.IGNORECASE)


class RetentionWidget(widgets.Widget):
    """Retention as exported (永久, 10年, "10 years"), as a number of years or
    as the archive-number code (Y, D10). Permanent is returned as PERMANENT
    so that it differs from an empty cell (the category's default)."""

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        text = _text(value)
        permanent = {"y", "permanent"}
        with override("zh-hans"):
            permanent.add(str(retention_label(None)).casefold())
        with override("en"):
            permanent.add(str(retention_label(None)).casefold())
        if text.casefold() in permanent:
            return PERMANENT
        match = _RETENTION_NUMBER.match(text)
        if match and int(match.group(1)) > 0:
            return int(match.group(1))
        raise ImportCellError(_("unknown retention period %(value)s") % {"value": text})

    def render(self, value, obj=None, **kwargs):
        return str(retention_label(value))


class ImportDateWidget(widgets.DateWidget):
    FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y-%m-%d %H:%M:%S")

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = _text(value)
        for date_format in self.FORMATS:
            try:
                return datetime.datetime.strptime(text, date_format).date()
            except ValueError:
                continue
        raise ImportCellError(_("not a date: %(value)s (write it as 2024-03-31)") % {"value": text})


class WholeNumberWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        if isinstance(value, bool):
            raise ImportCellError(_("not a whole number: %(value)s") % {"value": value})
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        text = _text(value)
        if re.fullmatch(r"\d+", text):
            return int(text)
        raise ImportCellError(_("not a whole number: %(value)s") % {"value": text})

    def render(self, value, obj=None, **kwargs):
        return value


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return "" if _blank(value) else _text(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value


def archive_number_regex(pattern):
    """A regular expression for archive numbers made with `pattern`; the
    first {item} is captured as "item"."""
    parts = []
    item_seen = False
    for literal, name, _spec, _conversion in string.Formatter().parse(pattern):
        parts.append(re.escape(literal))
        if name is None:
            continue
        if name == "item" and not item_seen:
            parts.append(r"(?P<item>\d+)")
            item_seen = True
        else:
            parts.append(r".+?")
    return re.compile("".join(parts))


class ImportRefused(Exception):
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
    for name in resource.REQUIRED_COLUMNS:
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
        if any(not _blank(value) for value in dataset[header]):
            raise ImportRefused([_("A column with data has no header.")])
        del dataset[header]


def _row_message(row, column, reason):
    return _("Row %(row)d, column “%(column)s”: %(reason)s") % {"row": row, "column": column, "reason": reason}


class RecordResource(VisibleRecordsResource):
    """The records catalogue (案卷目录) as a spreadsheet.

    Export: the records the user may see. Import (all-or-nothing, through
    records.imports and the back office's preview/confirm):

    - headers may be in English or Chinese (the msgids or their zh-hans
      translation), in any order; "archive number", "title", "category code"
      and "year" must be present, and an unknown column refuses the file;
    - a row with an archive number is created FILED under that number; the
      number must follow the policy's pattern for the row's category, year
      and retention, be unique in the file and in the database, and its item
      (the {item} group) becomes item_number; each category's and year's
      ArchiveSequence is raised to the highest imported item, so later
      filings continue after them (R-FILE-5);
    - a row without an archive number is created SUBMITTED: it waits for the
      archivist, who files it and gives it its number as usual (R-FILE-3);
    - existing records are never changed: a row for an existing archive
      number (or, without a number, for an unfiled record with the same title,
      category and year) is skipped when it matches the record and refused
      when it differs. So exporting and re-importing changes nothing;
    - status and filing date are not read (the export shows them); filed by
      and submitted by are the importing user;
    - any error anywhere refuses the whole file: rows are only collected while
      reading, and written in bulk, with history (simple-history's bulk
      helper) and search index entries, only when no row failed.

    Row numbers in messages are the spreadsheet's (header = row 1).
    """

    archive_number = fields.Field(attribute="archive_number", column_name=_("archive number"), widget=TextWidget())
    title = fields.Field(attribute="title", column_name=_("title"), widget=TextWidget())
    category_code = fields.Field(
        attribute="category",
        column_name=_("category code"),
        widget=LookupWidget(Category, "code", _("unknown category %(value)s")),
    )
    category_name = fields.Field(attribute="category__name", column_name=_("category"), readonly=True)
    year = fields.Field(attribute="year", column_name=_("year"), widget=WholeNumberWidget())
    document_date = fields.Field(attribute="document_date", column_name=_("date"), widget=ImportDateWidget())
    responsible_party = fields.Field(
        attribute="responsible_party", column_name=_("responsible party"), widget=TextWidget()
    )
    document_number = fields.Field(attribute="document_number", column_name=_("document number"), widget=TextWidget())
    security_level = fields.Field(
        attribute="security_level", column_name=_("security level"), widget=ChoiceLabelWidget(SecurityLevel)
    )
    retention = fields.Field(attribute="retention_years", column_name=_("retention"), widget=RetentionWidget())
    medium = fields.Field(attribute="medium", column_name=_("medium"), widget=ChoiceLabelWidget(Medium))
    copies = fields.Field(attribute="copies", column_name=_("copies"), widget=WholeNumberWidget())
    pages = fields.Field(attribute="pages", column_name=_("pages"), widget=WholeNumberWidget())
    location = fields.Field(
        attribute="location",
        column_name=_("location"),
        widget=LookupWidget(Location, "full_code", _("unknown location %(value)s")),
    )
    status = choice_label("status", _("status"))
    keywords = fields.Field(attribute="keywords", column_name=_("keywords"), widget=TextWidget())
    department = fields.Field(
        attribute="department",
        column_name=_("owning department"),
        widget=LookupWidget(Department, "name", _("unknown department %(value)s")),
    )
    filed_at = exported_moment("filed_at", _("filed at"))
    notes = fields.Field(attribute="notes", column_name=_("notes"), widget=TextWidget())

    REQUIRED_COLUMNS = ("archive_number", "title", "category_code", "year")
    # Cells left empty take the model's default instead of None.
    DEFAULT_WHEN_BLANK = ("security_level", "medium", "copies", "pages")

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
        import_id_fields = ["archive_number"]
        use_bulk = True
        batch_size = None
        skip_diff = True
        # The preview shows each row's values (templates/admin/import_export/import.html).
        store_row_values = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def get_queryset(self):
        return self.filter_export(Record.objects.select_related("category", "location", "department"))

    def dehydrate_retention(self, record):
        return str(retention_label(record.retention_years))

    # --- import ---------------------------------------------------------------

    def start_import(self, user):
        """State for one import; also used by contracts.resources, whose rows
        create records checked the same way."""
        self._user = user
        self._now = timezone.now()
        self._policy = Policy.current()
        self._number_regex = archive_number_regex(self._policy.archive_number_pattern)
        self._numbers_in_file = {}
        self._items_in_file = {}
        self._sequences = {}

    def before_import(self, dataset, **kwargs):
        self.start_import(kwargs.get("user"))
        prepare_headers(self, dataset)
        self._prefetch(dataset)

    def _prefetch(self, dataset):
        number_column = self.fields["archive_number"].column_name
        numbers = {_text(value) for value in dataset[number_column] if not _blank(value)}
        years = set()
        for value in dataset[self.fields["year"].column_name]:
            try:
                years.add(int(float(value)))
            except (TypeError, ValueError):
                continue
        self.prefetch(numbers, years)
        self._unfiled = {
            (record.title, record.category.code, record.year): record
            for record in Record.objects.filter(archive_number__isnull=True).select_related(
                "category", "location", "department"
            )
        }

    def prefetch(self, numbers, years):
        """Existing records with these archive numbers, and the item numbers
        taken in these years, read once for the whole file."""
        self._existing = {}
        number_list = sorted(numbers)
        for start in range(0, len(number_list), 500):
            for record in Record.objects.filter(archive_number__in=number_list[start : start + 500]).select_related(
                "category", "location", "department"
            ):
                self._existing[record.archive_number] = record
        self._used_items = set(
            Record.objects.filter(item_number__isnull=False, year__in=years).values_list(
                "category_id", "year", "item_number"
            )
        )

    def get_instance(self, instance_loader, row):
        number = row.get(self.fields["archive_number"].column_name)
        if not _blank(number):
            return self._existing.get(_text(number))
        key = (
            _text(row.get(self.fields["title"].column_name) or ""),
            _text(row.get(self.fields["category_code"].column_name) or ""),
            row.get(self.fields["year"].column_name),
        )
        try:
            key = (key[0], key[1], int(float(key[2])))
        except (TypeError, ValueError):
            return None
        return self._unfiled.get(key)

    def import_instance(self, instance, row, **kwargs):
        row_number = kwargs["row_number"] + 1
        errors = {}
        for field in self.get_import_fields():
            try:
                self.import_field(field, instance, row, **kwargs)
            except ValueError as error:
                errors[field.attribute] = ValidationError(
                    str(_row_message(row_number, field.column_name, error))
                )
        for name in self.DEFAULT_WHEN_BLANK:
            attribute = self.fields[name].attribute
            if getattr(instance, attribute) is None and attribute not in errors:
                setattr(instance, attribute, Record._meta.get_field(attribute).get_default())
        if instance.archive_number == "":
            instance.archive_number = None
        category = instance.category if instance.category_id else None
        if instance.retention_years is None and category is not None and "retention_years" not in errors:
            instance.retention_years = category.default_retention_years
        elif instance.retention_years == PERMANENT:
            instance.retention_years = None
        if instance.pk is None:
            self.check_new_record(instance, row_number, errors)
        if errors:
            raise ValidationError(errors)

    def _error(self, errors, row_number, name, reason):
        field = self.fields[name]
        errors[field.attribute] = ValidationError(str(_row_message(row_number, field.column_name, reason)))

    def check_new_record(self, instance, row_number, errors):
        """Archive number format and uniqueness (R-FILE-5), before the row
        may be created."""
        number = instance.archive_number
        if not instance.title and "title" not in errors:
            self._error(errors, row_number, "title", _("a title is required"))
        if instance.category_id is None and "category" not in errors:
            self._error(errors, row_number, "category_code", _("a category is required"))
        if instance.year is None and "year" not in errors:
            self._error(errors, row_number, "year", _("a year is required"))
        if errors or number is None:
            return
        match = self._number_regex.fullmatch(number)
        item = int(match.group("item")) if match else 0
        expected = format_archive_number(
            category=instance.category,
            year=instance.year,
            retention_years=instance.retention_years,
            item=max(item, 1),
            policy=self._policy,
        )
        if match is None or item < 1 or expected != number:
            self._error(
                errors,
                row_number,
                "archive_number",
                _("%(value)s does not follow the archive number pattern for this category, year and retention "
                  "(expected like %(example)s)") % {"value": number, "example": expected},
            )
            return
        first_row = self._numbers_in_file.setdefault(number, row_number)
        if first_row != row_number:
            self._error(
                errors,
                row_number,
                "archive_number",
                _("archive number %(value)s is also in row %(other)d") % {"value": number, "other": first_row},
            )
            return
        key = (instance.category_id, instance.year, item)
        first_row = self._items_in_file.setdefault(key, row_number)
        if key in self._used_items or first_row != row_number:
            self._error(
                errors,
                row_number,
                "archive_number",
                _("item %(item)d of %(category)s %(year)d is already taken")
                % {"item": item, "category": instance.category.code, "year": instance.year},
            )
            return
        instance.item_number = item

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Existing records are not changed by an import: an identical row is
        skipped, a different one refused."""
        if instance.pk is None or import_validation_errors:
            return False
        changed = [
            field
            for field in self.get_import_fields()
            if field.column_name in row and field.get_value(instance) != field.get_value(self._pristine(instance))
        ]
        if not changed:
            return True
        field = changed[0]
        number = instance.archive_number or instance.title
        raise ValidationError(
            {
                field.attribute: str(
                    _row_message(
                        self._row_number,
                        field.column_name,
                        _("%(value)s is already in the catalogue with other data; an import does not change "
                          "existing records") % {"value": number},
                    )
                )
            }
        )

    def _pristine(self, instance):
        return Record.objects.select_related("category", "location", "department").get(pk=instance.pk)

    def before_import_row(self, row, **kwargs):
        self._row_number = kwargs["row_number"] + 1

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(
                exclude=[*errors, "category", "location", "department", "submitted_by", "filed_by"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                column = next(
                    (field.column_name for field in self.fields.values() if field.attribute == name), None
                )
                for message in messages:
                    text = (
                        _row_message(self._row_number, column, message)
                        if column
                        else _("Row %(row)d: %(reason)s") % {"row": self._row_number, "reason": message}
                    )
                    errors.setdefault(name, []).append(str(text))
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        self.prepare_new_record(instance)

    def prepare_new_record(self, instance):
        """Status, filing or submission facts of a record about to be created."""
        if instance.archive_number:
            instance.status = RecordStatus.FILED
            instance.filed_by = self._user
            instance.filed_at = self._now
            key = (instance.category_id, instance.year)
            self._sequences[key] = max(self._sequences.get(key, 0), instance.item_number)
        else:
            instance.status = RecordStatus.SUBMITTED
            instance.submitted_by = self._user
            instance.submitted_at = self._now
        instance.status_changed_at = self._now
        instance.retention_expires_on = instance.compute_retention_expiry()

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Write the collected rows only when every row of the file was
        read without error, and not in a dry run (the preview)."""
        instances = list(self.create_instances)
        self.create_instances.clear()
        if not instances or dry_run or result.has_errors() or result.has_validation_errors():
            return
        try:
            with transaction.atomic():
                created = bulk_create_with_history(
                    instances,
                    Record,
                    batch_size=500,
                    default_user=self._user,
                    default_change_reason=ChangeReason.IMPORTED,
                    default_date=self._now,
                )
                self.raise_sequences()
                index_records([record.pk for record in created])
        except Exception as error:  # reported like any import error; the whole import rolls back
            self.handle_import_error(result, error, raise_errors)

    def raise_sequences(self):
        """Later filings continue after the highest imported item (R-FILE-5)."""
        if not self._sequences:
            return
        ArchiveSequence.objects.bulk_create(
            [ArchiveSequence(category_id=category, year=year, last_item=0) for category, year in self._sequences],
            ignore_conflicts=True,
        )
        for (category, year), last_item in self._sequences.items():
            ArchiveSequence.objects.filter(category_id=category, year=year, last_item__lt=last_item).update(
                last_item=last_item
            )

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        # skip_row refuses every change of an existing record.
        self.update_instances.clear()
