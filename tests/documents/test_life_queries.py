"""The LIFE lists read in a fixed number of queries, at 10 lines as at
1,000: outstanding recalls (R-CTRL-5), register lines due for disposal
(R-CTRL-7)."""
import datetime

import pytest
from django.utils import timezone

from documents import selectors
from documents.models import ControlledCopy, CopyState, DocumentState
from documents.numbering import format_control_number
from tests.documents.support import make_document
from tests.factories import UserFactory
from tests.query_counts import count_queries

pytestmark = pytest.mark.django_db


def _bulk_copies(document, count, state, **fields):
    users = [UserFactory() for _ in range(3)]
    now = timezone.now()
    ControlledCopy.objects.bulk_create(
        ControlledCopy(
            document=document,
            copy_number=number,
            control_number=format_control_number(document, number),
            recipient_user=users[number % 3],
            holder=users[number % 3],
            state=state,
            issued_by=document.marked_by,
            issued_at=now,
            **fields,
        )
        for number in range(1, count + 1)
    )


def _read(rows):
    return [
        (row.control_number, row.document.title, str(row.recipient_user), str(row.holder), row.get_state_display())
        for row in rows
    ]


def _world(count):
    four_years_ago = timezone.now() - datetime.timedelta(days=4 * 366)
    void = make_document(state=DocumentState.VOID, ended_at=four_years_ago, pages=1)
    _bulk_copies(void, count, CopyState.RECALLED, recalled_at=four_years_ago)


@pytest.mark.parametrize("selector", ["lines_due_for_disposal", "outstanding_recalls_listed"])
def test_r_ctrl_5_r_ctrl_7_life_lists_constant_queries(private_storage, archivist, selector):
    _world(10)
    with count_queries() as small:
        assert len(_read(getattr(selectors, selector)())) == 10
    _world(990)
    with count_queries() as large:
        assert len(_read(getattr(selectors, selector)())) == 1000
    assert large.total == small.total, large.statements

