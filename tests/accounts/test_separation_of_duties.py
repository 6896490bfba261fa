"""Separation of duties: the system administrator manages accounts and
departments but never gains or hands out access to records.

Probed before this was built: the sysadmin set the head's password in the
back office and signed in as them, named themself head of 市场部, and moved
themself into 市场部 with the staff role. Each door is tried here, as the
sysadmin and (where a superuser is concerned too) as a superuser, and
nothing may have changed after a refusal."""
import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from accounts.models import AccountEvent, AccountEventKind, Department, User
from accounts.roles import Role, assign_role, grantable_roles
from tests.accounts.support import (
    NEW_PASSWORD,
    account_snapshot,
    choose_password,
    link_in,
    superuser,
)
from tests.admin_support import admin_url, form_data, messages_of
from tests.conftest import run_queued_tasks
from tests.factories import DepartmentFactory, UserFactory, marketing_department

CONFIDENTIAL_ROLES = [Role.ARCHIVIST, Role.DEPARTMENT_HEAD, Role.LEADERSHIP]


@pytest.fixture
def editors(sysadmin):
    return {"sysadmin": sysadmin, "superuser": superuser()}


# --- 1. nobody sets another person's password in the back office -----------------------

@pytest.mark.parametrize("editor", ["sysadmin", "superuser"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_the_password_page_of_the_back_office_is_refused_to_everyone(client, editors, department_head, editor, method):
    before = account_snapshot(department_head)
    client.force_login(editors[editor])
    url = reverse("admin:auth_user_password_change", args=[department_head.pk])
    data = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
    response = getattr(client, method)(url, data if method == "post" else None)
    assert response.status_code == 403
    assert account_snapshot(department_head) == before
    assert not department_head.check_password(NEW_PASSWORD)
    # Django's own name for the page leads to the same refusal.
    assert client.post(reverse("admin:auth_user_password_change", args=[department_head.pk]), data).status_code == 403


@pytest.mark.parametrize("editor", ["sysadmin", "superuser"])
def test_the_user_page_has_no_password_field_and_no_link_to_set_one(client, editors, staff, editor):
    client.force_login(editors[editor])
    response = client.get(admin_url(User, "change", staff.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert "password" not in response.context["adminform"].form.fields
    assert reverse("admin:auth_user_password_change", args=[staff.pk]) not in html
    assert 'href="../password/"' not in html
    # What is offered instead: a button that mails the person a link.
    assert reverse("admin:accounts_user_send_reset_link", args=[staff.pk]) in html
    assert "发送密码重置链接" in html


def test_the_button_mails_the_person_a_link_and_only_they_choose_the_password(
    client, sysadmin, staff, django_capture_on_commit_callbacks
):
    staff.email = "zhangwei@example.com"
    staff.save()
    password_before = account_snapshot(staff)["password"]
    client.force_login(sysadmin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:accounts_user_send_reset_link", args=[staff.pk]), follow=True)
    assert any("设置新密码的链接已发送给" in text for _level, text in messages_of(response))
    assert any("zhangwei@example.com" in text for _level, text in messages_of(response))
    assert account_snapshot(staff)["password"] == password_before  # sending sets nothing
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["zhangwei@example.com"]
    assert message.subject == "市场部档案管理系统：设置新密码"
    # The mail says who sent the link, not "someone asked".
    assert "系统管理员给您发送了一个链接" in message.body and "希望是您本人" not in message.body
    event = AccountEvent.objects.get(kind=AccountEventKind.RESET_LINK_SENT)
    assert event.user == staff and event.actor == sysadmin
    assert "zhangwei@example.com" in event.summary
    assert choose_password(link_in(message)).status_code == 302
    staff.refresh_from_db()
    assert staff.check_password(NEW_PASSWORD)


def test_the_button_is_post_only(client, sysadmin, staff):
    staff.email = "zhangwei@example.com"
    staff.save()
    client.force_login(sysadmin)
    assert client.get(reverse("admin:accounts_user_send_reset_link", args=[staff.pk])).status_code == 405
    assert mail.outbox == [] and not AccountEvent.objects.exists()


def test_no_link_for_a_person_without_an_address(client, sysadmin, staff, django_capture_on_commit_callbacks):
    client.force_login(sysadmin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:accounts_user_send_reset_link", args=[staff.pk]), follow=True)
    assert any("没有电子邮箱" in text and staff.username in text for _level, text in messages_of(response))
    assert mail.outbox == []
    assert not AccountEvent.objects.exists()


def test_the_admin_action_mails_a_link_to_each_person_who_has_an_address(
    client, sysadmin, staff, outside_staff, django_capture_on_commit_callbacks
):
    staff.email = "zhangwei@example.com"
    staff.save()
    client.force_login(sysadmin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            admin_url(User),
            {"action": "send_reset_links", "_selected_action": [staff.pk, outside_staff.pk]},
            follow=True,
        )
    texts = [text for _level, text in messages_of(response)]
    assert any("zhangwei@example.com" in text for text in texts)
    assert any("没有电子邮箱" in text and outside_staff.username in text for text in texts)
    assert [message.to for message in mail.outbox] == [["zhangwei@example.com"]]
    assert list(AccountEvent.objects.values_list("user__username", flat=True)) == [staff.username]


def test_a_new_account_has_no_password_and_the_person_is_mailed_a_welcome_link(
    client, sysadmin, django_capture_on_commit_callbacks
):
    client.force_login(sysadmin)
    data = {"username": "newclerk", "full_name": "新档案员", "department": marketing_department().pk}
    page = client.post(admin_url(User, "add"), data)
    assert page.status_code == 200 and "email" in page.context["adminform"].form.errors
    assert not User.objects.filter(username="newclerk").exists()
    assert not {"password1", "password2", "usable_password"} & set(page.context["adminform"].form.fields)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(admin_url(User, "add"), {**data, "email": "clerk@example.com"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username="newclerk")
    assert not user.has_usable_password()
    assert [message.to for message in mail.outbox] == [["clerk@example.com"]]
    welcome = mail.outbox[0]
    assert welcome.subject == "市场部档案管理系统：您的新账号"
    assert "已在市场部档案管理系统为您开通账号“newclerk”" in welcome.body
    event = AccountEvent.objects.get(kind=AccountEventKind.ACCOUNT_CREATED)
    assert event.user == user and event.actor == sysadmin and "市场部" in event.summary
    assert choose_password(link_in(welcome)).status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


# --- 2. nobody changes their own roles, department or status ---------------------------------

@pytest.mark.parametrize("editor", ["sysadmin", "superuser"])
def test_own_roles_department_and_status_are_read_only(client, editors, editor):
    me = editors[editor]
    before = account_snapshot(me)
    client.force_login(me)
    url = admin_url(User, "change", me.pk)
    page = client.get(url)
    fields = page.context["adminform"].form.fields
    assert not {"groups", "department", "is_staff", "is_active", "is_superuser", "user_permissions"} & set(fields)
    staff_group = Group.objects.get(name=Role.STAFF.group_name)
    response = client.post(
        url,
        form_data(
            page,
            department=str(marketing_department().pk),
            groups=[str(staff_group.pk)],
            is_staff="",
            is_active="",
            is_superuser="on",
            email="me@example.com",
        ),
    )
    assert response.status_code == 302  # the other fields save; these are not in the form
    after = account_snapshot(me)
    assert after.pop("email") == "me@example.com"
    before.pop("email")
    assert after == before


def test_sysadmin_cannot_move_themself_into_the_archive_department_with_the_staff_role(client, sysadmin):
    client.force_login(sysadmin)
    url = admin_url(User, "change", sysadmin.pk)
    staff_group = Group.objects.get(name=Role.STAFF.group_name)
    client.post(url, form_data(client.get(url), department=str(marketing_department().pk), groups=[str(staff_group.pk)]))
    sysadmin.refresh_from_db()
    assert sysadmin.department.code == "CWB"
    assert not sysadmin.has_role(Role.STAFF)
    assert not sysadmin.is_archive_department_member


# --- 3. who holds a role the editor could not grant is read-only to them -------------------

def test_roles_that_see_confidential_records_are_not_grantable_by_the_sysadmin(sysadmin):
    grantable = set(grantable_roles(sysadmin))
    assert grantable.isdisjoint(CONFIDENTIAL_ROLES)
    assert Role.STAFF in grantable
    assert set(grantable_roles(superuser())) == set(Role)


@pytest.mark.parametrize("role", CONFIDENTIAL_ROLES)
def test_sysadmin_may_only_look_at_a_holder_of_a_confidential_role(client, sysadmin, role):
    holder = UserFactory(username=f"holder-{role.value}", email="holder@example.com")
    assign_role(holder, role)
    before = account_snapshot(holder)
    client.force_login(sysadmin)
    url = admin_url(User, "change", holder.pk)
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False  # Django shows the page read-only
    assert 'name="email"' not in page.content.decode()
    response = client.post(url, {"username": holder.username, "email": "sysadmin@example.com", "is_active": ""})
    assert response.status_code == 403
    assert account_snapshot(holder) == before
    assert not AccountEvent.objects.exists()


def test_sysadmin_may_only_look_at_a_department_head_without_an_archive_role(client, sysadmin):
    finance = DepartmentFactory(code="CWB", name="财务部")
    cwhead = UserFactory(username="cwhead", department=finance, email="cwhead@example.com")
    assign_role(cwhead, Role.OUTSIDE_STAFF)  # grantable, but he signs his people's IOUs (R-LEND-3)
    finance.head = cwhead
    finance.save()
    before = account_snapshot(cwhead)
    client.force_login(sysadmin)
    response = client.post(admin_url(User, "change", cwhead.pk), {"username": "cwhead", "email": "x@example.com"})
    assert response.status_code == 403
    assert account_snapshot(cwhead) == before


def test_a_superuser_may_change_a_heads_address(client, department_head):
    client.force_login(superuser())
    url = admin_url(User, "change", department_head.pk)
    response = client.post(url, form_data(client.get(url), email="liuyang@example.com"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    department_head.refresh_from_db()
    assert department_head.email == "liuyang@example.com"
    assert department_head.has_role(Role.DEPARTMENT_HEAD)


def test_the_takeover_probe_fails_at_every_step(client, sysadmin, department_head):
    """The probe of the issue: change the head's address, then mail the link
    to oneself; or name oneself head. Nothing changes, nothing is mailed."""
    department_head.email = "liuyang@example.com"
    department_head.save()
    marketing = marketing_department()
    marketing.head = department_head
    marketing.save()
    before = account_snapshot(department_head)
    client.force_login(sysadmin)
    client.post(admin_url(User, "change", department_head.pk), {"username": "head", "email": "me@example.com"})
    client.post(reverse("admin:auth_user_password_change", args=[department_head.pk]),
                {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    url = admin_url(Department, "change", marketing.pk)
    client.post(url, form_data(client.get(url), head=str(sysadmin.pk)))
    assert account_snapshot(department_head) == before
    marketing.refresh_from_db()
    assert marketing.head == department_head
    assert all("me@example.com" not in message.to for message in mail.outbox)
    sysadmin = User.objects.get(pk=sysadmin.pk)
    assert not sysadmin.has_perm("records.view_confidential")


# --- 4. department heads and the archive's department: read-only but to a superuser -----------

def test_sysadmin_cannot_name_a_head_or_move_the_archive(client, sysadmin, department_head):
    marketing = marketing_department()
    finance = DepartmentFactory(code="CWB", name="财务部")
    client.force_login(sysadmin)
    url = admin_url(Department, "change", finance.pk)
    page = client.get(url)
    assert not {"head", "owns_archive"} & set(page.context["adminform"].form.fields)
    response = client.post(url, form_data(page, head=str(sysadmin.pk), owns_archive="on", name="财务部二"))
    assert response.status_code == 302
    finance.refresh_from_db()
    marketing.refresh_from_db()
    assert finance.name == "财务部二"  # the rest of the page still saves
    assert finance.head is None and not finance.owns_archive
    assert marketing.owns_archive
    response = client.post(admin_url(Department, "add"), {"code": "NEW", "name": "新部门", "owns_archive": "on",
                                                          "head": str(sysadmin.pk)})
    assert response.status_code == 302
    added = Department.objects.get(code="NEW")
    assert added.head is None and not added.owns_archive
    assert not AccountEvent.objects.exists()


def test_a_superuser_names_a_head_in_the_back_office_and_it_is_logged(
    client, department_head, django_capture_on_commit_callbacks
):
    department_head.email = "liuyang@example.com"
    department_head.save()
    root = superuser()
    marketing = marketing_department()
    client.force_login(root)
    url = admin_url(Department, "change", marketing.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form_data(client.get(url), head=str(department_head.pk)))
    assert response.status_code == 302, response.context["adminform"].form.errors
    marketing.refresh_from_db()
    assert marketing.head == department_head
    event = AccountEvent.objects.get()
    assert event.kind == AccountEventKind.HEAD_NAMED and event.actor == root
    assert event.department == marketing and event.user == department_head
    assert event.summary == f"市场部负责人：无 → {department_head.full_name}（head）。"
    run_queued_tasks()  # the worker sends the queued mail (core.mail)
    assert [message.to for message in mail.outbox] == [["liuyang@example.com"]]
