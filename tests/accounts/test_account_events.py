"""The account log (accounts.AccountEvent): written by every change of an
account in the back office, never changed or deleted, shown to leadership on
/accounts/changes/, and mailed to the person concerned after commit."""
import datetime

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from accounts.models import AccountEvent, AccountEventKind, AppendOnly, User
from accounts.roles import Role
from tests.accounts.support import account_snapshot, superuser
from tests.admin_support import admin_url, form_data
from tests.conftest import run_queued_tasks, speak_english
from tests.factories import DepartmentFactory, UserFactory, marketing_department


def event(**kwargs):
    values = {"kind": AccountEventKind.ROLE_GRANTED, "summary": "已授予张伟（staff）角色“部门员工”。", "actor_name": "赵磊（sysadmin）"}
    return AccountEvent.objects.create(**{**values, **kwargs})


# --- append-only ----------------------------------------------------------------------------

def test_an_event_is_never_changed_or_deleted(db):
    row = event()
    row.summary = "rewritten"
    with pytest.raises(AppendOnly):
        row.save()
    with pytest.raises(AppendOnly):
        row.delete()
    with pytest.raises(AppendOnly):
        AccountEvent.objects.filter(pk=row.pk).update(summary="rewritten")
    with pytest.raises(AppendOnly):
        AccountEvent.objects.all().delete()
    assert AccountEvent.objects.get(pk=row.pk).summary == "已授予张伟（staff）角色“部门员工”。"


@pytest.mark.parametrize("as_superuser", [False, True])
def test_the_back_office_shows_the_log_and_changes_nothing(client, sysadmin, as_superuser):
    row = event()
    client.force_login(superuser() if as_superuser else sysadmin)
    assert row.summary in client.get(admin_url(AccountEvent)).content.decode()
    assert client.get(admin_url(AccountEvent, "add")).status_code == 403
    assert client.post(admin_url(AccountEvent, "change", row.pk), {"summary": "rewritten"}).status_code == 403
    assert client.post(admin_url(AccountEvent, "delete", row.pk), {"post": "yes"}).status_code == 403
    assert AccountEvent.objects.get().summary == row.summary


# --- written by the back office, and mailed -------------------------------------------------------

def test_one_save_writes_one_event_per_change_and_mails_old_and_new_address(
    client, sysadmin, outside_staff, django_capture_on_commit_callbacks
):
    outside_staff.email = "lina@example.com"
    outside_staff.save()
    marketing = marketing_department()
    client.force_login(sysadmin)
    url = admin_url(User, "change", outside_staff.pk)
    staff_group = Group.objects.get(name=Role.STAFF.group_name)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            form_data(
                client.get(url),
                groups=[str(staff_group.pk)],  # outside staff taken away, staff given
                department=str(marketing.pk),
                email="lina@new.example.com",
                is_active="",
            ),
        )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert mail.outbox == []  # the mail is queued for the worker, not sent in the request
    assert run_queued_tasks() == 1
    name = f"{outside_staff.full_name}（outsider）"
    events = {row.kind: row for row in AccountEvent.objects.all()}
    assert {kind: row.summary for kind, row in events.items()} == {
        AccountEventKind.ROLE_GRANTED: f"已授予{name}角色“部门员工”。",
        AccountEventKind.ROLE_REVOKED: f"已收回{name}的角色“外部门人员”。",
        AccountEventKind.DEPARTMENT_CHANGED: f"{name}由财务部调至市场部。",
        AccountEventKind.EMAIL_CHANGED: f"{name}的电子邮箱由lina@example.com改为lina@new.example.com。",
        AccountEventKind.ACCOUNT_DEACTIVATED: f"{name}的账号已停用。",
    }
    assert {row.actor for row in events.values()} == {sysadmin}
    assert {row.user for row in events.values()} == {outside_staff}
    [message] = mail.outbox
    assert message.to == ["lina@example.com", "lina@new.example.com"]
    assert message.subject == "市场部档案管理系统：您的账号有变更"
    for row in events.values():
        assert row.summary in message.body
    assert f"操作人：{sysadmin.full_name}（sysadmin）" in message.body


