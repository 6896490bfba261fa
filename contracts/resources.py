"""Export and import of the contract ledger (台帐, R-CONTRACT).

Export: the contracts whose record the user may see (R-LEND-4).

Import (all-or-nothing, like the records catalogue; see
records.resources.RecordResource and records.imports): each row creates a
contract and its record. Headers in English or Chinese. The record's class
follows the contract type (contracts.policies.CATEGORY_BY_TYPE, R-SCOPE 1),
its year is the signing year, its title the "title" column (or, when empty,
"<contract type> <contract number>"). With an archive number the record is
FILED under it (checked against the policy's pattern, unique, sequences
raised); without one it is SUBMITTED for the archivist. Contract numbers must
be unique in the file and in the database. A row whose contract number exists
is skipped when it matches the ledger and refused when it differs, so
exporting and re-importing changes nothing.

Holdings (where each original or copy is held, R-CONTRACT) travel in the
optional "Held by" column, written as contracts.holdings renders and reads
it (总经办 原件×1；市场部 复印件×2). A new contract gets the holdings of its
cell, with history rows like the contract's. For an existing contract the
cell must name the same holdings (as a set) or the row is refused like any
other difference. When the column is absent holdings are not compared; when
it is present an empty cell means "no holdings", so it differs from a
contract that has some: an exported ledger re-imports exactly, and a
changed or emptied cell is refused instead of being ignored.
"""
import decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets
from simple_history.utils import bulk_create_with_history

from contracts.holdings import holdings_text, parse_holdings
from contracts.models import Contract, ContractHolding, ContractType, OriginalOrCopy, ReviewResult
from contracts.policies import CATEGORY_BY_TYPE
from records.history import ChangeReason
from records.ledgers.layout import shown_row
from records.models import Category, Record
from records.resources import (
    ChoiceLabelWidget,
    ImportCellError,
    ImportDateWidget,
    RecordResource,
    TextWidget,
    AllOrNothingResource,
    VisibleRecordsResource,
    person_field,
    prepare_headers,
    is_blank,
    row_message,
    cell_text,
)
from records.search import index_records


class AmountWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        try:
            amount = decimal.Decimal(cell_text(value).replace(",", ""))
        except decimal.InvalidOperation:
            raise ImportCellError(_("not an amount: %(value)s") % {"value": cell_text(value)}) from None
        if not amount.is_finite() or amount < 0:
            raise ImportCellError(_("not an amount: %(value)s") % {"value": cell_text(value)})
        return amount.quantize(decimal.Decimal("0.01"))

    def render(self, value, obj=None, **kwargs):
        return value


