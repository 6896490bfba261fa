"""Bad input on records (issue 10, point 6): numbers beyond what the
database column holds, dates outside 1900–2999, years outside the archive's
years, bidi and control characters in titles and names. Each is refused with
a message naming the field, or (invisible marks) silently removed, and
nothing is written; no request answers 500.

Requests ask for English (the language cookie); forms and imports run under
translation.override("en")."""
import pytest
from django.urls import reverse
from django.utils import translation

from core.text_input import clean_text
from records.forms_filing import ReceiveFormSet, SubmissionForm
from records.forms_search import RecordSearchForm
from records.models import Category, Record, RecordStatus
from tests.admin_support import admin_url, form_data, staff_user_with_perms
from tests.conftest import speak_english
from tests.factories import RecordFactory, category
from tests.records.test_filing_services import snapshot, submitted
from tests.records.test_filing_views import as_user, form_post
from tests.records.test_import_catalogue import counts, number, run
from tests.spreadsheets import xlsx_bytes

RLO_TITLE = "\u202egnp.exe"  # shows as "exe.png"
NUL_TITLE = "A\x00B"
COPIES_MESSAGE = "Copies must be between 1 and 32767."
TITLE_CONTROL_MESSAGE = "Title contains a control character (U+0000) that cannot be stored; remove it."


def submission_form(**overrides):
    with translation.override("en"):
        form = SubmissionForm(data=form_post(**overrides))
        valid = form.is_valid()
        return form, valid, {name: [str(error) for error in errors] for name, errors in form.errors.items()}


# --- the text rule itself ----------------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        (RLO_TITLE, "gnp.exe"),
        ("合同\u200b第\u200d1号", "合同第1号"),
        ("\u2066华东\u2069区\u200e\u200f", "华东区"),
        ("\ufeff代理协议", "代理协议"),
        ("普通题名", "普通题名"),
    ],
)
def test_invisible_format_characters_are_removed(text, expected):
    assert clean_text(text) == expected


@pytest.mark.parametrize("text", [NUL_TITLE, "A\x1bB", "A\x7fB", "A\x85B", "A\tB", "A\nB"])
def test_control_characters_are_refused_on_one_line(text):
    with translation.override("en"), pytest.raises(Exception, match="contains a control character"):
        clean_text(text)


def test_several_lines_keep_tabs_and_line_breaks_but_not_other_controls():
    assert clean_text("甲\r\n乙\t丙", multiline=True) == "甲\r\n乙\t丙"
    with translation.override("en"), pytest.raises(Exception, match=r"U\+0000"):
        clean_text("甲\n\x00", multiline=True)


# --- the submission form (a ModelForm: the model's fields decide) ------------------------

def test_bidi_override_in_a_title_is_removed(db):
    form, valid, errors = submission_form(title=RLO_TITLE, responsible_party="\u202e部场市", keywords="展\u200b会")
    assert valid, errors
    assert form.cleaned_data["title"] == "gnp.exe"
    assert form.cleaned_data["responsible_party"] == "部场市"
    assert form.cleaned_data["keywords"] == "展会"


@pytest.mark.parametrize(
    "field, label",
    [
        ("title", "Title"),
        ("responsible_party", "Responsible party"),
        ("document_number", "Document number"),
        ("keywords", "Keywords"),
    ],
)
def test_control_character_in_a_name_field_is_refused_naming_it(db, field, label):
    _form, valid, errors = submission_form(**{field: NUL_TITLE.replace("\x00", "\x01")})
    assert not valid
    assert errors[field] == [f"{label} contains a control character (U+0001) that cannot be stored; remove it."]


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("copies", "70000", COPIES_MESSAGE),
        ("copies", "32768", COPIES_MESSAGE),
        ("pages", "2147483648", "Pages must be between 0 and 2147483647."),
        ("document_date", "0001-01-01", "Date must be between 1900-01-01 and 2999-12-31."),
        ("document_date", "9999-12-31", "Date must be between 1900-01-01 and 2999-12-31."),
    ],
)
def test_numbers_and_dates_beyond_the_columns_are_refused(db, field, value, message):
    _form, valid, errors = submission_form(**{field: value})
    assert not valid
    assert message in errors[field]


