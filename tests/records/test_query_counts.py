"""Every list and home page of records runs the same number of queries at
10 rows as at 1,000 (issue 11): nothing is asked per row or per person.
Counted with tests.query_counts (an execute wrapper), which sees every
statement; each page is opened once first, so the counts compare warm pages."""
import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.db.models import Count
from django.urls import reverse

from accounts.roles import Role
from records.models import AccessLog, Category, Policy, Record, RecordStatus
from records.maintenance.statistics import refresh_planner_statistics
from records.selectors import newest_filed, visible_records
from tests.query_counts import count_queries, queries_for
from tests.records import volume

SMALL, LARGE = 10, 1000


def counts_at_two_sizes(client, url, grow):
    """Queries for one GET of `url` after grow(10) and after grow(990) more."""
    grow(SMALL)
    client.get(url)
    small = queries_for(client, url)
    grow(LARGE - SMALL)
    large = queries_for(client, url)
    return small, large


def home_rows(count, *, staff, archivist):
    """What a home page shows or counts, `count` of each: filed records of
    every level, contracts expiring and expired, items waiting to be
    received (from several submitters) and the staff member's own drafts."""
    volume.records(count)
    volume.contracts(count, responsible=volume.people(3))
    volume.records(count, status=RecordStatus.SUBMITTED, submitted_by=volume.people(5))
    volume.records(count, status=RecordStatus.DRAFT, submitted_by=staff)
    volume.clients(count, responsible=[staff, archivist])


@pytest.mark.parametrize(
    "role",
    [Role.STAFF, Role.OUTSIDE_STAFF, Role.ARCHIVIST, Role.DEPARTMENT_HEAD, Role.LEADERSHIP, Role.SYSADMIN],
)
def test_home_page_queries_do_not_grow_with_rows(client, role_users, staff, archivist, role):
    client.force_login(role_users[role])
    small, large = counts_at_two_sizes(
        client, reverse("home"), lambda count: home_rows(count, staff=staff, archivist=archivist)
    )
    assert small == large
    response = client.get(reverse("home"))
    # The newest page is full at 1,000 rows, and the counts are the capped ones.
    if role in (Role.STAFF, Role.ARCHIVIST, Role.DEPARTMENT_HEAD, Role.LEADERSHIP):
        assert len(response.context["records"]) == 20
        counts = {item["status"]: item["count"] for item in response.context["status_counts"]}
        assert counts[RecordStatus.FILED] > 0


def test_home_page_counts_by_status_stop_at_the_cap(client, archivist, settings):
    settings.ARCHIVE_LIST_COUNT_CAP = 15
    volume.records(16)
    volume.records(3, status=RecordStatus.SUBMITTED, submitted_by=archivist)
    client.force_login(archivist)
    response = client.get(reverse("home"))
    counts = {item["status"]: (item["count"], item["capped"]) for item in response.context["status_counts"]}
    assert counts == {RecordStatus.SUBMITTED: (3, False), RecordStatus.FILED: (15, True)}
    html = response.content.decode()
    assert 'data-status="filed" title="' in html and ">15+</span>" in html


def test_home_page_shows_the_latest_filed_first(client, archivist):
    volume.records(30)
    client.force_login(archivist)
    shown = [record.archive_number for record in client.get(reverse("home")).context["records"]]
    newest = volume.records(1)[0]
    again = [record.archive_number for record in client.get(reverse("home")).context["records"]]
    assert again[0] == newest.archive_number and again[1:] == shown[:19]


@pytest.mark.parametrize("query", ["", "?q=批量档案", "?status=filed", "?category={contracts}", "?page=2"])
@pytest.mark.parametrize("role", [Role.STAFF, Role.ARCHIVIST])
def test_record_list_queries_do_not_grow_with_rows(client, role_users, role, query):
    client.force_login(role_users[role])
    url = reverse("record_list") + query.format(contracts=Category.objects.get(code="HT").pk)
    small, large = counts_at_two_sizes(client, url, volume.records)
    assert small == large
    assert len(client.get(url).context["records"]) == 20


def test_my_submissions_queries_do_not_grow_and_pages_hold_20(client, staff):
    def grow(count):
        for status in (RecordStatus.DRAFT, RecordStatus.SUBMITTED, RecordStatus.RETURNED):
            volume.records(count, status=status, submitted_by=staff)

    client.force_login(staff)
    url = reverse("my_submissions")
    small, large = counts_at_two_sizes(client, url, grow)
    assert small == large
    response = client.get(url, {"page": 2})
    assert len(response.context["records"]) == 20
    assert "第 2 页 共 150 页" in response.content.decode()


