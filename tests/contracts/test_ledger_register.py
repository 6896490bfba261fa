"""The archivist enters a contract (R-CONTRACT): the record is created and
filed under its type's class (R-SCOPE 1) with the contract and its holdings,
all in one transaction."""
import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from contracts.models import Contract, ContractHolding, ContractType, Holder
from contracts.exceptions import ContractRefused
from contracts.services import contract_register
from core.history import reason_label
from records.models import Record, RecordStatus, SecurityLevel
from tests.conftest import speak_english
from tests.contracts.ledger_support import make_contract

REGISTER = reverse("contract_register")


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def form_post(**changes):
    data = {
        "title": "锦绣花园防水工程施工合同",
        "security_level": SecurityLevel.INTERNAL,
        "pages": 12,
        "copies": 1,
        "contract_type": ContractType.AGENT_AGREEMENT,
        "contract_number": "SCB-HT-2025-001",
        "counterparty_name": "某某建材有限公司",
        "signed_on": "2025-03-01",
        "starts_on": "2025-03-01",
        "ends_on": "2026-02-28",
        "amount": "150000.00",
        "currency": "CNY",
        "original_or_copy": "original",
        "review_date": "2025-02-20",
        "review_result": "approved",
        "held_by_gm_office": 1,
        "held_by_marketing": 1,
        "held_by_other": 0,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "contract_type, category_code",
    [
        (ContractType.QUALIFICATION, "HTZZ"),
        (ContractType.AGENT_AGREEMENT, "HTDL"),
        (ContractType.OUTDOOR_ADVERTISING, "HTHW"),
        (ContractType.OTHER, "HTQT"),
    ],
)
def test_archivist_enters_and_files_a_contract_r_scope_1(client, archivist, contract_type, category_code):
    client.force_login(archivist)
    response = client.post(REGISTER, form_post(contract_type=contract_type))
    contract = Contract.objects.get(contract_number="SCB-HT-2025-001")
    assert response.status_code == 302
    assert response["Location"] == reverse("record_detail", args=[contract.record_id])
    record = contract.record
    assert record.status == RecordStatus.FILED
    assert record.category.code == category_code
    assert record.archive_number
    assert record.filed_by == archivist
    assert record.document_date == datetime.date(2025, 3, 1)
    assert record.document_number == "SCB-HT-2025-001"
    assert contract.amount == Decimal("150000.00")
    holdings = {(h.holder, h.copies, h.original_or_copy) for h in contract.holdings.all()}
    assert holdings == {(Holder.GENERAL_MANAGER_OFFICE, 1, "original"), (Holder.MARKETING, 1, "original")}


def test_history_names_the_archivist_and_why_the_contract_and_its_holdings_were_written(client, archivist):
    client.force_login(archivist)
    client.post(REGISTER, form_post())
    contract = Contract.objects.get(contract_number="SCB-HT-2025-001")
    entries = [contract.history.get(), *(holding.history.get() for holding in contract.holdings.all())]
    assert len(entries) == 3
    with translation.override("en"):
        assert {(entry.history_user, str(reason_label(entry.history_change_reason))) for entry in entries} == {
            (archivist, "Entered in the contract ledger")
        }


def test_review_papers_are_a_visible_review_record(client, archivist, filed_record):
    from tests.factories import category

    review = filed_record(category=category("HTPS"), title="合同评审表")
    client.force_login(archivist)
    response = client.get(REGISTER)
    assert review in response.context["form"].fields["review_record"].queryset
    client.post(REGISTER, form_post(review_record=review.pk))
    assert Contract.objects.get(contract_number="SCB-HT-2025-001").review_record == review


def test_client_name_fills_an_empty_counterparty(client, archivist):
    from clients.models import Client

    party = Client.objects.create(name="甲代理商")
    client.force_login(archivist)
    client.post(REGISTER, form_post(counterparty=party.pk, counterparty_name=""))
    contract = Contract.objects.get(contract_number="SCB-HT-2025-001")
    assert contract.counterparty == party
    assert contract.counterparty_name == "甲代理商"


