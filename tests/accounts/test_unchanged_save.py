"""A back-office page saved without a change writes nothing (issue 10,
point 6): no save and so no history row (accounts.admin.BackOfficeAdmin).
A real change, and every new object, are still saved with their history."""
import pytest

from records.models import Category, Record, RecordStatus
from tests.admin_support import admin_url, form_data
from tests.factories import RecordFactory, UserFactory, category


@pytest.fixture
def superuser_for_plan(db):
    return UserFactory(username="planner", is_staff=True, is_superuser=True)


def save_page(client, user, model, pk, **changes):
    client.force_login(user)
    url = admin_url(model, "change", pk)
    return client.post(url, form_data(client.get(url), **changes))


def test_a_filed_record_saved_unchanged_adds_no_history_row(client, archivist, filed_record):
    record = filed_record(title="代理商协议")
    before = list(record.history.values_list("history_id", flat=True))
    updated_at = Record.objects.get(pk=record.pk).updated_at
    response = save_page(client, archivist, Record, record.pk)
    assert response.status_code == 302
    assert list(record.history.values_list("history_id", flat=True)) == before
    assert Record.objects.get(pk=record.pk).updated_at == updated_at


def test_an_unfiled_record_saved_unchanged_adds_no_history_row(client, archivist):
    record = RecordFactory(status=RecordStatus.SUBMITTED)
    response = save_page(client, archivist, Record, record.pk)
    assert response.status_code == 302
    assert record.history.count() == 1


def test_a_real_change_still_writes_its_history_row(client, archivist):
    record = RecordFactory(title="旧题名", status=RecordStatus.SUBMITTED)
    response = save_page(client, archivist, Record, record.pk, title="新题名")
    assert response.status_code == 302
    assert record.history.count() == 2
    latest = record.history.latest()
    assert (latest.title, latest.history_user, latest.history_type) == ("新题名", archivist, "~")


def test_a_category_saved_unchanged_adds_no_history_row_but_a_change_does(client, archivist, superuser_for_plan):
    plan = category("XCZH")
    count = plan.history.count()
    assert save_page(client, superuser_for_plan, Category, plan.pk).status_code == 302
    assert plan.history.count() == count
    assert save_page(client, superuser_for_plan, Category, plan.pk, name="宣传品（新）").status_code == 302
    assert plan.history.count() == count + 1
    assert Category.objects.get(pk=plan.pk).name == "宣传品（新）"


def test_a_new_object_is_saved_with_history_even_with_nothing_typed_beyond_the_defaults(client, archivist):
    client.force_login(archivist)
    page = client.get(admin_url(Record, "add"))
    data = form_data(page, title="新收到的宣传册", category=str(category("XCCS").pk), year="2024")
    response = client.post(admin_url(Record, "add"), data)
    assert response.status_code == 302
    assert Record.objects.get(title="新收到的宣传册").history.count() == 1

