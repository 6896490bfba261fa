"""List numbers XH-YYYY-NNNN: per calendar year, gapless, unique when
several archivists draft at the same moment, on SQLite and PostgreSQL
(R-DISP-3: the record of what was destroyed is complete)."""
import datetime
from unittest import mock

import pytest
from django.db import transaction

from disposal import services
from disposal.exceptions import DisposalRefused
from disposal.models import DisposalList, ListCounter, ListKind
from disposal.numbering import allocate_list_number
from tests.concurrency import at_once
from tests.disposal.support import YEAR


def _this_year():
    return datetime.date.today().year


def test_r_disp_3_numbers_count_up_per_calendar_year(archivist):
    first = services.list_create(kind=ListKind.APPRAISAL, year=YEAR, by=archivist)
    second = services.list_create(kind=ListKind.WEEDING, year=None, by=archivist)
    year = _this_year()
    assert [first.number, second.number] == [f"XH-{year}-0001", f"XH-{year}-0002"]
    # The number is the calendar year of drafting, not the appraisal year.
    assert first.year == YEAR and second.year == year


def test_r_disp_3_a_new_year_starts_again_at_one(archivist):
    services.list_create(kind=ListKind.APPRAISAL, year=YEAR, by=archivist)
    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2031, 1, 2)):
        later = services.list_create(kind=ListKind.APPRAISAL, year=2030, by=archivist)
    assert later.number == "XH-2031-0001"
    assert dict(ListCounter.objects.values_list("year", "last")) == {_this_year(): 1, 2031: 1}


def test_r_disp_3_rolled_back_list_returns_its_number(archivist):
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            services.list_create(kind=ListKind.APPRAISAL, year=YEAR, by=archivist)
            raise RuntimeError("interrupted")
    assert not DisposalList.objects.exists()
    again = services.list_create(kind=ListKind.APPRAISAL, year=YEAR, by=archivist)
    assert again.number == f"XH-{_this_year()}-0001"


def test_r_disp_3_refused_list_takes_no_number(archivist):
    with pytest.raises(DisposalRefused):
        services.list_create(kind=ListKind.APPRAISAL, year=_this_year() + 1, by=archivist)
    assert not ListCounter.objects.exists()
    assert services.list_create(kind=ListKind.APPRAISAL, year=YEAR, by=archivist).number.endswith("-0001")


@pytest.mark.django_db(transaction=True)
def test_allocation_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="atomic"):
        allocate_list_number(2026)


@pytest.mark.django_db(transaction=True)
def test_r_disp_3_concurrent_drafting_is_unique_and_gapless(archivist):
    """Eight threads, each with its own database connection, draft five
    lists each at once: forty numbers, 1 to 40, none twice."""

    def draft_five(_outcomes):
        for _ in range(5):
            services.list_create(kind=ListKind.APPRAISAL, year=YEAR, by=archivist)

    assert at_once([draft_five] * 8).errors == []
    numbers = sorted(DisposalList.objects.values_list("number", flat=True))
    assert numbers == [f"XH-{_this_year()}-{n:04d}" for n in range(1, 41)]
    assert ListCounter.objects.get(year=_this_year()).last == 40
