"""The contract ledger and the contract panel of the home page run the same
number of queries at 10 contracts as at 1,000 (issue 11), and the ledger is
paged 20 at a time. Counted with tests.query_counts (an execute wrapper)."""
import pytest
from django.urls import reverse

from accounts.roles import Role
from contracts.models import Contract
from tests.query_counts import queries_for
from tests.records import volume
from tests.records.test_query_counts import LARGE, counts_at_two_sizes


@pytest.mark.parametrize("query", ["", "?expiring_within=30", "?expired=on", "?counterparty=批量", "?page=3"])
@pytest.mark.parametrize("role", [Role.ARCHIVIST, Role.STAFF])
def test_ledger_queries_do_not_grow_with_contracts(client, role_users, role, query):
    responsible = volume.people(4)
    client.force_login(role_users[role])
    url = reverse("contract_ledger") + query
    small, large = counts_at_two_sizes(client, url, lambda count: volume.contracts(count, responsible=responsible))
    assert small == large
    response = client.get(url)
    assert len(response.context["rows"]) == 20
    # Each row names its holdings (prefetched, not read per row).
    assert response.context["rows"][0]["holdings"]


def test_ledger_pages_hold_20_and_totals_count_every_contract(client, archivist):
    volume.contracts(45)
    client.force_login(archivist)
    response = client.get(reverse("contract_ledger"), {"page": 3})
    assert len(response.context["rows"]) == 5
    assert response.context["totals"]["count"] == 45
    assert "第 3 页 共 3 页" in response.content.decode()


@pytest.mark.parametrize("role", [Role.ARCHIVIST, Role.DEPARTMENT_HEAD])
def test_home_contract_panel_counts_stop_at_the_cap(client, role_users, role, monkeypatch):
    monkeypatch.setattr("contracts.views.HOME_PANEL_COUNT_CAP", 5)
    volume.contracts(21)  # 7 expiring, 7 expired, 7 running
    client.force_login(role_users[role])
    html = client.get(reverse("home")).content.decode()
    assert 'class="contract-reminders__expiring" data-count="5">5+</span>' in html
    assert 'class="contract-reminders__expired" data-count="5">5+</span>' in html
    assert html.count("data-contract=") == 10  # five of each


def test_home_contract_panel_counts_below_the_cap_are_exact(client, archivist):
    volume.contracts(6)
    client.force_login(archivist)
    html = client.get(reverse("home")).content.decode()
    assert 'class="contract-reminders__expiring" data-count="2">2</span>' in html
    assert 'class="contract-reminders__expired" data-count="2">2</span>' in html


def test_home_contract_panel_hides_contracts_the_user_may_not_see(client, staff, archivist):
    """The join on the record (contracts.selectors.visible_contracts) keeps
    R-LEND-4: a confidential contract is neither listed nor counted for
    staff, here through the ledger the panel links to."""
    volume.contracts(8)
    client.force_login(staff)
    response = client.get(reverse("contract_ledger"))
    shown = {row["contract"].pk for row in response.context["rows"]}
    confidential = set(Contract.objects.filter(record__security_level="confidential").values_list("pk", flat=True))
    assert shown and not shown & confidential
    assert response.context["totals"]["count"] == 8 - len(confidential)


def test_record_page_contract_panel_queries_do_not_grow(client, archivist):
    contract = volume.contracts(1)[0]
    client.force_login(archivist)
    url = reverse("record_detail", args=[contract.record_id])
    client.get(url)
    small = queries_for(client, url)
    volume.contracts(LARGE)
    assert queries_for(client, url) == small