@pytest.mark.parametrize("role", [Role.STAFF, Role.DEPARTMENT_HEAD, Role.LEADERSHIP, Role.OUTSIDE_STAFF])
def test_only_the_archivist_enters_contracts(client, role_users, role):
    client.force_login(role_users[role])
    assert client.get(REGISTER).status_code == 403
    assert client.post(REGISTER, form_post()).status_code == 403
    assert not Contract.objects.exists()
    assert not Record.objects.exists()


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_register_refuses_other_methods_405(client, archivist, method):
    client.force_login(archivist)
    response = getattr(client, method)(REGISTER, form_post())
    assert response.status_code == 405
    assert sorted(response["Allow"].split(", ")) == ["GET", "HEAD", "POST"]
    assert not Contract.objects.exists()
    assert not Record.objects.exists()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"contract_number": ""}, "contract_number"),
        ({"counterparty_name": ""}, "counterparty_name"),
        ({"amount": "lots"}, "amount"),
        ({"signed_on": "2025-13-01"}, "signed_on"),
        ({"title": ""}, "title"),
        ({"held_by_gm_office": 0, "held_by_marketing": 0}, "__all__"),
        ({"starts_on": "2025-03-01", "ends_on": "2025-01-01"}, "__all__"),
    ],
)
def test_invalid_input_shows_the_form_again_and_saves_nothing(client, archivist, changes, field):
    client.force_login(archivist)
    response = client.post(REGISTER, form_post(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Contract.objects.exists()
    assert not Record.objects.exists()


def test_a_term_ending_before_it_starts_is_explained_in_words(client, archivist):
    client.force_login(archivist)
    speak_english(client)
    response = client.post(REGISTER, form_post(starts_on="2025-03-01", ends_on="2025-01-01"))
    assert response.context["form"].errors["__all__"] == ["The term cannot end before it starts."]


def test_duplicate_contract_number_is_refused_by_the_form(client, archivist):
    make_contract(archivist, "SCB-HT-2025-001")
    records_before = Record.objects.count()
    client.force_login(archivist)
    response = client.post(REGISTER, form_post())
    assert response.status_code == 200
    assert "contract_number" in response.context["form"].errors
    assert Record.objects.count() == records_before
    assert Contract.objects.count() == 1


def test_duplicate_contract_number_leaves_nothing_half_saved(archivist):
    """Past the form (a second archivist was quicker): the service refuses
    and rolls back the record it had created and filed."""
    existing = make_contract(archivist, "SCB-HT-2025-001")
    records_before = Record.objects.count()
    holdings_before = ContractHolding.objects.count()
    with translation.override("en"), pytest.raises(ContractRefused, match="(?i)contract number"):
        contract_register(
            by=archivist,
            record_data={"title": "重复的合同", "security_level": SecurityLevel.INTERNAL, "pages": 1, "copies": 1},
            contract_data={
                "contract_type": ContractType.AGENT_AGREEMENT,
                "contract_number": "SCB-HT-2025-001",
                "counterparty_name": "某公司",
            },
            holdings=[(Holder.MARKETING, 1)],
        )
    assert Record.objects.count() == records_before
    assert ContractHolding.objects.count() == holdings_before
    assert Contract.objects.get().pk == existing.pk
    # The archive number given to the rolled-back record is free again.
    again = make_contract(archivist, "SCB-HT-2025-002")
    assert again.record.item_number == existing.record.item_number + 1


def test_service_refuses_staff(staff):
    with translation.override("en"), pytest.raises(ContractRefused, match="Only the archivist"):
        contract_register(
            by=staff,
            record_data={"title": "合同"},
            contract_data={"contract_type": ContractType.OTHER, "contract_number": "X", "counterparty_name": "Y"},
            holdings=[],
        )
    assert not Record.objects.exists()


def test_r_contract_service_needs_to_know_who_holds_the_original(archivist):
    with translation.override("en"), pytest.raises(ContractRefused, match="at least one original or copy"):
        contract_register(
            by=archivist,
            record_data={"title": "合同"},
            contract_data={"contract_type": ContractType.OTHER, "contract_number": "X", "counterparty_name": "Y"},
            holdings=[(Holder.MARKETING, 0)],
        )
    assert not Record.objects.exists()
