"""Clients and their contacts in pinyin order (issue 15): 华 hua before
王 wang before 张 zhang, Latin names among them, in the portal's lists,
the back office, the directory's export and import, and the contract form.
Nothing here depends on the database's collation: the order is the stored
key's (core.pinyin), the same on SQLite and PostgreSQL."""
import importlib
import io

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from clients import selectors
from clients.models import Client, ClientContact
from clients.resources import ClientResource
from contracts.forms import ContractRegisterForm
from contracts.models import Contract
from records.imports import import_file
from tests.admin_support import admin_url
from tests.spreadsheets import xlsx_bytes

# Code-point order would be: Apex, 华, 张, 王, 黄 (U+534E, U+5F20, U+738B, U+9EC4).
PINYIN_ORDER = ["Apex 传媒", "华东建材有限公司", "黄河广告", "Wang Media", "王氏传媒", "张记印务"]


def make_clients(names):
    # Created in reverse pinyin order, so that neither pk nor code order passes the tests.
    return [Client.objects.create(name=name, client_type="agent") for name in reversed(names)]


def test_pinyin_order_is_not_code_point_order():
    assert sorted(PINYIN_ORDER) != PINYIN_ORDER


def test_client_list_is_in_pinyin_order(db, archivist):
    make_clients(PINYIN_ORDER)
    assert [client.name for client in selectors.client_list(archivist)] == PINYIN_ORDER
    assert [client.name for client in Client.objects.all()] == PINYIN_ORDER


def test_the_client_list_page_shows_pinyin_order(client, archivist):
    make_clients(PINYIN_ORDER)
    client.force_login(archivist)
    page = client.get(reverse("client_list")).content.decode()
    positions = [page.index(f">{name}</a>") for name in PINYIN_ORDER]
    assert positions == sorted(positions)


def test_clients_due_for_review_are_in_pinyin_order(db, archivist):
    make_clients(PINYIN_ORDER)
    assert [client.name for client in selectors.clients_due_for_review(archivist)] == PINYIN_ORDER


@pytest.mark.parametrize(
    ("names", "why"),
    [
        (["丁一", "沙丽", "单丽", "邵军"], "单 is read shan4 as a surname, not dan1"),
        (["陈明", "臧华", "曾伟", "张强"], "曾 is read zeng1 as a surname, not ceng2"),
    ],
)
def test_a_person_client_is_ordered_by_the_surname_reading(db, archivist, names, why):
    for name in reversed(names):
        Client.objects.create(name=name, client_type="agent", gender="female", age=40)
    assert [client.name for client in selectors.client_list(archivist)] == names, why


def test_a_company_keeps_the_word_reading(db):
    # Not a person (no gender, no age): 单 is read as the dictionary reads it.
    company = Client.objects.create(name="单位服务中心", client_type="partner")
    assert company.name_sort_key.startswith("dan1wei4")


def test_renaming_a_client_moves_it(db, archivist):
    first, *_rest = make_clients(["华东建材有限公司", "王氏传媒"])  # first is 王氏传媒
    first.name = "艾美广告"
    first.save()
    assert [client.name for client in selectors.client_list(archivist)] == ["艾美广告", "华东建材有限公司"]


def test_contacts_of_a_client_are_in_pinyin_order_current_first(db):
    profile = Client.objects.create(name="华东建材有限公司", client_type="agent")
    for name in ["张三", "王五", "华强"]:
        ClientContact.objects.create(client=profile, name=name)
    ClientContact.objects.create(client=profile, name="艾青", is_active=False)
    rows = selectors.contacts_for_display(profile, unmasked=False)
    assert [row.name for row in rows] == ["华强", "王五", "张三", "艾青"]


def test_the_contract_form_offers_clients_in_pinyin_order(db, archivist):
    make_clients(PINYIN_ORDER)
    form = ContractRegisterForm(user=archivist)
    assert [client.name for client in form.fields["counterparty"].queryset] == PINYIN_ORDER