def test_reactivation_is_logged(client, sysadmin, staff):
    staff.is_active = False
    staff.save()
    client.force_login(sysadmin)
    url = admin_url(User, "change", staff.pk)
    response = client.post(url, form_data(client.get(url), is_active="on"))
    assert response.status_code == 302
    assert list(AccountEvent.objects.values_list("kind", flat=True)) == [AccountEventKind.ACCOUNT_REACTIVATED]


def test_a_save_that_changes_nothing_logged_writes_nothing_and_mails_nobody(
    client, sysadmin, staff, django_capture_on_commit_callbacks
):
    staff.email = "zhangwei@example.com"
    staff.save()
    client.force_login(sysadmin)
    url = admin_url(User, "change", staff.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form_data(client.get(url), full_name="张伟伟"))
    assert response.status_code == 302
    assert not AccountEvent.objects.exists()
    assert mail.outbox == []


def test_a_refused_save_writes_nothing_and_mails_nobody(
    client, sysadmin, department_head, django_capture_on_commit_callbacks
):
    department_head.email = "liuyang@example.com"
    department_head.save()
    before = account_snapshot(department_head)
    client.force_login(sysadmin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(admin_url(User, "change", department_head.pk), {"username": "head", "email": "x@x.cn"})
    assert response.status_code == 403
    assert account_snapshot(department_head) == before
    assert not AccountEvent.objects.exists()
    assert mail.outbox == []


def test_the_account_page_is_shown_in_english_too_but_the_log_keeps_the_site_language(client, sysadmin, staff):
    speak_english(client)
    client.force_login(sysadmin)
    url = admin_url(User, "change", staff.pk)
    client.post(url, form_data(client.get(url), is_active=""))
    assert AccountEvent.objects.get().summary == f"{staff.full_name}（staff）的账号已停用。"


# --- the leadership page --------------------------------------------------------------------------

def test_leadership_reads_the_log_newest_first_in_local_time(client, leadership):
    older = event(at=datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.UTC), summary="较早的变更")
    newer = event(
        at=datetime.datetime(2026, 2, 1, 0, 30, tzinfo=datetime.UTC),
        kind=AccountEventKind.HEAD_NAMED,
        summary="市场部负责人：无 → 刘洋（head）。",
        actor_name="王总",
    )
    client.force_login(leadership)
    response = client.get(reverse("account_changes"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "账号变更记录" in html
    assert html.index(newer.summary) < html.index(older.summary)
    assert "2026-02-01 08:30" in html and "2026-01-01 08:00" in html  # Asia/Shanghai
    assert "任命部门负责人" in html and "授予角色" in html  # kinds in Chinese
    assert "王总（服务器命令）" in html and "赵磊（sysadmin）" in html


def test_the_log_is_paginated(client, leadership):
    for number in range(51):
        event(summary=f"变更{number:02d}")
    client.force_login(leadership)
    first = client.get(reverse("account_changes")).content.decode()
    second = client.get(reverse("account_changes"), {"page": 2}).content.decode()
    assert "变更50" in first and "变更01" in first and "变更00" not in first
    assert "变更00" in second and "变更50" not in second
    assert "第 2 页 共 2 页" in second


@pytest.mark.parametrize(
    "role, expected",
    [
        (Role.LEADERSHIP, 200),
        (Role.SYSADMIN, 200),
        (Role.STAFF, 403),
        (Role.OUTSIDE_STAFF, 403),
        (Role.ARCHIVIST, 403),
        (Role.DEPARTMENT_HEAD, 403),
    ],
)
def test_who_may_read_the_log_and_who_is_offered_the_link(client, role_users, role, expected):
    row = event()
    client.force_login(role_users[role])
    response = client.get(reverse("account_changes"))
    assert response.status_code == expected
    assert (row.summary in response.content.decode()) == (expected == 200)
    nav = client.get(reverse("home")).content.decode().split('class="main-nav"')[1].split("</nav>")[0]
    assert (f'href="{reverse("account_changes")}"' in nav) == (expected == 200)


def test_the_log_page_is_read_only(client, leadership):
    client.force_login(leadership)
    assert client.post(reverse("account_changes")).status_code == 405


def test_an_outside_head_with_no_role_cannot_read_the_log(client, db):
    finance = DepartmentFactory(code="CWB", name="财务部")
    cwhead = UserFactory(username="cwhead", department=finance)
    client.force_login(cwhead)
    assert client.get(reverse("account_changes")).status_code == 403
