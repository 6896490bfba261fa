"""Import and export of the records catalogue (RecordResource). The
import is all-or-nothing (RecordResource, records.imports); archive numbers
are checked against the policy's pattern and kept unique (R-FILE-5) by
records.resources.catalogue_filing.
Every export of records starts from `visible_records`, like every other
read (R-LEND-4, R-ACCESS).
"""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from import_export import fields
from simple_history.utils import bulk_create_with_history

from accounts.models import Department
from records.history import ChangeReason
from records.ledgers.layout import shown_row
from records.models import Category, Location, Record
from records.models.choices import Medium, SecurityLevel, retention_label
from records.resources.catalogue_filing import CatalogueFiling
from records.resources.columns import AllOrNothingResource, VisibleRecordsResource, prepare_headers
from records.resources.widgets import (
    PERMANENT,
    ChoiceLabelWidget,
    ImportDateWidget,
    LookupWidget,
    RetentionWidget,
    TextWidget,
    WholeNumberWidget,
    is_blank,
    row_message,
    cell_text,
    choice_label,
    exported_moment,
)
from records.search.indexing import index_new_records, read_trees


class RecordResource(VisibleRecordsResource, AllOrNothingResource):
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
    notes = fields.Field(attribute="notes", column_name=_("notes"), widget=TextWidget(multiline=True))

    REQUIRED_COLUMNS = ("archive_number", "title", "category_code", "year")
    # Not checked by full_clean (validate_instance): the lookups (their
    # widgets found the row), the people (the importing user), and what an
    # import never sets before the check: the model's defaults, or set by
    # prepare_new_record after it.
    NOT_VALIDATED = (
        "category", "location", "department", "submitted_by", "filed_by", "id", "status", "return_reason",
        "submitted_at", "filed_at", "retention_expires_on", "retention_extended_years", "disposition_reason",
        "transferred_to", "status_changed_at", "created_at", "updated_at",
    )
    # Cells left empty take the model's default instead of None.
    DEFAULT_WHEN_BLANK = ("security_level", "medium", "copies", "pages")
    # Rows written (with history and index entries) at a time by bulk_create.
    WRITE_CHUNK = 10_000

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
        skip_unchanged = True

    def get_queryset(self):
        return self.filter_export(Record.objects.select_related("category", "location", "department"))

    def dehydrate_retention(self, record):
        return str(retention_label(record.retention_years))

    # --- import ---------------------------------------------------------------

    def start_import(self, user):
        """State for one import; also used by contracts.resources, whose rows
        create records checked the same way."""
        self._filing = CatalogueFiling(user)
        # Who and when of the history rows (contracts.resources reads them too).
        self._user, self._now = self._filing.user, self._filing.now

    def before_import(self, dataset, **kwargs):
        self.start_import(kwargs.get("user"))
        prepare_headers(self, dataset)
        self._prefetch(dataset)

    def _prefetch(self, dataset):
        number_column = self.fields["archive_number"].column_name
        numbers = {cell_text(value) for value in dataset[number_column] if not is_blank(value)}
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
        """Existing records and taken items, read once for the whole file."""
        self._filing.prefetch(numbers, years)

    def get_instance(self, instance_loader, row):
        number = row.get(self.fields["archive_number"].column_name)
        if not is_blank(number):
            return self._filing.existing.get(cell_text(number))
        key = (
            cell_text(row.get(self.fields["title"].column_name) or ""),
            cell_text(row.get(self.fields["category_code"].column_name) or ""),
            row.get(self.fields["year"].column_name),
        )
        try:
            key = (key[0], key[1], int(float(key[2])))
        except (TypeError, ValueError):
            return None
        return self._unfiled.get(key)

    def import_instance(self, instance, row, **kwargs):
        row_number = shown_row(kwargs["row_number"])
        errors = {}
        for field in self.get_import_fields():
            try:
                self.import_field(field, instance, row, **kwargs)
            except ValueError as error:
                errors[field.attribute] = ValidationError(
                    str(row_message(row_number, field.column_name, error))
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
        errors[field.attribute] = ValidationError(str(row_message(row_number, field.column_name, reason)))

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
        refusal = self._filing.number_refusal(instance, row_number)
        if refusal is not None:
            self._error(errors, row_number, "archive_number", refusal)

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
                    row_message(
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
        self._row_number = shown_row(kwargs["row_number"])

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(
                exclude=[*errors, *self.NOT_VALIDATED],
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
                        row_message(self._row_number, column, message)
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
        self._filing.prepare_new_record(instance)

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Write the collected rows only when every row of the file was
        read without error, and not in a dry run (the preview)."""
        instances = list(self.create_instances)
        self.create_instances.clear()
        if not instances or dry_run or result.has_errors() or result.has_validation_errors():
            return
        try:
            with transaction.atomic():
                self.write_new_records(instances)
        except Exception as error:  # reported like any import error; the whole import rolls back
            self.handle_import_error(result, error, raise_errors)

    def write_new_records(self, instances):
        """The records, their history rows and their index entries, in
        chunks of WRITE_CHUNK (what is held at once stays small); the
        sequences raised at the end. Inside the caller's transaction."""
        trees = read_trees()
        for start in range(0, len(instances), self.WRITE_CHUNK):
            created = bulk_create_with_history(
                instances[start : start + self.WRITE_CHUNK],
                Record,
                batch_size=500,
                default_user=self._user,
                default_change_reason=ChangeReason.IMPORTED,
                default_date=self._now,
            )
            index_new_records(created, trees=trees)
        self.raise_sequences()

    def raise_sequences(self):
        """Later filings continue after the highest imported item (R-FILE-5)."""
        self._filing.raise_sequences()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        # skip_row refuses every change of an existing record.
        self.update_instances.clear()