def test_the_largest_small_integer_is_accepted(db):
    _form, valid, errors = submission_form(copies="32767")
    assert valid, errors


def test_seventy_thousand_copies_are_refused_by_the_page_and_nothing_is_written(client, staff):
    before = snapshot()
    response = as_user(client, staff).post(reverse("submission_create"), form_post(copies="70000"))
    assert response.status_code == 200
    assert COPIES_MESSAGE in response.content.decode()
    assert snapshot() == before


def test_nul_in_a_title_is_refused_by_the_page_and_nothing_is_written(client, staff):
    before = snapshot()
    response = as_user(client, staff).post(reverse("submission_create"), form_post(title=NUL_TITLE))
    assert response.status_code == 200
    assert response.context["form"].errors["title"]
    assert snapshot() == before


def test_receiving_more_copies_than_the_column_holds_is_refused(db, staff):
    record = submitted(staff)
    data = {
        "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-MIN_NUM_FORMS": "1", "form-MAX_NUM_FORMS": "200",
        "form-0-record": str(record.pk), "form-0-copies_received": "70000", "form-0-pages_received": "1",
        "form-0-format_ok": "on", "form-0-location": "", "form-0-remarks": "",
    }
    with translation.override("en"):
        formset = ReceiveFormSet(data, form_kwargs={"records": {record.pk: record}, "boxes": []})
        assert not formset.is_valid()
        assert formset.forms[0].errors["copies_received"] == ["Copies counted must be between 1 and 32767."]


# --- the back office -------------------------------------------------------------------------

@pytest.mark.parametrize(
    "field, value, message",
    [
        ("copies", "70000", COPIES_MESSAGE),
        ("retention_years", "500", "Retention (years) must be between 1 and 100."),
        ("year", "9999", "Year must be between 1949 and 2200."),
        ("title", RLO_TITLE.replace("\u202e", "\x07"), "Title contains a control character (U+0007)"),
    ],
)
def test_back_office_refuses_out_of_range_values_and_writes_nothing(client, archivist, field, value, message):
    record = RecordFactory(status=RecordStatus.SUBMITTED)
    client.force_login(archivist)
    url = admin_url(Record, "change", record.pk)
    page = client.get(url)
    response = client.post(url, form_data(page, **{field: value}))
    assert response.status_code == 200
    with translation.override("en"):
        errors = [str(error) for error in response.context["adminform"].form.errors[field]]
    assert any(message in error for error in errors), errors
    fresh = Record.objects.get(pk=record.pk)
    assert (fresh.copies, fresh.retention_years, fresh.year, fresh.title) == (
        record.copies, record.retention_years, record.year, record.title
    )
    assert record.history.count() == 1


def test_back_office_stores_a_title_without_its_bidi_override(client, archivist):
    record = RecordFactory(status=RecordStatus.SUBMITTED)
    client.force_login(archivist)
    url = admin_url(Record, "change", record.pk)
    response = client.post(url, form_data(client.get(url), title=RLO_TITLE))
    assert response.status_code == 302
    assert Record.objects.get(pk=record.pk).title == "gnp.exe"


def test_category_retention_beyond_a_century_is_refused(client, db):
    user = staff_user_with_perms("planner", "records.change_category", "records.view_category")
    client.force_login(user)
    plan = category("XCZH")
    url = admin_url(Category, "change", plan.pk)
    response = client.post(url, form_data(client.get(url), default_retention_years="32767"))
    assert response.status_code == 200
    with translation.override("en"):
        assert [str(error) for error in response.context["adminform"].form.errors["default_retention_years"]] == [
            "Default retention (years) must be between 1 and 100."
        ]
    assert Category.objects.get(pk=plan.pk).default_retention_years == plan.default_retention_years


