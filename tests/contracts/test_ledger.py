"""The contract ledger page (台帐, R-CONTRACT): who sees which contracts,
the filters, the totals, the record panel and the home-page reminders."""
import datetime
import html
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from accounts.roles import Role
from contracts.selectors import ledger_contracts, ledger_totals
from records.models import SecurityLevel
from tests.contracts.ledger_support import AGREEMENT_HOLDINGS, make_contract

LEDGER = reverse("contract_ledger")


@pytest.fixture(autouse=True)
def english(client):
    """Pages in English, so the tests can read their text."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def numbers(response):
    return [row["contract"].contract_number for row in response.context["rows"]]


@pytest.fixture
def ledger(archivist):
    """A public, an internal and a confidential contract."""
    return {
        "public": make_contract(archivist, "HT-PUB", security_level=SecurityLevel.PUBLIC),
        "internal": make_contract(archivist, "HT-INT", security_level=SecurityLevel.INTERNAL),
        "confidential": make_contract(archivist, "HT-CONF", security_level=SecurityLevel.CONFIDENTIAL),
    }


@pytest.mark.parametrize(
    "role, expected",
    [
        (Role.STAFF, {"HT-PUB", "HT-INT"}),
        (Role.ARCHIVIST, {"HT-PUB", "HT-INT", "HT-CONF"}),
        (Role.DEPARTMENT_HEAD, {"HT-PUB", "HT-INT", "HT-CONF"}),
    ],
)
def test_ledger_lists_only_visible_contracts_r_lend_4(client, role_users, ledger, role, expected):
    client.force_login(role_users[role])
    response = client.get(LEDGER)
    assert response.status_code == 200
    assert set(numbers(response)) == expected
    assert response.context["totals"]["count"] == len(expected)
    if role == Role.STAFF:
        assert b"HT-CONF" not in response.content


@pytest.mark.parametrize("role", [Role.OUTSIDE_STAFF, Role.SYSADMIN])
def test_ledger_refused_to_roles_outside_the_department(client, role_users, archivist, role):
    make_contract(archivist, "HT-PUBLIC", counterparty_name="甲建材公司")
    client.force_login(role_users[role])
    response = client.get(LEDGER)
    assert response.status_code == 403
    assert b"HT-PUBLIC" not in response.content
    assert "甲建材公司" not in response.content.decode()
    assert "rows" not in (response.context or {})


def test_ledger_needs_login(client):
    response = client.get(LEDGER)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_ledger_refuses_writes_405(client, archivist, method):
    contract = make_contract(archivist, "HT-001", ends_in=30)
    client.force_login(archivist)
    response = getattr(client, method)(LEDGER)
    assert response.status_code == 405
    assert sorted(response["Allow"].split(", ")) == ["GET", "HEAD"]
    assert b"HT-001" not in response.content
    ends_on = contract.ends_on
    contract.refresh_from_db()
    assert contract.ends_on == ends_on and contract.history.count() == 1


@pytest.fixture
def mixed(archivist):
    return {
        "soon": make_contract(archivist, "HT-SOON", ends_in=10, counterparty_name="甲建材公司"),
        "later": make_contract(archivist, "HT-LATER", ends_in=90, counterparty_name="乙建材公司"),
        "expired": make_contract(
            archivist, "HT-OLD", ends_in=-5, signed_on=datetime.date(2022, 5, 1), counterparty_name="丙广告公司",
            contract_type="outdoor_advertising", holdings=(("marketing", 1),),
        ),
        "open": make_contract(
            archivist, "HT-OPEN", ends_in=None, signed_on=datetime.date(2023, 1, 9), contract_type="other",
            counterparty_name="丁印务", holdings=AGREEMENT_HOLDINGS,
        ),
    }


@pytest.mark.parametrize(
    "query, expected",
    [
        ({}, {"HT-SOON", "HT-LATER", "HT-OLD", "HT-OPEN"}),
        ({"expiring_within": 30}, {"HT-SOON"}),
        ({"expiring_within": 100}, {"HT-SOON", "HT-LATER"}),
        ({"expiring_within": 0}, set()),
        ({"expired": "on"}, {"HT-OLD"}),
        ({"contract_type": "outdoor_advertising"}, {"HT-OLD"}),
        ({"contract_type": "agent_agreement"}, {"HT-SOON", "HT-LATER"}),
        ({"counterparty": "建材"}, {"HT-SOON", "HT-LATER"}),
        ({"counterparty": "丙广告"}, {"HT-OLD"}),
        ({"year": 2022}, {"HT-OLD"}),
        ({"year": 2024}, {"HT-SOON", "HT-LATER"}),
        ({"holder": "gm_office"}, {"HT-OPEN"}),
        ({"holder": "marketing"}, {"HT-OLD", "HT-OPEN"}),
        ({"year": 2024, "expiring_within": 30}, {"HT-SOON"}),
    ],
)
def test_ledger_filters_r_contract(client, department_head, mixed, query, expected):
    client.force_login(department_head)
    response = client.get(LEDGER, query)
    assert response.status_code == 200
    assert set(numbers(response)) == expected
    assert response.context["totals"]["count"] == len(expected)


def test_invalid_filter_shows_errors_and_lists_everything(client, department_head, mixed):
    client.force_login(department_head)
    response = client.get(LEDGER, {"expiring_within": "-3"})
    assert response.status_code == 200
    assert "expiring_within" in response.context["form"].errors
    assert len(numbers(response)) == 4


def test_totals_sum_amounts_per_currency(archivist, department_head):
    make_contract(archivist, "HT-1", amount=Decimal("100.50"), counterparty_name="甲")
    make_contract(archivist, "HT-2", amount=Decimal("200.25"), counterparty_name="甲")
    make_contract(archivist, "HT-3", amount=Decimal("50.00"), currency="USD", counterparty_name="甲")
    make_contract(archivist, "HT-4", amount=None, counterparty_name="乙")
    today = timezone.localdate()
    everything = ledger_totals(ledger_contracts(department_head, today=today))
    assert everything == {"count": 4, "amounts": [("CNY", Decimal("300.75")), ("USD", Decimal("50.00"))]}
    only_party = ledger_totals(ledger_contracts(department_head, filters={"counterparty": "乙"}, today=today))
    assert only_party == {"count": 1, "amounts": []}


def test_totals_leave_out_contracts_the_reader_may_not_see_r_lend_4(archivist, staff):
    make_contract(archivist, "HT-1", amount=Decimal("100"))
    make_contract(archivist, "HT-2", amount=Decimal("900"), security_level=SecurityLevel.CONFIDENTIAL)
    totals = ledger_totals(ledger_contracts(staff, today=timezone.localdate()))
    assert totals == {"count": 1, "amounts": [("CNY", Decimal("100.00"))]}


def test_ledger_row_shows_holdings_and_days_left(client, archivist, mixed):
    client.force_login(archivist)
    with override("en"):
        response = client.get(LEDGER)
    rows = {row["contract"].contract_number: row for row in response.context["rows"]}
    assert rows["HT-OPEN"]["holdings"] == ["General manager's office original×1", "Marketing department original×1"]
    assert rows["HT-SOON"]["days_left"] == 10
    assert rows["HT-SOON"]["expiry_state"] == "expiring"
    assert rows["HT-OLD"]["expiry_state"] == "expired"
    assert rows["HT-OPEN"]["days_left"] is None
    content = response.content.decode()
    assert "10 days left" in content
    ended = (timezone.localdate() - datetime.timedelta(days=5)).isoformat()
    assert f"Expired {ended}" in content


def test_ledger_paginates(client, archivist, monkeypatch):
    monkeypatch.setattr("contracts.views.PAGE_SIZE", 2)
    for n in range(5):
        make_contract(archivist, f"HT-P{n}")
    client.force_login(archivist)
    first = client.get(LEDGER)
    third = client.get(LEDGER, {"page": 3})
    assert len(first.context["rows"]) == 2
    assert len(third.context["rows"]) == 1
    assert first.context["totals"]["count"] == 5


# --- the record page ------------------------------------------------------------


def test_record_page_shows_contract_facts(client, archivist, department_head):
    review = make_contract(archivist, "HT-REV-SRC").record  # any visible record as review papers
    contract = make_contract(
        archivist, "HT-PANEL", holdings=AGREEMENT_HOLDINGS, review_record=review,
        review_date=datetime.date(2024, 2, 20), review_result="approved",
    )
    client.force_login(department_head)
    with override("en"):
        response = client.get(reverse("record_detail", args=[contract.record_id]))
    content = html.unescape(response.content.decode())
    assert 'data-panel="contract"' in content
    assert "HT-PANEL" in content
    assert "General manager's office original×1; Marketing department original×1" in content
    assert reverse("record_detail", args=[review.pk]) in content


def test_record_page_hides_review_papers_the_reader_may_not_see(client, archivist, staff):
    review = make_contract(archivist, "HT-SECRET", security_level=SecurityLevel.CONFIDENTIAL).record
    contract = make_contract(archivist, "HT-SHOWN", review_record=review)
    client.force_login(staff)
    response = client.get(reverse("record_detail", args=[contract.record_id]))
    content = response.content.decode()
    assert "HT-SHOWN" in content
    assert reverse("record_detail", args=[review.pk]) not in content


def test_record_page_without_contract_has_no_contract_panel(client, archivist, filed_record):
    record = filed_record()
    client.force_login(archivist)
    response = client.get(reverse("record_detail", args=[record.pk]))
    assert 'data-panel="contract"' not in response.content.decode()


# --- the home page ---------------------------------------------------------------


@pytest.fixture
def reminders(archivist):
    make_contract(archivist, "HT-SOON", ends_in=3)
    make_contract(archivist, "HT-SOON-SECRET", ends_in=20, security_level=SecurityLevel.CONFIDENTIAL)
    make_contract(archivist, "HT-FAR", ends_in=60)
    make_contract(archivist, "HT-OLD", ends_in=-2)


@pytest.mark.parametrize("role", [Role.ARCHIVIST, Role.DEPARTMENT_HEAD])
def test_home_shows_expiring_and_expired_contracts_r_contract(client, role_users, reminders, role):
    client.force_login(role_users[role])
    with override("en"):
        response = client.get(reverse("home"))
    page = response.content.decode()
    start = page.index('data-panel="contract-reminders"')
    content = page[start:page.index("</section>", start)]
    assert 'class="contract-reminders__expiring" data-count="2"' in content
    assert 'class="contract-reminders__expired" data-count="1"' in content
    assert "HT-SOON-SECRET" in content
    assert "HT-FAR" not in content
    assert "3 days left" in content


@pytest.mark.parametrize("role", [Role.STAFF, Role.OUTSIDE_STAFF, Role.LEADERSHIP, Role.SYSADMIN])
def test_home_has_no_contract_reminders_for_other_roles(client, role_users, reminders, role):
    client.force_login(role_users[role])
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert 'data-panel="contract-reminders"' not in response.content.decode()


def test_nav_links_the_ledger_for_readers_only(client, staff, outside_staff):
    client.force_login(staff)
    assert LEDGER in client.get(reverse("home")).content.decode()
    client.force_login(outside_staff)
    assert LEDGER not in client.get(reverse("home")).content.decode()