def test_the_directory_export_is_in_pinyin_order(db, archivist):
    profiles = make_clients(PINYIN_ORDER)
    ClientContact.objects.create(client=profiles[-1], name="张三")  # the first client, Apex 传媒
    ClientContact.objects.create(client=profiles[-1], name="华强")
    with translation.override("en"):
        dataset = ClientResource(user=archivist).export()
    names = dataset.get_col(dataset.headers.index("client name"))
    contacts = dataset.get_col(dataset.headers.index("contact name"))
    assert names == [PINYIN_ORDER[0], *PINYIN_ORDER]
    assert contacts[:2] == ["华强", "张三"]


def test_the_back_office_lists_clients_in_pinyin_order(client, archivist):
    make_clients(PINYIN_ORDER)
    client.force_login(archivist)
    page = client.get(admin_url(Client, "changelist")).content.decode()
    positions = [page.index(f">{name}</a>") for name in PINYIN_ORDER]
    assert positions == sorted(positions)


def test_an_imported_directory_gets_its_sort_keys(db, archivist):
    """The import writes with bulk_create (no save()): the keys are set all the same."""
    rows = [["client name", "client type", "contact name"]]
    rows += [[name, "Agent", contact] for name, contact in zip(reversed(PINYIN_ORDER), ["张三", "王五", "华强"] * 2)]
    with translation.override("en"):
        _result, messages = import_file(
            ClientResource(user=archivist), io.BytesIO(xlsx_bytes(rows)), "directory.xlsx", user=archivist, dry_run=False
        )
    assert messages == []
    assert [client.name for client in selectors.client_list(archivist)] == PINYIN_ORDER
    assert Client.objects.get(name="张记印务").name_sort_key == "zhang1ji4yin4wu4"
    assert ClientContact.objects.filter(name_sort_key="").count() == 0
    assert set(ClientContact.objects.filter(name="华强").values_list("name_sort_key", flat=True)) == {"hua4qiang2"}


def test_the_migration_keys_existing_clients_and_contacts(db, archivist):
    make_clients(PINYIN_ORDER)
    ClientContact.objects.create(client=Client.objects.get(name="张记印务"), name="曾伟")
    Client.objects.update(name_sort_key="")
    ClientContact.objects.update(name_sort_key="")
    migration = importlib.import_module("clients.migrations.0006_name_sort_keys")
    migration.key_existing_clients(apps, None)
    assert [client.name for client in selectors.client_list(archivist)] == PINYIN_ORDER
    assert ClientContact.objects.get().name_sort_key == "zeng1wei3"


def column_order(response, cl_column):
    """`?o=` of the back office's column named `cl_column` (0-based in the
    change list's list_display, the action checkbox included)."""
    return response.context["cl"].list_display.index(cl_column)


def test_the_back_office_sorts_the_name_column_in_pinyin_order(client, archivist):
    make_clients(PINYIN_ORDER)
    client.force_login(archivist)
    index = column_order(client.get(admin_url(Client, "changelist")), "name_column")
    page = client.get(admin_url(Client, "changelist") + f"?o=-{index}").content.decode()
    positions = [page.index(f">{name}</a>") for name in reversed(PINYIN_ORDER)]
    assert positions == sorted(positions)


def test_contracts_sort_by_counterparty_in_pinyin_order(client, archivist):
    from tests.contracts.ledger_support import make_contract

    for number, name in enumerate(reversed(PINYIN_ORDER)):
        make_contract(archivist, f"HT-{number:03d}", counterparty_name=name)
    assert Contract.objects.get(contract_number="HT-000").counterparty_sort_key == "zhang1ji4yin4wu4"
    client.force_login(archivist)
    index = column_order(client.get(admin_url(Contract, "changelist")), "counterparty_column")
    page = client.get(admin_url(Contract, "changelist") + f"?o={index}").content.decode()
    positions = [page.index(f">{name}</td>") for name in PINYIN_ORDER]
    assert positions == sorted(positions)


def test_the_migration_keys_existing_contracts(db, archivist):
    from tests.contracts.ledger_support import make_contract

    make_contract(archivist, "HT-001", counterparty_name="华东建材有限公司")
    Contract.objects.update(counterparty_sort_key="")
    migration = importlib.import_module("contracts.migrations.0004_counterparty_sort_key")
    migration.key_existing_contracts(apps, None)
    assert Contract.objects.get().counterparty_sort_key == "hua2dong1jian4cai2you3xian4gong1si1"