def test_receiving_queue_is_paged_and_its_queries_do_not_grow(client, archivist):
    submitters = volume.people(7)
    client.force_login(archivist)
    url = reverse("receiving_queue")
    small, large = counts_at_two_sizes(
        client, url, lambda count: volume.records(count, status=RecordStatus.SUBMITTED, submitted_by=submitters)
    )
    assert small == large
    response = client.get(url)
    groups = response.context["groups"]
    assert sum(len(group["records"]) for group in groups) == 20
    # Each submitter's heading counts all their waiting items, not the page's.
    waiting = dict(
        Record.objects.filter(status=RecordStatus.SUBMITTED)
        .values_list("submitted_by")
        .annotate(count=Count("pk"))
    )
    assert {group["submitter"].pk: group["waiting"] for group in groups} == {
        group["submitter"].pk: waiting[group["submitter"].pk] for group in groups
    }
    assert all(group["waiting"] > len(group["records"]) for group in groups)
    assert "第 1 页 共 50 页" in response.content.decode()


def test_receiving_queue_pages_follow_the_waiting_order(client, archivist):
    submitter = volume.people(1)[0]
    waiting = volume.records(25, status=RecordStatus.SUBMITTED, submitted_by=submitter)
    client.force_login(archivist)
    first = client.get(reverse("receiving_queue")).context["groups"][0]["records"]
    second = client.get(reverse("receiving_queue"), {"page": 2}).context["groups"][0]["records"]
    assert [record.pk for record in first + second] == [record.pk for record in waiting]


def test_handover_page_is_paged_and_its_queries_do_not_grow_with_items(client, archivist):
    giver = volume.people(1)[0]
    made = volume.handover(SMALL, handed_over_by=giver, received_by=archivist)
    client.force_login(archivist)
    url = reverse("handover_detail", args=[made.pk])
    client.get(url)
    small = queries_for(client, url)
    volume.add_handover_items(made, LARGE - SMALL)
    large = queries_for(client, url)
    assert small == large
    response = client.get(url, {"page": 3})
    html = response.content.decode()
    assert html.count("data-record=") + html.count("handover-item--hidden") == 20
    # Numbered through the whole handover; the totals count every item.
    assert '<td class="num">41</td>' in html and '<td class="num">60</td>' in html
    assert response.context["total_items"] == LARGE and response.context["total_pages"] == 3 * LARGE
    assert AccessLog.objects.filter(where__contains=made.number).exists()


@pytest.mark.parametrize("role", [Role.STAFF, Role.ARCHIVIST, Role.DEPARTMENT_HEAD])
def test_record_page_reads_each_policy_row_once(client, role_users, role):
    contract = volume.contracts(1)[0]
    client.force_login(role_users[role])
    url = reverse("record_detail", args=[contract.record_id])
    client.get(url)
    with count_queries() as counted:
        response = client.get(url)
    assert response.status_code == 200
    policy_reads = [sql for sql in counted.statements if "policy" in sql.split(" FROM ")[-1].split(" WHERE ")[0]]
    tables = [sql.split(" FROM ")[1].split()[0] for sql in policy_reads]
    assert len(tables) == len(set(tables)), tables


def _send_without_closing_connections(signal):
    """Send request_started/finished as the test client does: without
    Django's receiver that would close the test's database connection."""
    signal.disconnect(close_old_connections)
    try:
        signal.send(sender=None)
    finally:
        signal.connect(close_old_connections)


def test_policy_values_are_read_afresh_by_each_request_and_outside_requests(db):
    """The per-request read (records.models.policy) keeps nothing between
    requests, nor in commands and background jobs, which run outside one."""
    assert Policy.current().fonds_code == "J001"
    Policy.objects.filter(pk=1).update(fonds_code="J002")
    assert Policy.current().fonds_code == "J002"
    _send_without_closing_connections(request_started)
    try:
        with count_queries() as counted:
            first, again = Policy.current(), Policy.current()
        Policy.objects.filter(pk=1).update(fonds_code="J003")
        assert first is again and again.fonds_code == "J002" and counted.total == 1
        # Saving through the model drops what this request read.
        again.unit_code = "XYZ"
        again.save()
        assert Policy.current() is not again and Policy.current().unit_code == "XYZ"
    finally:
        _send_without_closing_connections(request_finished)
    Policy.objects.filter(pk=1).update(fonds_code="J004")
    assert Policy.current().fonds_code == "J004"


def _plan(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return " / ".join(row[-1] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL's autovacuum keeps its statistics")
@pytest.mark.parametrize("role", [Role.STAFF, Role.OUTSIDE_STAFF, Role.ARCHIVIST, Role.LEADERSHIP])
def test_with_statistics_sqlite_reads_the_newest_off_the_index(role_users, role):
    """The home page's newest records come off record_newest_filed and the
    record list's off the primary key, in order, without sorting what the
    user may see, once the planner has statistics (records 0014 and
    records.maintenance.statistics gather them)."""
    volume.records(300, index=False)
    volume.records(30, status=RecordStatus.SUBMITTED, submitted_by=volume.people(3), index=False)
    refresh_planner_statistics()
    visible = visible_records(role_users[role])
    newest = _plan(newest_filed(visible))
    assert "record_newest_filed" in newest and "TEMP B-TREE" not in newest, newest
    listed = _plan(visible.select_related("category", "location").order_by("-pk")[:20])
    assert "TEMP B-TREE" not in listed, listed
