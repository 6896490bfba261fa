"""The back office for people, departments and roles, and the site itself."""
import pytest
from django.contrib.auth.models import Group
from django.utils.translation import gettext

from accounts.models import Department, User
from accounts.roles import Role
from tests.admin_support import admin_url, form_data, staff_user_with_perms
from tests.factories import marketing_department


def test_admin_site_header_is_the_archive_name(client, sysadmin):
    client.force_login(sysadmin)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert gettext("Marketing department records archive") in response.content.decode()


@pytest.mark.parametrize(
    "model, role, expected",
    [
        (User, Role.SYSADMIN, 200),
        (User, Role.ARCHIVIST, 403),
        (User, Role.DEPARTMENT_HEAD, 403),
        (Department, Role.SYSADMIN, 200),
        (Department, Role.ARCHIVIST, 403),
        (Group, Role.SYSADMIN, 200),
        (Group, Role.ARCHIVIST, 403),
    ],
)
def test_accounts_changelists_by_role(client, role_users, model, role, expected):
    client.force_login(role_users[role])
    response = client.get(admin_url(model))
    assert response.status_code == expected
    listed_object = model.objects.order_by("pk").first()
    # A role group is listed by the role's name in words (issue 16).
    shown = str(Role(listed_object.name).label) if model is Group else str(listed_object)
    if expected == 200:
        # The list shows the rows, not only a page frame.
        assert shown in response.content.decode()
    else:
        # The 403 page names the site (市场部档案管理系统), not the row.
        page = response.content.decode().replace("市场部档案管理系统", "")
        assert "result_list" not in page
        assert shown not in page


def test_staff_is_sent_to_admin_login(client, staff):
    client.force_login(staff)
    response = client.get(admin_url(User))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_user_list_shows_full_name_department_and_roles(client, sysadmin, archivist):
    client.force_login(sysadmin)
    content = client.get(admin_url(User)).content.decode()
    assert archivist.full_name in content
    assert str(Role.ARCHIVIST.label) in content
    assert archivist.department.name in content


def test_sysadmin_assigns_a_role_and_the_change_is_in_history(client, sysadmin, outside_staff):
    client.force_login(sysadmin)
    url = admin_url(User, "change", outside_staff.pk)
    staff_group = Group.objects.get(name=Role.STAFF.group_name)
    outside_group = Group.objects.get(name=Role.OUTSIDE_STAFF.group_name)
    response = client.post(url, form_data(client.get(url), groups=[str(staff_group.pk), str(outside_group.pk)]))
    assert response.status_code == 302, response.context["adminform"].form.errors
    outside_staff.refresh_from_db()
    assert outside_staff.has_role(Role.STAFF)
    assert outside_staff.history.latest().history_user == sysadmin


@pytest.mark.parametrize("role", [Role.ARCHIVIST, Role.DEPARTMENT_HEAD, Role.LEADERSHIP])
def test_r_access_sysadmin_cannot_grant_a_role_that_sees_confidential_records(client, sysadmin, staff, role):
    # Their own roles are read-only to everyone (test_separation_of_duties),
    # so the attempt is on another person's page.
    client.force_login(sysadmin)
    url = admin_url(User, "change", staff.pk)
    page = client.get(url)
    offered = {group.name for group in page.context["adminform"].form.fields["groups"].queryset}
    assert role.group_name not in offered
    response = client.post(url, form_data(page, groups=[str(Group.objects.get(name=role.group_name).pk)]))
    assert response.status_code == 200  # the form refuses an unknown choice
    staff.refresh_from_db()
    assert not staff.has_role(role)
    assert not staff.has_perm("records.view_confidential")


def test_superuser_may_grant_any_role(client, staff):
    root = staff_user_with_perms("root", is_superuser=True)
    client.force_login(root)
    url = admin_url(User, "change", staff.pk)
    head_group = Group.objects.get(name=Role.DEPARTMENT_HEAD.group_name)
    response = client.post(url, form_data(client.get(url), groups=[str(head_group.pk)], is_staff="on"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    staff.refresh_from_db()
    assert staff.has_role(Role.DEPARTMENT_HEAD)


def test_sysadmin_cannot_make_a_superuser(client, sysadmin, staff):
    client.force_login(sysadmin)
    url = admin_url(User, "change", staff.pk)
    page = client.get(url)
    assert "is_superuser" not in page.context["adminform"].form.fields
    client.post(url, form_data(page, is_superuser="on"))
    staff.refresh_from_db()
    assert not staff.is_superuser


def test_sysadmin_cannot_take_over_a_superuser(client, sysadmin):
    root = staff_user_with_perms("root", is_superuser=True)
    client.force_login(sysadmin)
    assert client.post(f"/admin/accounts/user/{root.pk}/password/", {}).status_code == 403
    url = admin_url(User, "change", root.pk)
    assert client.post(url, {"username": "taken", "full_name": "x"}).status_code == 403
    root.refresh_from_db()
    assert root.username == "root"


def test_sysadmin_adds_a_user_with_department(client, sysadmin):
    department = marketing_department()
    client.force_login(sysadmin)
    response = client.post(
        admin_url(User, "add"),
        {"username": "newclerk", "full_name": "新档案员", "department": department.pk, "email": "clerk@example.com"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username="newclerk")
    assert user.full_name == "新档案员" and user.department == department
    assert user.email == "clerk@example.com" and not user.has_usable_password()
    assert user.history.get().history_user == sysadmin


def test_department_cannot_be_deleted(client, sysadmin):
    department = marketing_department()
    client.force_login(sysadmin)
    assert client.post(admin_url(Department, "delete", department.pk), {"post": "yes"}).status_code == 403
    assert Department.objects.filter(pk=department.pk).exists()


def test_role_groups_are_read_only(client, sysadmin):
    group = Group.objects.get(name=Role.ARCHIVIST.group_name)
    permissions_before = set(group.permissions.values_list("pk", flat=True))
    client.force_login(sysadmin)
    url = admin_url(Group, "change", group.pk)
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "renamed", "permissions": []}).status_code == 403
    assert client.get(admin_url(Group, "add")).status_code == 403
    group.refresh_from_db()
    assert group.name == Role.ARCHIVIST.group_name
    assert set(group.permissions.values_list("pk", flat=True)) == permissions_before


def test_user_and_department_history_pages_open(client, sysadmin, staff):
    client.force_login(sysadmin)
    response = client.get(admin_url(User, "history", staff.pk))
    assert response.status_code == 200
    # The history lists the row's creation, naming the person the page is about.
    assert len(response.context["page_obj"].object_list) >= 1
    assert str(staff) in response.content.decode()
    department = marketing_department()
    response = client.get(admin_url(Department, "history", department.pk))
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) >= 1
    assert str(department) in response.content.decode()
