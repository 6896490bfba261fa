"""The contract ledger back office (台帐, R-CONTRACT)."""
import pytest
from django.utils.translation import ngettext

from accounts.roles import Role
from contracts.models import Contract, ContractHolding
from contracts.resources import ContractResource
from records.models import SecurityLevel
from tests.admin_support import admin_url, export_xlsx, form_data, staff_user_with_perms
from tests.factories import RecordFactory

C = SecurityLevel.CONFIDENTIAL


def make_contract(record, number, **kwargs):
    kwargs.setdefault("contract_type", "agent_agreement")
    kwargs.setdefault("counterparty_name", "某代理商")
    return Contract.objects.create(record=record, contract_number=number, **kwargs)


@pytest.fixture
def ledger_reader(db):
    return staff_user_with_perms(
        "ledger", "contracts.view_contract", "contracts.view_contractholding", "records.view_record"
    )


@pytest.mark.parametrize(
    "role, expected", [(Role.ARCHIVIST, 200), (Role.DEPARTMENT_HEAD, 200), (Role.SYSADMIN, 403)]
)
def test_contract_changelist_by_role(client, role_users, filed_record, role, expected):
    make_contract(filed_record(), "HT-001", counterparty_name="甲代理商")
    client.force_login(role_users[role])
    response = client.get(admin_url(Contract))
    assert response.status_code == expected
    shown = "HT-001" in response.content.decode() and "甲代理商" in response.content.decode()
    assert shown is (expected == 200)
    if expected == 200:
        assert response.context["cl"].result_count == 1


def test_r_lend_4_contracts_of_confidential_records_are_hidden(client, ledger_reader, filed_record):
    visible = make_contract(filed_record(), "HT-001")
    secret = make_contract(filed_record(security_level=C), "HT-002", counterparty_name="机密代理商")
    client.force_login(ledger_reader)
    response = client.get(admin_url(Contract))
    assert list(response.context["cl"].result_list) == [visible]
    assert "机密代理商" not in response.content.decode()
    assert client.get(admin_url(Contract, "history", secret.pk)).status_code == 404

    rows = export_xlsx(client, Contract)
    assert rows[0] == ContractResource().get_export_headers()
    assert [row[0] for row in rows[1:]] == ["HT-001"]
    dataset = ContractResource(user=ledger_reader).export(queryset=Contract.objects.all())
    assert [row[0] for row in dataset] == ["HT-001"]


def test_r_lend_4_contract_page_does_not_show_a_hidden_review_record(client, filed_record):
    reader = staff_user_with_perms(
        "ledger", "contracts.view_contract", "contracts.change_contract", "records.view_record"
    )
    review = filed_record(title="机密的评审资料", security_level=C)
    contract = make_contract(filed_record(), "HT-003", review_record=review)
    client.force_login(reader)
    page = client.get(admin_url(Contract, "change", contract.pk))
    assert page.status_code == 200
    assert "机密的评审资料" not in page.content.decode()


def test_archivist_adds_a_contract_with_holdings_and_history(client, archivist, filed_record):
    record = filed_record(title="某代理商协议")
    client.force_login(archivist)
    page = client.get(admin_url(Contract, "add"))
    data = form_data(
        page,
        record=str(record.pk),
        contract_number="HT-2024-010",
        contract_type="agent_agreement",
        counterparty_name="某代理商",
        currency="CNY",
        original_or_copy="original",
        **{
            "holdings-TOTAL_FORMS": "2",
            "holdings-0-holder": "gm_office",
            "holdings-0-original_or_copy": "original",
            "holdings-0-copies": "1",
            "holdings-1-holder": "marketing",
            "holdings-1-original_or_copy": "original",
            "holdings-1-copies": "1",
        },
    )
    response = client.post(admin_url(Contract, "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    contract = Contract.objects.get(contract_number="HT-2024-010")
    assert contract.record == record
    assert sorted(contract.holdings.values_list("holder", flat=True)) == ["gm_office", "marketing"]
    assert contract.history.get().history_user == archivist
    assert {h.history_user for h in ContractHolding.history.all()} == {archivist}


def test_contract_holdings_cannot_be_deleted(client, archivist, filed_record):
    contract = make_contract(filed_record(), "HT-004")
    holding = contract.holdings.create(holder="marketing")
    client.force_login(archivist)
    url = admin_url(Contract, "change", contract.pk)
    page = client.get(url)
    assert page.context["inline_admin_formsets"][0].formset.can_delete is False
    data = form_data(page, **{"holdings-0-DELETE": "on"})
    client.post(url, data)
    assert ContractHolding.objects.filter(pk=holding.pk).exists()
    assert client.post(admin_url(Contract, "delete", contract.pk), {"post": "yes"}).status_code == 403


def test_contract_record_is_fixed_once_created(client, archivist, filed_record):
    contract = make_contract(filed_record(), "HT-005")
    other = RecordFactory()
    client.force_login(archivist)
    url = admin_url(Contract, "change", contract.pk)
    response = client.post(url, form_data(client.get(url), record=str(other.pk), counterparty_name="改名"))
    assert response.status_code == 302
    assert Contract.objects.get(contract_number="HT-005").record_id == contract.pk
    assert not Contract.objects.filter(pk=other.pk).exists()


def test_r_lend_4_view_only_contract_page_does_not_show_a_hidden_review_record(
    client, ledger_reader, filed_record
):
    review = filed_record(title="机密的评审资料", security_level=C)
    contract = make_contract(filed_record(), "HT-006", review_record=review)
    client.force_login(ledger_reader)
    page = client.get(admin_url(Contract, "change", contract.pk))
    assert page.status_code == 200
    content = page.content.decode()
    assert "机密的评审资料" not in content
    hidden_text = ngettext("%(count)d record you may not see", "%(count)d records you may not see", 1)
    assert hidden_text % {"count": 1} in content

    visible_review = filed_record(title="公开的评审资料")
    contract.review_record = visible_review
    contract.save()
    assert "公开的评审资料" in client.get(admin_url(Contract, "change", contract.pk)).content.decode()
