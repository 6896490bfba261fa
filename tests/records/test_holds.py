"""Holds (冻结): a record frozen against weeding, write-off and destruction.
Placed and released through records.services.holds with a reason, by the
department head, leadership or the archivist; history names who and why;
refusals change nothing; records.services.holds.refuse_if_held is what
disposal and inventory ask. Bulk holds and end dates: test_holds_scope.py."""
import pytest
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from accounts.roles import Role
from core.history import reason_label
from records import policies
from records.exceptions import RecordActionRefused
from records.models import Hold
from records.models.record import RecordDeletionRefused
from records.selectors import active_holds, is_held
from records.services import hold_place, hold_release, refuse_if_held
from tests.admin_support import admin_url, form_data, messages_of

FROZEN = "Frozen: kept from weeding, write-off and destruction"


@pytest.fixture
def record(filed_record):
    return filed_record(title="华东区代理商协议")


@pytest.fixture
def hold(record, archivist):
    return hold_place(record=record, by=archivist, reason="合同纠纷诉讼中")


def _reason_words(entry):
    with translation.override("en"):
        return str(reason_label(entry.history_change_reason))


# --- placing and releasing ---------------------------------------------------


def test_placing_a_hold_freezes_the_record_and_history_names_who_and_why(record, archivist):
    assert not is_held(record)

    hold = hold_place(record=record, by=archivist, reason="  合同纠纷诉讼中  ")

    assert is_held(record)
    assert list(active_holds(record)) == [hold]
    assert (hold.reason, hold.placed_by, hold.released_at) == ("合同纠纷诉讼中", archivist, None)
    entry = hold.history.get()
    assert entry.history_user == archivist
    assert _reason_words(entry) == FROZEN


def test_releasing_a_hold_unfreezes_the_record_and_history_names_who_and_why(hold, record, department_head):
    released = hold_release(hold=hold, by=department_head, reason="诉讼已结案")

    assert not is_held(record)
    assert (released.released_by, released.release_reason) == (department_head, "诉讼已结案")
    assert released.released_at is not None
    latest = hold.history.latest()
    assert latest.history_user == department_head
    assert _reason_words(latest) == "Hold released"
    assert hold.history.count() == 2


def test_a_record_may_carry_several_holds_until_each_is_released(record, archivist, department_head):
    first = hold_place(record=record, by=archivist, reason="审计检查")
    hold_place(record=record, by=department_head, reason="合同纠纷")
    hold_release(hold=first, by=archivist, reason="审计结束")
    assert [h.reason for h in active_holds(record)] == ["合同纠纷"]
    assert is_held(record)


# --- refusals change nothing -------------------------------------------------


@pytest.mark.parametrize(
    "role, reason, message",
    [
        (Role.ARCHIVIST, "   ", "Reason for the hold"),
        (Role.ARCHIVIST, "", "Reason for the hold"),
        (Role.ARCHIVIST, "长" * 301, "at most 300 characters"),
        (Role.STAFF, "合同纠纷", "Only the archivist, the department head or leadership can freeze"),
        (Role.OUTSIDE_STAFF, "合同纠纷", "Only the archivist, the department head or leadership can freeze"),
        (Role.SYSADMIN, "合同纠纷", "Only the archivist, the department head or leadership can freeze"),
    ],
)
def test_placing_is_refused_and_nothing_is_written(role_users, record, role, reason, message):
    with translation.override("en"), pytest.raises(RecordActionRefused, match=message):
        hold_place(record=record, by=role_users[role], reason=reason)
    assert not Hold.objects.exists()
    assert not Hold.history.exists()


@pytest.mark.parametrize(
    "role, reason, message",
    [
        (Role.ARCHIVIST, "  ", "Reason for the release"),
        (Role.STAFF, "结案", "Only the archivist, the department head or leadership can release"),
        (Role.SYSADMIN, "结案", "Only the archivist, the department head or leadership can release"),
    ],
)
def test_releasing_is_refused_and_the_hold_stays(role_users, hold, record, role, reason, message):
    with translation.override("en"), pytest.raises(RecordActionRefused, match=message):
        hold_release(hold=hold, by=role_users[role], reason=reason)
    hold.refresh_from_db()
    assert hold.is_active and hold.released_by is None and hold.release_reason == ""
    assert hold.history.count() == 1
    assert is_held(record)


def test_a_released_hold_cannot_be_released_again(hold, archivist, department_head):
    hold_release(hold=hold, by=archivist, reason="诉讼已结案")
    with translation.override("en"), pytest.raises(RecordActionRefused, match="already released"):
        hold_release(hold=hold, by=department_head, reason="再次解除")
    hold.refresh_from_db()
    assert (hold.released_by, hold.release_reason) == (archivist, "诉讼已结案")
    assert hold.history.count() == 2


# --- the question disposal and inventory ask ----------------------------------


def test_refuse_if_held_names_every_active_hold_reason(record, archivist, department_head):
    refuse_if_held(record)  # not held: nothing to say
    hold_place(record=record, by=archivist, reason="审计检查")
    hold_place(record=record, by=department_head, reason="合同纠纷")
    with translation.override("en"), pytest.raises(RecordActionRefused) as refused:
        refuse_if_held(record)
    message = refused.value.message
    assert "frozen by 2 holds" in message
    assert "审计检查; 合同纠纷" in message
    assert record.archive_number in message


