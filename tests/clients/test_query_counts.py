"""The client lists and a client's page run the same number of queries at
10 rows as at 1,000 (issue 11), and are paged 20 at a time. Counted with
tests.query_counts (an execute wrapper)."""
import pytest
from django.urls import reverse

from accounts.roles import Role
from clients.models import Client
from tests.records import volume
from tests.records.test_query_counts import counts_at_two_sizes


@pytest.mark.parametrize("url_name", ["client_list", "client_review_due"])
@pytest.mark.parametrize("role", [Role.ARCHIVIST, Role.STAFF])
def test_client_lists_queries_do_not_grow_with_clients(client, role_users, role, url_name):
    responsible = volume.people(5) + [role_users[role]]
    client.force_login(role_users[role])
    url = reverse(url_name)
    small, large = counts_at_two_sizes(client, url, lambda count: volume.clients(count, responsible=responsible))
    assert small == large
    response = client.get(url, {"page": 2})
    assert len(response.context["clients"]) == 20
    assert "第 2 页 共 50 页" in response.content.decode()


def test_client_list_search_is_paged_too(client, archivist):
    volume.clients(30, responsible=archivist)
    client.force_login(archivist)
    response = client.get(reverse("client_list"), {"q": "批量客户", "page": 2})
    assert len(response.context["clients"]) == 10
    first = client.get(reverse("client_list"), {"q": "批量客户"}).context["clients"]
    assert not {c.pk for c in first} & {c.pk for c in response.context["clients"]}
    assert "q=%E6%89%B9%E9%87%8F%E5%AE%A2%E6%88%B7&amp;page=1" in response.content.decode()


def test_due_for_review_button_counts_no_further_than_the_cap(client, archivist, monkeypatch):
    monkeypatch.setattr("clients.views.DUE_COUNT_CAP", 5)
    volume.clients(6, responsible=archivist)
    client.force_login(archivist)
    html = client.get(reverse("client_list")).content.decode()
    assert "(5+)" in html


@pytest.mark.parametrize("role", [Role.ARCHIVIST, Role.STAFF])
def test_client_page_queries_do_not_grow_with_records_and_events(client, role_users, role):
    profile = volume.clients(1, responsible=role_users[role])[0]
    people = volume.people(4)
    client.force_login(role_users[role])
    url = reverse("client_detail", args=[profile.pk])
    small, large = counts_at_two_sizes(
        client, url, lambda count: volume.client_history(profile, count, recorded_by=people)
    )
    assert small == large
    response = client.get(url, {"events_page": 2, "records_page": 3})
    assert len(response.context["events"]) == 20 and len(response.context["records"]) == 20
    assert response.context["events_page"].number == 2 and response.context["records_page"].number == 3
    html = response.content.decode()
    # Each list pages by its own parameter and keeps the other's place.
    assert "events_page=3&amp;records_page=3" in html or "records_page=3&amp;events_page=3" in html


def test_client_page_timeline_pages_follow_the_dates(client, archivist):
    profile = volume.clients(1, responsible=archivist)[0]
    volume.client_history(profile, 25, recorded_by=[archivist])
    client.force_login(archivist)
    first = client.get(reverse("client_detail", args=[profile.pk])).context["events"]
    second = client.get(reverse("client_detail", args=[profile.pk]), {"events_page": 2}).context["events"]
    dates = [event.date for event in first + second]
    assert len(dates) == 25 and dates == sorted(dates, reverse=True)
    assert Client.objects.get(pk=profile.pk).events.count() == 25

