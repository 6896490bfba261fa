"""The scopes a hold can be placed on besides one record or a class and
year (records.hold_scopes): the records of a client, of a contract, as
clients and contracts register them, and which of them a user may pick."""
import pytest

from clients.models import Client, ClientEvent
from records.hold_scopes import hold_scope, hold_scopes
from records.models import SecurityLevel
from tests.contracts.ledger_support import make_contract


@pytest.fixture
def client_file(filed_record, archivist):
    client = Client.objects.create(name="争议客户", client_type="agent")
    client.records.add(filed_record(title="客户资料"))
    ClientEvent.objects.create(
        client=client, kind="complaint", date="2024-05-01", summary="投诉",
        record=filed_record(title="投诉记录"), recorded_by=archivist,
    )
    return client


def titles(records):
    return sorted(records.values_list("title", flat=True))


def test_clients_and_contracts_register_their_scopes():
    assert [scope.name for scope in hold_scopes()] == ["client", "contract"]


def test_the_records_of_a_client_are_its_linked_records_its_timeline_and_its_contracts(
    client_file, archivist, filed_record
):
    review = filed_record(title="合同评审")
    make_contract(archivist, "HT-1", counterparty=client_file, review_record=review)
    make_contract(archivist, "HT-2")  # another client's
    filed_record(title="无关档案")

    records = hold_scope("client").records(str(client_file.pk))

    assert titles(records) == ["合同 HT-1", "合同评审", "客户资料", "投诉记录"]


def test_the_records_of_a_contract_are_the_contract_and_its_review_papers(archivist, filed_record):
    review = filed_record(title="合同评审")
    contract = make_contract(archivist, "HT-1", review_record=review)
    make_contract(archivist, "HT-2")

    assert titles(hold_scope("contract").records(str(contract.pk))) == ["合同 HT-1", "合同评审"]


def test_a_user_picks_only_the_clients_and_contracts_they_may_see(client_file, archivist, staff, leadership):
    make_contract(archivist, "HT-OPEN")
    secret = make_contract(archivist, "HT-SECRET", security_level=SecurityLevel.CONFIDENTIAL)
    contracts = hold_scope("contract")

    assert [label for _value, label in contracts.choices(archivist)] == ["HT-OPEN 某代理商", "HT-SECRET 某代理商"]
    assert [label for _value, label in contracts.choices(staff)] == ["HT-OPEN 某代理商"]
    assert contracts.choice_label(staff, secret.pk) is None
    assert hold_scope("client").choice_label(archivist, client_file.pk) == f"{client_file.code} 争议客户"
    # Leadership reads client files (issue 16; clients.policies.may_view_clients).
    assert hold_scope("client").choices(leadership) == [(str(client_file.pk), f"{client_file.code} 争议客户")]