def test_refuse_if_held_speaks_chinese_with_chinese_punctuation(record, archivist, department_head):
    hold_place(record=record, by=archivist, reason="审计检查")
    hold_place(record=record, by=department_head, reason="合同纠纷")
    with translation.override("zh-hans"), pytest.raises(RecordActionRefused) as refused:
        refuse_if_held(record)
    assert "审计检查；合同纠纷" in refused.value.message


def test_refuse_if_held_lets_a_released_record_go(hold, record, archivist):
    hold_release(hold=hold, by=archivist, reason="诉讼已结案")
    refuse_if_held(record)


# --- who may (records.grants) -------------------------------------------------


@pytest.mark.parametrize(
    "role, may",
    [
        (Role.ARCHIVIST, True),
        (Role.DEPARTMENT_HEAD, True),
        (Role.STAFF, False),
        (Role.OUTSIDE_STAFF, False),
        (Role.LEADERSHIP, True),
        (Role.SYSADMIN, False),
    ],
)
def test_who_may_place_and_release_holds_by_role(role_users, role, may):
    user = role_users[role]
    assert policies.may_place_hold(user) is may
    assert policies.may_release_hold(user) is may


# --- never deleted, released means when and by whom ----------------------------


def test_holds_are_never_deleted(hold):
    with pytest.raises(RecordDeletionRefused):
        hold.delete()
    with pytest.raises(RecordDeletionRefused):
        Hold.objects.all().delete()
    assert Hold.objects.filter(pk=hold.pk).exists()


def test_released_at_and_released_by_come_together(hold):
    hold.released_at = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        hold.save()


# --- back office ---------------------------------------------------------------


def test_admin_add_page_places_a_hold_through_the_service(client, archivist, record):
    client.force_login(archivist)
    page = client.get(admin_url(Hold, "add"))
    assert list(page.context["adminform"].form.fields) == ["record", "reason", "ends_on", "scope"]

    response = client.post(admin_url(Hold, "add"), form_data(page, record=str(record.pk), reason="审计检查"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    hold = Hold.objects.get()
    assert (hold.record, hold.reason, hold.placed_by) == (record, "审计检查", archivist)
    assert _reason_words(hold.history.get()) == FROZEN


def test_admin_add_page_refuses_an_empty_reason(client, archivist, record):
    client.force_login(archivist)
    page = client.get(admin_url(Hold, "add"))
    response = client.post(admin_url(Hold, "add"), form_data(page, record=str(record.pk), reason=" "))
    assert response.status_code == 200
    assert "reason" in response.context["adminform"].form.errors
    assert not Hold.objects.exists()


def test_admin_change_page_releases_the_hold_with_a_reason(client, department_head, hold, record):
    client.force_login(department_head)
    url = admin_url(Hold, "change", hold.pk)
    page = client.get(url)
    assert list(page.context["adminform"].form.fields) == ["release_reason"]

    missing = client.post(url, form_data(page))
    assert "release_reason" in missing.context["adminform"].form.errors
    hold.refresh_from_db()
    assert hold.is_active

    response = client.post(url, form_data(page, release_reason="诉讼已结案"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    hold.refresh_from_db()
    assert (hold.released_by, hold.release_reason) == (department_head, "诉讼已结案")
    assert not is_held(record)
    history = client.get(admin_url(Hold, "history", hold.pk)).content.decode()
    assert str(department_head) in history


def test_admin_shows_a_released_hold_read_only(client, archivist, hold):
    hold_release(hold=hold, by=archivist, reason="诉讼已结案")
    client.force_login(archivist)
    url = admin_url(Hold, "change", hold.pk)
    page = client.get(url)
    assert page.status_code == 200
    assert "诉讼已结案" in page.content.decode()
    assert not page.context["adminform"].form.fields
    assert client.post(url, {"release_reason": "再次解除"}).status_code == 403
    hold.refresh_from_db()
    assert hold.release_reason == "诉讼已结案"


def test_admin_shows_a_refusal_of_the_service_and_nothing_changes(client, department_head, hold, monkeypatch):
    """What the form cannot know (a hold released between the check and the
    lock) the service refuses; the page says so and the save rolls back."""

    def refuse(**kwargs):
        raise RecordActionRefused("这项冻结刚刚已被解除。")

    monkeypatch.setattr("records.admin.holds.hold_release", refuse)
    client.force_login(department_head)
    url = admin_url(Hold, "change", hold.pk)
    page = client.get(url)
    response = client.post(url, form_data(page, release_reason="诉讼已结案"), follow=True)
    assert response.redirect_chain[-1][0] == url
    assert (messages.ERROR, "这项冻结刚刚已被解除。") in messages_of(response)
    hold.refresh_from_db()
    assert hold.is_active and hold.release_reason == ""
    assert hold.history.count() == 1


@pytest.mark.parametrize(
    "role, expected",
    [(Role.ARCHIVIST, 200), (Role.DEPARTMENT_HEAD, 200), (Role.SYSADMIN, 403), (Role.LEADERSHIP, 302)],
)
def test_hold_changelist_by_role(client, role_users, hold, role, expected):
    """Leadership has no back-office access at all: sent to the admin login."""
    client.force_login(role_users[role])
    response = client.get(admin_url(Hold))
    assert response.status_code == expected
    assert ("合同纠纷诉讼中" in response.content.decode()) is (expected == 200)
    if expected == 302:
        assert response["Location"].startswith("/admin/login/")


def test_admin_cannot_delete_a_hold(client, archivist, hold):
    client.force_login(archivist)
    assert client.get(admin_url(Hold, "delete", hold.pk)).status_code == 403
    assert Hold.objects.filter(pk=hold.pk).exists()
