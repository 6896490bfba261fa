"""Every disposal register runs the same number of queries for 10 rows as
for 1,000: nothing is read per row (records, classes, shelves, lists,
destructions, people and file counts come with the rows). Counted with
tests.query_counts around building the register and writing its workbook
(the PDF reads the same rows). Rows are bulk-inserted (no history: not
under test here); records are internal, so no access-log rows are written."""
import io

import pytest
from django.utils import timezone

from disposal.models import ItemAction, ListItem, ListKind, ListState
from disposal.registers import (
    appraisal_report,
    destruction_certificate,
    destruction_register,
    holds_register,
    weeding_list,
)
from records.models import Hold, Record, RecordStatus, SecurityLevel
from tests.disposal.registers_support import executed, make_list, people, signed  # noqa: F401 (fixtures)
from tests.factories import LocationFactory
from tests.query_counts import count_queries
from tests.records import volume

pytestmark = pytest.mark.django_db

SMALL, LARGE = 10, 1000


def add_items(disposal_list, count, *, action=ItemAction.DESTROY, status=RecordStatus.FILED, carried_out=False):
    now = timezone.now()
    records = volume.records(count, status=status, levels=(SecurityLevel.INTERNAL,), index=False)
    Record.objects.filter(pk__in=[record.pk for record in records]).update(location=LocationFactory())
    ListItem.objects.bulk_create(
        ListItem(disposal_list=disposal_list, record=record, action=action, listed_status=RecordStatus.FILED,
                 listed_record_updated_at=now, listed_at=now, carried_out_at=now if carried_out else None,
                 reason="批量理由")
        for record in records
    )


def add_holds(count, placed_by):
    records = volume.records(count, levels=(SecurityLevel.INTERNAL,), index=False)
    Hold.objects.bulk_create(Hold(record=record, reason="批量冻结", placed_by=placed_by) for record in records)


@pytest.fixture
def registers(archivist, department_head, leadership, people):
    """{name: (add `count` rows, build the register)}."""
    report = make_list(archivist, "XH-2026-0101", state=ListState.LEADERSHIP_APPROVED,
                       **signed(department_head, leadership))
    weeding = make_list(archivist, "XH-2026-0102", kind=ListKind.WEEDING, **signed(department_head))
    done = executed(archivist, department_head, leadership, "XH-2026-0103", [], witnesses=people)
    destroyed = {"action": ItemAction.DESTROY, "status": RecordStatus.DESTROYED, "carried_out": True}
    return {
        "report": (lambda count: add_items(report, count), lambda: appraisal_report(archivist, report)),
        "weeding": (lambda count: add_items(weeding, count, action=ItemAction.WEED),
                    lambda: weeding_list(archivist, weeding)),
        "certificate": (lambda count: add_items(done, count, **destroyed),
                        lambda: destruction_certificate(archivist, done)),
        "destroyed": (lambda count: add_items(done, count, **destroyed), lambda: destruction_register(archivist)),
        "holds": (lambda count: add_holds(count, department_head), lambda: holds_register(leadership, show="all")),
    }


def queries(build):
    with count_queries() as counted:
        register = build()
        rows = register.write_xlsx(io.BytesIO())
    return counted.total, rows


@pytest.mark.parametrize("name", ["report", "weeding", "certificate", "destroyed", "holds"])
def test_a_register_runs_the_same_queries_at_10_and_1000_rows(registers, name):
    grow, build = registers[name]
    grow(SMALL)
    queries(build)  # warm: permissions and content types are read once per process or user
    small, rows = queries(build)
    assert rows == SMALL
    grow(LARGE - SMALL)
    large, rows = queries(build)
    assert rows == LARGE
    assert small == large