# --- the catalogue import --------------------------------------------------------------------

HEADERS = "archive number,title,category code,year,copies\n"


def test_import_refuses_copies_beyond_the_column_and_writes_nothing(archivist):
    before = counts()
    text = HEADERS + f"{number(1)},代理协议,HTDL,2019,70000\n"
    _result, messages = run(text.encode("utf-8-sig"), "catalogue.csv", user=archivist)
    assert any("copies" in message and COPIES_MESSAGE in message for message in messages), messages
    assert counts() == before


@pytest.mark.parametrize("title, code", [("A\x85B", "U+0085"), ("第一行\n第二行", "U+000A")])
def test_import_refuses_a_control_character_in_a_title_and_writes_nothing(archivist, title, code):
    before = counts()
    rows = [["archive number", "title", "category code", "year"], [number(1), title, "HTDL", 2019]]
    _result, messages = run(xlsx_bytes(rows), user=archivist)
    assert messages == [f"Row 2, column “title”: The cell contains a control character ({code}) that cannot be stored; remove it."]
    assert counts() == before


def test_import_stores_a_title_without_its_bidi_override(archivist):
    text = HEADERS + f"{number(1)},{RLO_TITLE},HTDL,2019,1\n"
    _result, messages = run(text.encode("utf-8-sig"), "catalogue.csv", user=archivist)
    assert messages == []
    assert Record.objects.get(archive_number=number(1)).title == "gnp.exe"


# --- filters: the catalogue and the search ---------------------------------------------------

@pytest.mark.parametrize("year", ["1", "9999"])
def test_catalogue_year_out_of_range_shows_the_form_with_a_message(client, staff, year):
    query = f"?category={category('HTDL').pk}&year={year}&format=pdf"
    response = as_user(client, staff).get(reverse("catalogue") + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Year must be between 1949 and 2200." in response.content.decode()


@pytest.mark.parametrize("year", ["1", "9999"])
def test_search_year_out_of_range_shows_the_list_with_a_message(client, staff, year):
    response = as_user(client, staff).get(reverse("record_list") + f"?year={year}")
    assert response.status_code == 200
    assert "Year must be between 1949 and 2200." in response.content.decode()


def test_search_query_loses_its_bidi_marks_and_refuses_controls(db):
    with translation.override("en"):
        text, _filters, _order = RecordSearchForm({"q": "\u202e协议"}).criteria()
        assert text == "协议"
        form = RecordSearchForm({"q": "协\x00议"})
        assert form.criteria()[0] == ""
        assert form.errors["q"]


@pytest.mark.parametrize(
    "query",
    [
        "filed_at__year=9999",
        "filed_at__year=1",
        "filed_at__year=9999&filed_at__month=12",
        "filed_at__year=9999&filed_at__month=12&filed_at__day=31",
        "filed_at__year=1&filed_at__month=1&filed_at__day=1",
        "filed_at__gte=0001-01-01",
        "filed_at__lt=9999-12-31",
    ],
)
def test_back_office_date_filters_out_of_range_are_refused_with_a_message(client, archivist, filed_record, query):
    record = filed_record()
    client.force_login(archivist)
    speak_english(client)
    response = client.get(f"{admin_url(Record)}?{query}", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(f"{admin_url(Record)}?e=1", 302)]
    assert "Dates in a filter must be between 1900-01-01 and 2999-12-31." in response.content.decode()
    assert record.archive_number in response.content.decode()  # the whole list, unfiltered


def test_back_office_date_filters_in_range_still_filter(client, archivist, filed_record):
    record = filed_record()
    client.force_login(archivist)
    year = record.filed_at.year
    shown = client.get(f"{admin_url(Record)}?filed_at__year={year}").content.decode()
    hidden = client.get(f"{admin_url(Record)}?filed_at__year={year - 1}").content.decode()
    assert record.archive_number in shown and record.archive_number not in hidden
