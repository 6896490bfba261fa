"""The correspondence list and register read a fixed number of queries,
whatever the number of lines (tests/query_counts.py)."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.models import Correspondence, Direction
from tests.documents.support import make_correspondence
from tests.factories import DepartmentFactory, UserFactory, marketing_department
from tests.query_counts import count_queries, queries_for

DAY = datetime.date(2026, 7, 1)


def add_lines(count, *, start, receivers, handler, by):
    """`count` outgoing lines numbered from `start`, built fast (no history:
    it is not what these tests count)."""
    now = timezone.now()
    rows = Correspondence.objects.bulk_create([
        Correspondence(
            direction=Direction.OUTGOING, year=2026, serial=serial, number=f"市场发〔2026〕{serial}号",
            document_date=DAY, title=f"通知{serial}", pages=1, sender=marketing_department(), handler=handler,
            registered_by=by, registered_at=now,
        )
        for serial in range(start, start + count)
    ])
    Through = Correspondence.receivers.through
    Through.objects.bulk_create([
        Through(correspondence_id=row.pk, department_id=department.pk) for row in rows for department in receivers
    ])


@pytest.fixture
def world(archivist, filed_record):
    receivers = [DepartmentFactory(code="CWB", name="财务部"), DepartmentFactory(code="JSB", name="技术部")]
    handler = UserFactory(username="handler")
    make_correspondence(receivers=receivers, handler=handler, registered_by=archivist, document_date=DAY,
                        record=filed_record())
    return receivers, handler


def test_the_list_reads_the_same_queries_at_10_and_1000_lines(client, archivist, world):
    receivers, handler = world
    client.force_login(archivist)
    url = reverse("documents_correspondence")
    add_lines(9, start=2, receivers=receivers, handler=handler, by=archivist)
    small = queries_for(client, url)
    add_lines(990, start=11, receivers=receivers, handler=handler, by=archivist)
    assert queries_for(client, url) == small
    assert queries_for(client, url + "?q=通知&year=2026&direction=out") == small


def test_the_register_reads_the_same_queries_at_10_and_1000_lines(client, archivist, world, settings):
    receivers, handler = world
    settings.ARCHIVE_REGISTER_DIRECT_ROWS = {"pdf": 5000, "xlsx": 5000}
    client.force_login(archivist)
    url = reverse("documents_correspondence_register") + "?direction=out&year=2026&format=xlsx"
    add_lines(9, start=2, receivers=receivers, handler=handler, by=archivist)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    add_lines(990, start=11, receivers=receivers, handler=handler, by=archivist)
    with count_queries() as large:
        response = client.get(url)
    assert response.status_code == 200 and b"PK" == response.content[:2]
    # The receivers are prefetched once per 500 streamed rows.
    assert large.total <= small.total + 2
