"""Out-of-range input on the lending screens (issue 10, point 6): the
lending register with dates in year 1 or 9999 answered 500 (the day after
9999-12-31 does not exist); now every date outside 1900–2999 is refused with
the form and a message naming the field. The lending forms' numbers and
reasons follow the same rules as the rest of the archive."""
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from lending.forms import DecisionForm, ExtensionForm, RequestForm, ReturnForm
from lending.forms_registers import LendingRegisterForm
from tests.conftest import speak_english

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def english(client):
    speak_english(client)
    with translation.override("en"):
        yield


def register(client, user, date_from, date_to, file_format="xlsx"):
    client.force_login(user)
    return client.get(reverse("lending_register"), {"date_from": date_from, "date_to": date_to, "format": file_format})


@pytest.mark.parametrize("file_format", ["pdf", "xlsx"])
@pytest.mark.parametrize(
    "date_from, date_to, field",
    [
        ("0001-01-01", "0001-01-31", "From"),
        ("0001-12-31", "0001-12-31", "To"),
        ("9999-12-01", "9999-12-31", "From"),
        ("9999-12-31", "9999-12-31", "To"),
        ("2024-12-01", "9999-12-31", "To"),
        ("1899-12-31", "1900-01-31", "From"),
        ("2999-12-31", "3000-01-01", "To"),
    ],
)
def test_register_dates_outside_1900_to_2999_show_the_form_with_a_message(
    client, archivist, date_from, date_to, field, file_format
):
    response = register(client, archivist, date_from, date_to, file_format)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert f"{field} must be between 1900-01-01 and 2999-12-31." in response.content.decode()


@pytest.mark.parametrize("date_from, date_to", [("1900-01-01", "1900-01-31"), ("2999-12-01", "2999-12-31")])
def test_register_at_the_edges_of_the_range_is_produced(client, archivist, date_from, date_to):
    response = register(client, archivist, date_from, date_to)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX


def test_register_form_names_each_field_out_of_range():
    form = LendingRegisterForm({"date_from": "0001-01-01", "date_to": "9999-12-31", "format": "pdf"})
    assert not form.is_valid()
    assert form.errors["date_from"] == ["From must be between 1900-01-01 and 2999-12-31."]
    assert form.errors["date_to"] == ["To must be between 1900-01-01 and 2999-12-31."]


# --- the other lending forms ------------------------------------------------------------

def test_extension_to_year_9999_is_refused():
    loan = SimpleNamespace(due_at=timezone.now())
    form = ExtensionForm({"new_due_date": "9999-12-31", "reason": "需要更久"}, loan=loan)
    assert not form.is_valid()
    assert form.errors["new_due_date"] == ["New due date must be between 1900-01-01 and 2999-12-31."]


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("copies_returned", "70000", "Copies returned must be between 0 and 32767."),
        ("pages_returned", "2147483648", "Pages returned must be between 0 and 2147483647."),
    ],
)
def test_return_counts_beyond_the_columns_are_refused(field, value, message):
    data = {"pages_returned": "3", "copies_returned": "1", "notes": ""}
    form = ReturnForm({**data, field: value})
    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_request_purpose_refuses_control_characters_and_loses_bidi_marks(db):
    form = RequestForm({"kind": "borrow", "days": "2", "purpose": "市场\x00分析"})
    assert not form.is_valid()
    assert form.errors["purpose"] == ["Purpose contains a control character (U+0000) that cannot be stored; remove it."]
    form = RequestForm({"kind": "borrow", "days": "2", "purpose": "\u202e市场分析\r\n第二行"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["purpose"] == "市场分析\r\n第二行"


def test_refusal_reason_loses_bidi_marks():
    form = DecisionForm({"reason": "\u202b不符合规定\u202c"}, refusing=True)
    assert form.is_valid()
    assert form.cleaned_data["reason"] == "不符合规定"


def test_a_reason_of_invisible_marks_only_is_no_reason():
    form = DecisionForm({"reason": "\u202e\u200b"}, refusing=True)
    assert not form.is_valid()
    assert form.errors["reason"] == ["Say why you refuse: the requester reads it."]
