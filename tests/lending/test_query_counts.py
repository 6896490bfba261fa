"""Lending's pages ask the database as often at 1,000 rows as at 10
(issue 11): each page is counted with tests/query_counts.py (every
statement, past CaptureQueriesContext's 9,000) with 10 rows, then again
after 990 more. The navigation bar counts what waits for a department head
on every page, so the home page is counted as one too.

Rows are made with bulk_create (tests/lending/volume.py): history is not
what is measured here. Requests to borrow come from one person each (a
page asking something per requester would grow); requests to view come
from two people in the mix of every shape, and from one person each in
DistinctViewers: whether each may see the record is records' question,
asked for all of them together (lending.facts, records.selectors.visible_pairs)."""
import collections
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from lending import selectors
from lending.models import LendingPolicy, LoanRequest, RequestKind
from records.models import AccessGrant, SecurityLevel
from tests.factories import marketing_department
from tests.lending import volume
from tests.lending.support import make_outside_head
from tests.query_counts import count_queries

FIRST, MORE = 10, 990


@pytest.fixture(autouse=True)
def policy_row(db):
    """The policy row exists, as on any site past its first page: the page
    that creates it writes it and its history once."""
    return LendingPolicy.current()


@pytest.fixture
def archive_head(department_head):
    """The head named on the archive's department (R-LEND-2, R-LEND-4)."""
    department = marketing_department()
    department.head = department_head
    department.save()
    return department_head


def _counted(client, user, url):
    client.force_login(user)
    with count_queries() as counted:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return counted


def assert_same_count(small, large):
    """Equal totals; else the statements run more often at one size (+) or
    the other (-)."""
    if small.total != large.total:
        change = collections.Counter(large.statements)
        change.subtract(collections.Counter(small.statements))
        changed = [f"{times:+d}× {sql[:300]}" for sql, times in change.items() if times]
        pytest.fail(f"{small.total} queries at {FIRST} rows, {large.total} at {FIRST + MORE}:\n" + "\n".join(changed))


class Waiting:
    """Requests waiting for signatures in every shape (volume.pending_requests)
    and later due dates waiting for the archive's head."""

    def __init__(self, *, archivist, staff):
        self.archivist, self.staff = archivist, staff
        self.outside_head = make_outside_head()
        self.viewers = volume.outsiders(2)

    def add(self, count):
        requests = volume.pending_requests(count, borrower_head=self.outside_head, viewers=self.viewers)
        loans = volume.open_loans(count, borrowers=[self.staff], handed_out_by=self.archivist)
        volume.pending_extensions(loans)
        # The home page lists the newest records: one of them confidential
        # at both sizes, so it logs the same access line (R-ACCESS).
        volume.records(1, level=SecurityLevel.CONFIDENTIAL)
        return requests


@pytest.mark.parametrize("url_name", ["home", "lending_inbox"])
@pytest.mark.parametrize("approver", ["archive_head", "outside_head"])
def test_what_waits_for_a_head_is_counted_in_constant_queries(
    client, archive_head, archivist, staff, url_name, approver
):
    """The navigation counter (every page) and the approvals inbox (R-LEND-3, R-LEND-4)."""
    waiting = Waiting(archivist=archivist, staff=staff)
    waiting.add(FIRST)
    user = archive_head if approver == "archive_head" else waiting.outside_head
    small = _counted(client, user, reverse(url_name))
    waiting.add(MORE)
    large = _counted(client, user, reverse(url_name))
    assert_same_count(small, large)


def test_the_record_page_of_a_head_does_not_grow_with_other_requests(client, archive_head, archivist, staff):
    """The lending panel reads the policy once and weighs only the record's own requests."""
    waiting = Waiting(archivist=archivist, staff=staff)
    record = waiting.add(FIRST)[0].record  # a confidential record asked for by a member of staff
    url = reverse("record_detail", args=[record.pk])
    small = _counted(client, archive_head, url)
    waiting.add(MORE)
    large = _counted(client, archive_head, url)
    assert_same_count(small, large)
    assert b"lending-waiting" in client.get(url).content


