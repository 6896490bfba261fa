"""The void screen (R-CTRL-5): a confirmation page saying how many copies
are recalled and from whom, the reason required; a lapsed, superseded or
void document refused with a clear message and nothing changed."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.models import ControlledDocument, CopyState, DocumentState
from tests.conftest import speak_english
from tests.documents.support import fresh, make_copy, make_document
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(private_storage, archivist):
    document = make_document(state=DocumentState.IN_FORCE, marked_by=archivist, title="价格管理办法")
    return document


def _url(document):
    return reverse("documents_void", args=[document.pk])


def test_void_page_says_how_many_copies_are_recalled_and_from_whom_R_CTRL_5(client, archivist, document):
    make_copy(document, UserFactory(username="zhang", full_name="张三"), state=CopyState.SIGNED)
    make_copy(document, UserFactory(username="li", full_name="李四"))
    make_copy(document, UserFactory(username="wang", full_name="王五"), state=CopyState.LOST)
    client.force_login(archivist)
    speak_english(client)
    page = client.get(_url(document)).content.decode()
    assert 'data-count="2"' in page
    assert "2 copies are recalled" in page
    assert "张三" in page and "李四" in page
    assert "王五" not in page  # a lost copy is not out any more
    assert "Void and recall the copies" in page


def test_void_recalls_every_copy_out_and_goes_to_the_recalls_R_CTRL_5(client, archivist, document):
    signed = make_copy(document, UserFactory(full_name="张三"), state=CopyState.SIGNED)
    issued = make_copy(document)
    client.force_login(archivist)
    speak_english(client)
    response = client.post(_url(document), {"reason": "已被新规定替代", "confirm": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("documents_recalls")
    assert "价格管理办法 is void; 2 copies are recalled." in response.content.decode()
    document = fresh(document)
    assert document.state == DocumentState.VOID
    assert document.end_reason == "已被新规定替代"
    assert document.ended_by == archivist
    assert fresh(signed).state == CopyState.RECALLED
    assert fresh(issued).state == CopyState.RECALLED


def test_void_without_a_reason_is_shown_again_and_changes_nothing(client, archivist, document):
    copy = make_copy(document, state=CopyState.SIGNED)
    client.force_login(archivist)
    response = client.post(_url(document), {"reason": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert fresh(document).state == DocumentState.IN_FORCE
    assert fresh(copy).state == CopyState.SIGNED


@pytest.mark.parametrize(
    "state, words",
    [
        (DocumentState.VOID, "already void"),
        (DocumentState.LAPSED, "has lapsed"),
        (DocumentState.SUPERSEDED, "superseded by its revision"),
    ],
)
def test_void_refused_for_a_document_no_longer_in_force_R_CTRL_5(client, archivist, private_storage, state, words):
    document = make_document(state=state, marked_by=archivist, ended_at=timezone.now())
    copy = make_copy(document, state=CopyState.SIGNED)
    client.force_login(archivist)
    speak_english(client)
    page = client.get(_url(document)).content.decode()
    assert words in page
    assert "Void and recall the copies" not in page
    response = client.post(_url(document), {"reason": "再作废一次"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert fresh(document).state == state
    assert fresh(document).end_reason == ""
    assert fresh(copy).state == CopyState.SIGNED


def test_void_of_a_time_limited_document_past_its_date_is_refused_R_CTRL_5(client, archivist, private_storage):
    """Lapsed by its date though the daily job has not run: not recalled."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    document = make_document(state=DocumentState.IN_FORCE, marked_by=archivist, valid_until=yesterday)
    copy = make_copy(document, state=CopyState.SIGNED)
    client.force_login(archivist)
    response = client.post(_url(document), {"reason": "作废"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert fresh(document).state == DocumentState.IN_FORCE
    assert fresh(copy).state == CopyState.SIGNED


@pytest.mark.parametrize("who", ["staff", "department_head"])
def test_only_the_archivist_voids(client, request, document, who):
    copy = make_copy(document, state=CopyState.SIGNED)
    client.force_login(request.getfixturevalue(who))
    assert client.get(_url(document)).status_code == 403
    assert client.post(_url(document), {"reason": "越权"}).status_code == 403
    assert fresh(document).state == DocumentState.IN_FORCE
    assert fresh(copy).state == CopyState.SIGNED


def test_void_of_an_unknown_document_is_404_and_other_methods_405(client, archivist, document):
    client.force_login(archivist)
    missing = ControlledDocument.objects.order_by("-pk").first().pk + 1
    assert client.get(reverse("documents_void", args=[missing])).status_code == 404
    assert client.put(_url(document)).status_code == 405