class ContractResource(VisibleRecordsResource, AllOrNothingResource):
    record_path = "record"

    contract_number = fields.Field(attribute="contract_number", column_name=_("contract number"), widget=TextWidget())
    archive_number = fields.Field(attribute="record__archive_number", column_name=_("archive number"), readonly=True)
    title = fields.Field(attribute="record__title", column_name=_("title"), readonly=True)
    contract_type = fields.Field(
        attribute="contract_type", column_name=_("contract type"), widget=ChoiceLabelWidget(ContractType)
    )
    counterparty_name = fields.Field(attribute="counterparty_name", column_name=_("counterparty"), widget=TextWidget())
    signed_on = fields.Field(attribute="signed_on", column_name=_("signed on"), widget=ImportDateWidget())
    starts_on = fields.Field(attribute="starts_on", column_name=_("term starts"), widget=ImportDateWidget())
    ends_on = fields.Field(attribute="ends_on", column_name=_("term ends"), widget=ImportDateWidget())
    amount = fields.Field(attribute="amount", column_name=_("amount"), widget=AmountWidget())
    currency = fields.Field(attribute="currency", column_name=_("currency"), widget=TextWidget())
    responsible_person = person_field("responsible_person", _("responsible person"))
    original_or_copy = fields.Field(
        attribute="original_or_copy", column_name=_("original or copy"), widget=ChoiceLabelWidget(OriginalOrCopy)
    )
    review_date = fields.Field(attribute="review_date", column_name=_("review date"), widget=ImportDateWidget())
    review_result = fields.Field(
        attribute="review_result", column_name=_("review result"), widget=ChoiceLabelWidget(ReviewResult)
    )
    # No attribute: exported by dehydrate_held_by, imported by import_instance.
    held_by = fields.Field(column_name=_("Held by"), dehydrate_method="dehydrate_held_by")

    REQUIRED_COLUMNS = ("contract_number", "contract_type", "counterparty_name", "signed_on")
    DEFAULTS = {"currency": "CNY", "original_or_copy": OriginalOrCopy.ORIGINAL, "review_result": ""}

    class Meta:
        model = Contract
        fields = [
            "contract_number",
            "archive_number",
            "title",
            "contract_type",
            "counterparty_name",
            "signed_on",
            "starts_on",
            "ends_on",
            "amount",
            "currency",
            "responsible_person",
            "original_or_copy",
            "review_date",
            "review_result",
            "held_by",
        ]
        export_order = fields
        import_id_fields = ["contract_number"]

    def get_queryset(self):
        return self.filter_export(Contract.objects.select_related("record", "responsible_person"))

    def filter_export(self, queryset, **kwargs):
        queryset = super().filter_export(queryset, **kwargs).prefetch_related("holdings")
        if not queryset.query.order_by:
            # Exports of prefetched rows are paged, which needs an explicit order.
            queryset = queryset.order_by(*Contract._meta.ordering)
        return queryset

    def dehydrate_held_by(self, contract):
        return holdings_text(contract)

    # --- import ---------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        self._records = RecordResource(user=kwargs.get("user"))
        self._records.start_import(kwargs.get("user"))
        prepare_headers(self, dataset)
        number_column = self.fields["archive_number"].column_name
        numbers = set()
        if number_column in dataset.headers:
            numbers = {cell_text(value) for value in dataset[number_column] if not is_blank(value)}
        years = set()
        for value in dataset[self.fields["signed_on"].column_name]:
            try:
                signed_on = ImportDateWidget().clean(value)
            except ValueError:
                continue
            if signed_on is not None:
                years.add(signed_on.year)
        self._records.prefetch(numbers, years)
        contract_numbers = [cell_text(v) for v in dataset[self.fields["contract_number"].column_name] if not is_blank(v)]
        self._existing = {}
        for start in range(0, len(contract_numbers), 500):
            for contract in Contract.objects.filter(
                contract_number__in=contract_numbers[start : start + 500]
            ).select_related("record", "responsible_person").prefetch_related("holdings"):
                self._existing[contract.contract_number] = contract
        self._contract_numbers_in_file = {}
        self._categories = {category.code: category for category in Category.objects.all()}

    def get_instance(self, instance_loader, row):
        number = row.get(self.fields["contract_number"].column_name)
        return None if is_blank(number) else self._existing.get(cell_text(number))

    def before_import_row(self, row, **kwargs):
        self._row_number = shown_row(kwargs["row_number"])

    def _error(self, errors, name, reason):
        field = self.fields[name]
        errors[name] = ValidationError(str(row_message(self._row_number, field.column_name, reason)))

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        for field in self.get_import_fields():
            try:
                self.import_field(field, instance, row, **kwargs)
            except ValueError as error:
                self._error(errors, self._name_of(field), error)
        self._import_holdings(instance, row, errors)
        for attribute, default in self.DEFAULTS.items():
            if getattr(instance, attribute) is None:
                setattr(instance, attribute, default)
        if instance.pk is None and not errors:
            self._check_new_contract(instance, row, errors)
        if errors:
            raise ValidationError(errors)

    def _import_holdings(self, instance, row, errors):
        """The holdings of the row's "Held by" cell, kept on the instance
        for skip_row and bulk_create; None when the file has no such column."""
        instance._imported_holdings = None
        column = self.fields["held_by"].column_name
        if column not in row:
            return
        value = row[column]
        try:
            instance._imported_holdings = parse_holdings(None if is_blank(value) else cell_text(value))
        except ValueError as error:
            self._error(errors, "held_by", error)

    def _name_of(self, field):
        return next(name for name, candidate in self.fields.items() if candidate is field)

    def _check_new_contract(self, contract, row, errors):
        if not contract.contract_number:
            self._error(errors, "contract_number", _("a contract number is required"))
        if not contract.contract_type:
            self._error(errors, "contract_type", _("a contract type is required"))
        if not contract.counterparty_name:
            self._error(errors, "counterparty_name", _("a counterparty is required"))
        if contract.signed_on is None:
            self._error(errors, "signed_on", _("the signing date is required"))
        if contract.starts_on and contract.ends_on and contract.ends_on < contract.starts_on:
            self._error(errors, "ends_on", _("the term ends before it starts"))
        if errors:
            return
        first_row = self._contract_numbers_in_file.setdefault(contract.contract_number, self._row_number)
        if first_row != self._row_number:
            self._error(
                errors,
                "contract_number",
                _("contract number %(value)s is also in row %(other)d")
                % {"value": contract.contract_number, "other": first_row},
            )
            return
        category = self._categories[CATEGORY_BY_TYPE[contract.contract_type]]
        number = row.get(self.fields["archive_number"].column_name)
        title = row.get(self.fields["title"].column_name)
        record = Record(
            archive_number=None if is_blank(number) else cell_text(number),
            title=cell_text(title) if not is_blank(title) else f"{contract.get_contract_type_display()} {contract.contract_number}",
            category=category,
            year=contract.signed_on.year,
            document_date=contract.signed_on,
            retention_years=category.default_retention_years,
        )
        record_errors = {}
        self._records.check_new_record(record, self._row_number, record_errors)
        for name, error in record_errors.items():
            errors[name] = error
        contract.record = record

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if instance.pk is None or import_validation_errors:
            return False
        pristine = Contract.objects.select_related("responsible_person").get(pk=instance.pk)
        for name, field in self.fields.items():
            if field.readonly or field.column_name not in row:
                continue
            if field.get_value(instance) != field.get_value(pristine):
                self._refuse_change(name, instance)
        imported = instance._imported_holdings
        if imported is not None:
            existing = {
                (holding.holder, holding.original_or_copy, holding.copies) for holding in instance.holdings.all()
            }
            if set(imported) != existing:
                self._refuse_change("held_by", instance)
        return True

    def _refuse_change(self, name, instance):
        raise ValidationError(
            {
                name: str(
                    row_message(
                        self._row_number,
                        self.fields[name].column_name,
                        _("contract %(value)s is already in the ledger with other data; an import does "
                          "not change existing contracts") % {"value": instance.contract_number},
                    )
                )
            }
        )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if import_validation_errors:
            raise ValidationError(import_validation_errors)

    def before_save_instance(self, instance, row, **kwargs):
        self._records.prepare_new_record(instance.record)

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        contracts = list(self.create_instances)
        self.create_instances.clear()
        if not contracts or dry_run or result.has_errors() or result.has_validation_errors():
            return
        user = self._records._user
        now = self._records._now
        try:
            with transaction.atomic():
                records = bulk_create_with_history(
                    [contract.record for contract in contracts],
                    Record,
                    batch_size=500,
                    default_user=user,
                    default_change_reason=ChangeReason.IMPORTED,
                    default_date=now,
                )
                for contract, record in zip(contracts, records):
                    contract.record = record
                bulk_create_with_history(
                    contracts,
                    Contract,
                    batch_size=500,
                    default_user=user,
                    default_change_reason=ChangeReason.IMPORTED,
                    default_date=now,
                )
                holdings = [
                    ContractHolding(contract=contract, holder=holder, original_or_copy=kind, copies=copies)
                    for contract in contracts
                    for holder, kind, copies in contract._imported_holdings or ()
                ]
                if holdings:
                    bulk_create_with_history(
                        holdings,
                        ContractHolding,
                        batch_size=500,
                        default_user=user,
                        default_change_reason=ChangeReason.IMPORTED,
                        default_date=now,
                    )
                self._records.raise_sequences()
                index_records([record.pk for record in records])
        except Exception as error:  # reported like any import error; the whole import rolls back
            self.handle_import_error(result, error, raise_errors)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        # skip_row refuses every change of an existing contract.
        self.update_instances.clear()
