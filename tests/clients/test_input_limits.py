"""Bad input on client files (issue 10, point 6): ages outside 0–150,
timeline dates outside 1900–2999, bidi and control characters in client and
contact names. Each is refused with a message naming the field (invisible
marks are removed) and nothing is written, by the portal's forms, the
directory import and the database."""
import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from clients.models import Client, ClientContact, ClientEvent
from tests.clients.test_import_directory import HEADERS, counts, run
from tests.clients.test_portal_forms import contact_data, profile_data
from tests.conftest import speak_english
from tests.spreadsheets import xlsx_bytes

AGE_MESSAGE = "Age must be between 0 and 150."


@pytest.fixture
def profile(staff):
    return Client.objects.create(name="华东建材有限公司", client_type="agent", responsible=staff)


def post_as(client, user, url, data):
    client.force_login(user)
    speak_english(client)
    return client.post(url, data)


def form_errors(response, field):
    with translation.override("en"):
        return [str(error) for error in response.context["form"].errors[field]]


@pytest.mark.parametrize("age", ["151", "400", "32768"])
def test_an_age_beyond_150_is_refused_and_nothing_is_written(client, archivist, age):
    before = counts()
    response = post_as(client, archivist, reverse("client_create"), profile_data(age=age))
    assert response.status_code == 200
    assert form_errors(response, "age") == [AGE_MESSAGE]
    assert counts() == before


@pytest.mark.parametrize("age", ["0", "150"])
def test_ages_from_0_to_150_are_accepted(client, archivist, age):
    response = post_as(client, archivist, reverse("client_create"), profile_data(age=age))
    assert response.status_code == 302
    assert Client.objects.get(name="滨江置业有限公司").age == int(age)


def test_the_database_refuses_an_age_of_400(profile):
    with pytest.raises(IntegrityError), transaction.atomic():
        Client.objects.filter(pk=profile.pk).update(age=400)
    profile.refresh_from_db()
    assert profile.age is None


def test_client_name_loses_its_bidi_override(client, archivist):
    response = post_as(client, archivist, reverse("client_create"), profile_data(name="\u202e司公限有\u200b"))
    assert response.status_code == 302
    assert Client.objects.filter(name="司公限有").exists()


def test_client_name_with_a_control_character_is_refused(client, archivist):
    before = counts()
    response = post_as(client, archivist, reverse("client_create"), profile_data(name="滨江\x00置业"))
    assert response.status_code == 200
    assert form_errors(response, "name") == [
        "Client name contains a control character (U+0000) that cannot be stored; remove it."
    ]
    assert counts() == before


def test_contact_names_are_cleaned_and_refused_the_same_way(client, archivist, profile):
    url = reverse("client_contact_add", args=[profile.pk])
    response = post_as(client, archivist, url, contact_data(name="李\x1b四"))
    assert response.status_code == 200
    assert form_errors(response, "name") == [
        "Contact name contains a control character (U+001B) that cannot be stored; remove it."
    ]
    assert not ClientContact.objects.exists()
    response = post_as(client, archivist, url, contact_data(name="\u2066李四\u2069", position="\u202e理经"))
    assert response.status_code == 302
    contact = ClientContact.objects.get()
    assert (contact.name, contact.position) == ("李四", "理经")


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31", "1899-12-31", "3000-01-01"])
def test_timeline_dates_outside_1900_to_2999_are_refused(client, staff, profile, date):
    url = reverse("client_event_add", args=[profile.pk])
    response = post_as(client, staff, url, {"kind": "visit", "date": date, "summary": "拜访"})
    assert response.status_code == 200
    assert form_errors(response, "date") == ["Date must be between 1900-01-01 and 2999-12-31."]
    assert not ClientEvent.objects.exists()


def test_timeline_summary_keeps_lines_but_refuses_controls(client, staff, profile):
    url = reverse("client_event_add", args=[profile.pk])
    response = post_as(client, staff, url, {"kind": "visit", "date": "2026-03-02", "summary": "拜访\x07"})
    assert response.status_code == 200
    assert form_errors(response, "summary") == [
        "Summary contains a control character (U+0007) that cannot be stored; remove it."
    ]
    response = post_as(client, staff, url, {"kind": "visit", "date": "2026-03-02", "summary": "第一行\r\n\u202e第二行"})
    assert response.status_code == 302
    assert ClientEvent.objects.get().summary == "第一行\r\n第二行"


def test_import_refuses_an_age_of_400_and_writes_nothing(archivist):
    before = counts()
    rows = [HEADERS, ["", "王五", "被鉴定对象", "男", 400, "", "", "", "", "", ""]]
    _result, messages = run(xlsx_bytes(rows), user=archivist)
    assert messages == [f"Row 2, column “age”: {AGE_MESSAGE}"]
    assert counts() == before


def test_import_removes_bidi_marks_from_a_client_name(archivist):
    rows = [HEADERS, ["", "\u202e西湖传媒", "partner", "", "", "", "", "", "", "", ""]]
    _result, messages = run(xlsx_bytes(rows), user=archivist)
    assert messages == []
    assert Client.objects.filter(name="西湖传媒").exists()