def _own_lending(count, *, staff, archive_head, archivist):
    loans = volume.open_loans(count, borrowers=[staff], handed_out_by=archivist)
    volume.pending_extensions(loans[: count // 2])
    # The newest requests, on the first page at both sizes: every state.
    volume.own_requests(count, requester=staff, approver=archive_head)
    volume.notices(count, user=staff)


def test_my_lending_is_constant(client, staff, archive_head, archivist):
    """我的借阅 with requests in every state, loans out with and without a
    later due date asked for, notices."""
    _own_lending(FIRST, staff=staff, archive_head=archive_head, archivist=archivist)
    small = _counted(client, staff, reverse("lending_mine"))
    _own_lending(MORE, staff=staff, archive_head=archive_head, archivist=archivist)
    large = _counted(client, staff, reverse("lending_mine"))
    assert_same_count(small, large)


def _desk_rows(count, *, staff, archivist):
    volume.approved_requests(count, requesters=[staff])
    loans = volume.open_loans(count, borrowers=[staff], handed_out_by=archivist)
    volume.open_loans(count, borrowers=[staff], handed_out_by=archivist, due_in=-volume.ONE_DAY)
    volume.incidents(loans, opened_by=archivist)


def test_the_desk_is_constant(client, staff, archivist):
    """The archivist's desk (R-LEND-1, R-LEND-5): to hand out, due, overdue,
    out, open incidents."""
    _desk_rows(FIRST, staff=staff, archivist=archivist)
    small = _counted(client, archivist, reverse("lending_desk"))
    _desk_rows(MORE, staff=staff, archivist=archivist)
    large = _counted(client, archivist, reverse("lending_desk"))
    assert_same_count(small, large)


@pytest.mark.parametrize("who", ["staff", "outside_staff", "archive_head"])
def test_the_record_page_reads_the_lending_policy_once(client, request, archive_head, filed_record, who):
    """The panel's request form, its choices and their approvals share one
    read of the policy row (issue 11: it was read seven times)."""
    record = filed_record(security_level=SecurityLevel.PUBLIC)
    counted = _counted(client, request.getfixturevalue(who), reverse("record_detail", args=[record.pk]))
    assert b"lending-request-form" in client.get(reverse("record_detail", args=[record.pk])).content
    assert sum('FROM "lending_lendingpolicy"' in sql for sql in counted.statements) == 1


class DistinctViewers:
    """Requests to view, each from its own person (R-ACCESS, R-LEND-3,
    R-LEND-4): whether each may see the record is asked of records for all
    of them together (records.selectors.visible_pairs), so a head's pages
    do not grow with the number of people asking. Four shapes take turns:

    0. an outsider, an internal record not open to them: their head signs, then the archive's;
    1. an outsider holding an access grant in force for a confidential
       record: open to them, so only the archive's head signs (R-LEND-4);
    2. an outsider, a confidential record: their head, then the archive's;
    3. a member of the archive's department, a confidential record: the archive's head."""

    def __init__(self, *, archive_head):
        self.archive_head = archive_head
        self.outside_head = make_outside_head()
        self.shapes = collections.Counter()
        self.records = []

    def add(self, count):
        shapes = [index % 4 for index in range(count)]
        outsiders = iter(volume.outsiders(sum(shape != 3 for shape in shapes)))
        insiders = iter(volume.people(shapes.count(3), department=marketing_department(), role=Role.STAFF))
        internal = iter(volume.records(shapes.count(0)))
        confidential = iter(volume.records(count - shapes.count(0), level=SecurityLevel.CONFIDENTIAL))
        rows, grants = [], []
        for shape in shapes:
            person = next(insiders) if shape == 3 else next(outsiders)
            record = next(internal) if shape == 0 else next(confidential)
            rows.append(LoanRequest(requester=person, record=record, kind=RequestKind.VIEW, purpose="批量", days=1))
            if shape == 1:
                grants.append(
                    AccessGrant(
                        user=person,
                        record=record,
                        ends_at=timezone.now() + datetime.timedelta(days=1),
                        reason="批量",
                        granted_by=self.archive_head,
                    )
                )
            self.records.append(record)
        LoanRequest.objects.bulk_create(rows)
        AccessGrant.objects.bulk_create(grants)
        self.shapes.update(shapes)
        # The home page lists the newest records: one of them confidential
        # at both sizes, so it logs the same access line (R-ACCESS).
        volume.records(1, level=SecurityLevel.CONFIDENTIAL)

    def waiting_for(self, approver):
        """How many wait for `approver`'s signature next."""
        if approver == "archive_head":
            return self.shapes[1] + self.shapes[3]
        return self.shapes[0] + self.shapes[2]


@pytest.mark.parametrize("url_name", ["home", "lending_inbox"])
@pytest.mark.parametrize("approver", ["archive_head", "outside_head"])
def test_requests_to_view_from_many_people_are_weighed_in_constant_queries(client, archive_head, url_name, approver):
    """10 and then 1,000 different people asking to view (R-ACCESS, R-LEND-4)."""
    viewers = DistinctViewers(archive_head=archive_head)
    viewers.add(FIRST)
    user = archive_head if approver == "archive_head" else viewers.outside_head
    small = _counted(client, user, reverse(url_name))
    assert len(selectors.waiting_for(user)) == viewers.waiting_for(approver) == FIRST // 2
    viewers.add(MORE)
    large = _counted(client, user, reverse(url_name))
    assert_same_count(small, large)
    assert len(selectors.waiting_for(user)) == viewers.waiting_for(approver) == (FIRST + MORE) // 2


def test_the_record_page_of_a_head_does_not_grow_with_people_asking_to_view(client, archive_head):
    viewers = DistinctViewers(archive_head=archive_head)
    viewers.add(FIRST)
    record = viewers.records[1]  # confidential, asked for by an outsider holding a grant
    url = reverse("record_detail", args=[record.pk])
    small = _counted(client, archive_head, url)
    viewers.add(MORE)
    large = _counted(client, archive_head, url)
    assert_same_count(small, large)
    assert b"lending-waiting" in client.get(url).content
