"""Bad input on the contract ledger (issue 10, point 6): negative amounts,
copies and pages beyond their columns, dates outside 1900–2999, bidi and
control characters in contract numbers, counterparties and titles. Each is
refused with a message naming the field (or, for invisible marks, removed)
and nothing is written; the ledger's filters answer year 1 or 9999 with the
form and its message, never a 500."""
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from contracts.models import Contract, ContractHolding
from records.models import Record
from tests.contracts.ledger_support import make_contract
from tests.contracts.test_ledger_register import REGISTER, form_post

LEDGER = reverse("contract_ledger")


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def written():
    return Record.objects.count(), Contract.objects.count(), ContractHolding.objects.count(), Contract.history.count()


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"amount": "-1.00"}, "amount", "The amount cannot be negative."),
        ({"copies": "70000"}, "copies", "Copies must be between 1 and 32767."),
        ({"pages": "2147483648"}, "pages", "Pages must be between 1 and 2147483647."),
        ({"held_by_marketing": "100"}, "held_by_marketing", "Held by marketing must be between 0 and 99."),
        ({"signed_on": "0001-01-01"}, "signed_on", "Signed on must be between 1900-01-01 and 2999-12-31."),
        ({"ends_on": "9999-12-31"}, "ends_on", "Term ends must be between 1900-01-01 and 2999-12-31."),
        (
            {"contract_number": "SCB\x00HT"},
            "contract_number",
            "Contract number contains a control character (U+0000) that cannot be stored; remove it.",
        ),
        (
            {"counterparty_name": "某某\x1b建材"},
            "counterparty_name",
            "Counterparty contains a control character (U+001B) that cannot be stored; remove it.",
        ),
        ({"title": "合同\x7f"}, "title", "Title contains a control character (U+007F) that cannot be stored; remove it."),
    ],
)
def test_register_refuses_bad_input_naming_the_field_and_writes_nothing(client, archivist, changes, field, message):
    client.force_login(archivist)
    before = written()
    response = client.post(REGISTER, form_post(**changes))
    assert response.status_code == 200
    assert [str(error) for error in response.context["form"].errors[field]] == [message]
    assert written() == before


def test_register_removes_bidi_marks_from_number_counterparty_and_title(client, archivist):
    client.force_login(archivist)
    response = client.post(
        REGISTER,
        form_post(title="\u202egnp.exe", contract_number="SCB-\u200bHT-1", counterparty_name="\u2067某某建材\u2069"),
    )
    assert response.status_code == 302
    contract = Contract.objects.get()
    assert contract.contract_number == "SCB-HT-1"
    assert contract.counterparty_name == "某某建材"
    assert contract.record.title == "gnp.exe"
    assert contract.record.document_number == "SCB-HT-1"


def test_database_refuses_a_negative_amount(archivist):
    contract = make_contract(archivist, "HT-NEG")
    with pytest.raises(IntegrityError), transaction.atomic():
        Contract.objects.filter(pk=contract.pk).update(amount=Decimal("-0.01"))
    contract.refresh_from_db()
    assert contract.amount == Decimal("1000.00")


def test_zero_and_empty_amounts_are_allowed(archivist):
    assert make_contract(archivist, "HT-0", amount=Decimal("0")).amount == 0
    assert make_contract(archivist, "HT-NONE", amount=None).amount is None


@pytest.mark.parametrize(
    "query, message",
    [
        ("year=1", "Year signed must be between 1949 and 2200."),
        ("year=9999", "Year signed must be between 1949 and 2200."),
        ("year=1&format=xlsx", "Year signed must be between 1949 and 2200."),
        ("year=9999&format=pdf", "Year signed must be between 1949 and 2200."),
        ("expiring_within=99999", "Expiring within (days) must be between 0 and 3650."),
    ],
)
def test_ledger_filters_out_of_range_show_the_list_with_a_message(client, archivist, query, message):
    make_contract(archivist, "HT-2024-1")
    client.force_login(archivist)
    response = client.get(f"{LEDGER}?{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()
