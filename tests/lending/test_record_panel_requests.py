"""The record page's lending panel lists the user's own open requests for
the record, newest first, with their state (issue 11: read without their
requester, record or signatures, so a request more asks nothing more)."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from lending.models import Approval, ApprovalStep, LendingPolicy, LoanRequest, RequestKind, RequestState
from tests.lending import volume
from tests.query_counts import count_queries


@pytest.fixture(autouse=True)
def policy_row(db):
    return LendingPolicy.current()


def _ask(requester, record, kind, state, minutes_ago):
    made = LoanRequest.objects.create(
        requester=requester, record=record, kind=kind, purpose="查阅", days=2, state=state
    )
    LoanRequest.objects.filter(pk=made.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=minutes_ago))
    return made


def _own_block(html):
    start = html.index('<div class="lending-own">')
    return html[start : html.index("</div>", start)]


def test_the_panel_lists_own_open_requests_newest_first_without_their_signatures(client, staff, department_head):
    record = volume.records(1)[0]
    _ask(staff, record, RequestKind.BORROW, RequestState.CANCELLED, minutes_ago=1)
    url = reverse("record_detail", args=[record.pk])
    client.force_login(staff)
    assert 'class="lending-own"' not in client.get(url).content.decode()

    viewing = _ask(staff, record, RequestKind.VIEW, RequestState.PENDING, minutes_ago=30)
    borrowing = _ask(staff, record, RequestKind.BORROW, RequestState.APPROVED, minutes_ago=5)
    Approval.objects.create(request=borrowing, step=ApprovalStep.ARCHIVE_HEAD, approver=department_head, approved=True)
    with count_queries() as counted:
        response = client.get(url)
    # One read of the requests, no signatures (the panel shows none).
    requests_read = [sql for sql in counted.statements if 'FROM "lending_loanrequest"' in sql and "requester_id" in sql]
    assert len([sql for sql in requests_read if "INNER JOIN" not in sql]) >= 1
    assert not [sql for sql in counted.statements if 'FROM "lending_approval"' in sql]

    own = _own_block(response.content.decode())
    assert own.index(f"#request-{borrowing.pk}") < own.index(f"#request-{viewing.pk}")
    assert f'data-state="{RequestState.APPROVED}"' in own and f'data-state="{RequestState.PENDING}"' in own
    assert str(RequestKind.BORROW.label) in own and str(RequestKind.VIEW.label) in own
    assert RequestState.CANCELLED not in own
