"""The disposal back office: lists, items, destructions and witnesses with
their history, read-only (a list changes only through disposal.services),
nothing deleted, and items only of records the reader may see (R-LEND-4)."""
import pytest
from django.utils import translation

from disposal.models import Destruction, DisposalList, ListItem, Witness
from records.models import SecurityLevel
from tests.admin_support import admin_url, staff_user_with_perms
from tests.conftest import speak_english
from tests.disposal.support import approved, confirmed, due_record, state, witnesses

MODELS = [DisposalList, ListItem, Destruction, Witness]


@pytest.fixture(autouse=True)
def english(client):
    speak_english(client)
    with translation.override("en"):
        yield


@pytest.fixture
def rows(archivist, department_head, leadership, filed_record):
    records = [due_record(filed_record, title="公开销毁件", security_level=SecurityLevel.PUBLIC),
               due_record(filed_record, title="机密销毁件", security_level=SecurityLevel.CONFIDENTIAL)]
    disposal_list = approved(archivist, department_head, leadership, records)
    confirmed(disposal_list, archivist, witnesses())
    return {model: model.objects.first() for model in MODELS}


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_archivist_reads_every_page_with_history(client, archivist, rows, model):
    client.force_login(archivist)
    obj = rows[model]
    assert client.get(admin_url(model)).status_code == 200
    page = client.get(admin_url(model, "change", obj.pk))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content  # read-only: nothing to save
    history = client.get(admin_url(model, "history", obj.pk))
    assert history.status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_nothing_is_added_changed_or_deleted_in_the_back_office(client, archivist, rows, model):
    client.force_login(archivist)
    obj = rows[model]
    before = state()
    assert client.get(admin_url(model, "add")).status_code == 403
    assert client.post(admin_url(model, "change", obj.pk), {"state": "executed"}).status_code == 403
    assert client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert state() == before


def test_items_show_only_records_the_reader_may_see(client, rows):
    reader = staff_user_with_perms("list_reader", "disposal.view_listitem")
    client.force_login(reader)
    text = client.get(admin_url(ListItem)).content.decode()
    assert "公开销毁件" in text
    assert "机密销毁件" not in text


def test_staff_without_the_permission_see_no_lists(client, staff, rows):
    client.force_login(staff)
    assert client.get(admin_url(DisposalList)).status_code in (302, 403)
