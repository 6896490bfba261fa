"""Archive numbers (R-FILE-5): configurable pattern, unique, gap-free, and
correct when several people file at the same moment, on SQLite and PostgreSQL."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from records.models import Policy, Record
from records.models.policy import validate_archive_number_pattern
from records.numbering import allocate_item_number
from records.services import record_file
from tests.concurrency import at_once
from tests.factories import RecordFactory, category


def test_r_file_5_default_pattern_follows_da_t_22(archivist):
    record = record_file(record=RecordFactory(year=2024, retention_years=30), by=archivist)
    assert record.archive_number == "J001-HTDL·2024-D30-SCB-0001"
    permanent = record_file(record=RecordFactory(year=2024, retention_years=None), by=archivist)
    assert permanent.archive_number == "J001-HTDL·2024-Y-SCB-0002"


def test_r_file_5_items_count_per_category_and_year(archivist):
    a = record_file(record=RecordFactory(year=2024), by=archivist)
    b = record_file(record=RecordFactory(year=2023), by=archivist)
    c = record_file(record=RecordFactory(year=2024, category=category("HTQT"), retention_years=10), by=archivist)
    d = record_file(record=RecordFactory(year=2024), by=archivist)
    assert [a.item_number, b.item_number, c.item_number, d.item_number] == [1, 1, 1, 2]
    assert c.archive_number == "J001-HTQT·2024-D10-SCB-0001"


def test_r_file_5_pattern_is_configurable(archivist):
    policy = Policy.current()
    policy.archive_number_pattern = "{unit}-{category}-{year}-{item:05d}"
    policy.unit_code = "MKT"
    policy.save()
    record = record_file(record=RecordFactory(year=2025), by=archivist)
    assert record.archive_number == "MKT-HTDL-2025-00001"


@pytest.mark.parametrize(
    "pattern, message",
    [
        ("{fonds}-{category}", "{item}"),
        ("{fonds}-{foo}-{item}", "foo"),
        ("{fonds-{item}", "not well formed"),
        ("{item:xyz}", "not well formed"),
    ],
)
def test_r_file_5_bad_patterns_are_refused(pattern, message):
    with translation.override("en"), pytest.raises(ValidationError, match=message):
        validate_archive_number_pattern(pattern)


def test_r_file_5_rolled_back_filing_returns_its_number(archivist):
    first = RecordFactory(year=2024)
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            record_file(record=first, by=archivist)
            raise RuntimeError("the handover was interrupted")
    first.refresh_from_db()
    assert first.archive_number is None
    second = record_file(record=RecordFactory(year=2024), by=archivist)
    assert second.item_number == 1


@pytest.mark.django_db(transaction=True)
def test_allocation_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="atomic"):
        allocate_item_number(category("HTDL"), 2024)


@pytest.mark.django_db(transaction=True)
def test_r_file_5_concurrent_filing_is_unique_and_gap_free(archivist):
    """Eight threads, each with its own database connection, file 40 records
    of the same category and year at once."""
    records = [RecordFactory(year=2024) for _ in range(40)]

    def filer(batch):
        def file_all(_outcomes):
            for record in batch:
                record_file(record=record, by=archivist)
        return file_all

    assert at_once([filer(records[i::8]) for i in range(8)]).errors == []
    items = sorted(Record.objects.filter(year=2024).values_list("item_number", flat=True))
    assert items == list(range(1, 41))
    numbers = Record.objects.filter(year=2024).values_list("archive_number", flat=True)
    assert len(set(numbers)) == 40
