"""The client back office (R-SCOPE 2, R-CLIENT)."""
import pytest
from django.utils.translation import gettext, ngettext

from accounts.roles import Role
from clients.models import Client
from clients.resources import ClientResource
from records.models import SecurityLevel
from tests.admin_support import admin_url, export_xlsx, form_data, staff_user_with_perms


def one_hidden_record_text():
    text = ngettext("%(count)d record you may not see", "%(count)d records you may not see", 1)
    return text % {"count": 1}


@pytest.mark.parametrize(
    "role, expected", [(Role.ARCHIVIST, 200), (Role.DEPARTMENT_HEAD, 200), (Role.SYSADMIN, 403)]
)
def test_client_changelist_by_role(client, role_users, role, expected):
    Client.objects.create(name="华东建材有限公司", client_type="agent")
    client.force_login(role_users[role])
    response = client.get(admin_url(Client))
    assert response.status_code == expected
    assert ("华东建材有限公司" in response.content.decode()) == (expected == 200)


def test_client_cannot_be_deleted(client, archivist):
    profile = Client.objects.create(name="某代理商", client_type="agent")
    client.force_login(archivist)
    assert client.post(admin_url(Client, "delete", profile.pk), {"post": "yes"}).status_code == 403
    assert Client.objects.filter(pk=profile.pk).exists()


def test_archivist_edits_a_client_and_history_names_them(client, archivist, filed_record):
    profile = Client.objects.create(name="某代理商", client_type="agent")
    record = filed_record()
    client.force_login(archivist)
    url = admin_url(Client, "change", profile.pk)
    response = client.post(url, form_data(client.get(url), preferences="偏好电话联系", records=[str(record.pk)]))
    assert response.status_code == 302, response.context["adminform"].form.errors
    profile.refresh_from_db()
    assert profile.preferences == "偏好电话联系"
    assert list(profile.records.all()) == [record]
    assert profile.history.latest().history_user == archivist


def test_r_lend_4_saving_a_client_keeps_links_to_records_the_editor_cannot_see(client, filed_record):
    editor = staff_user_with_perms("editor", "clients.view_client", "clients.change_client", "records.view_record")
    public = filed_record(title="公开的代理商协议", security_level=SecurityLevel.PUBLIC)
    secret = filed_record(title="机密的代理商协议", security_level=SecurityLevel.CONFIDENTIAL)
    profile = Client.objects.create(name="某代理商", client_type="agent")
    profile.records.add(public, secret)
    client.force_login(editor)
    url = admin_url(Client, "change", profile.pk)
    page = client.get(url)
    assert "机密的代理商协议" not in page.content.decode()
    # The form's value still holds both; only the visible one is rendered.
    assert page.context["adminform"].form["records"].value() == [public.pk, secret.pk]
    # The browser sends back only what the page showed: the public record.
    response = client.post(url, form_data(page, records=[str(public.pk)], notes="已核对"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    profile.refresh_from_db()
    assert profile.notes == "已核对"
    assert set(profile.records.all()) == {public, secret}


def test_client_export(client, archivist):
    Client.objects.create(name="某代理商", client_type="agent", age=40)
    client.force_login(archivist)
    rows = export_xlsx(client, Client)
    assert rows[0] == ClientResource().get_export_headers()
    assert "客户类型" in rows[0]
    assert rows[1][:2] == ["KH-00001", "某代理商"]


def test_r_lend_4_client_history_does_not_name_hidden_records(client, archivist, filed_record):
    reader = staff_user_with_perms("reader", "clients.view_client", "records.view_record")
    public = filed_record(title="公开的代理商协议", security_level=SecurityLevel.PUBLIC)
    secret = filed_record(title="机密的代理商协议", security_level=SecurityLevel.CONFIDENTIAL)
    profile = Client.objects.create(name="某代理商", client_type="agent")
    profile.records.add(public)
    profile.records.add(secret)
    url = admin_url(Client, "history", profile.pk)

    client.force_login(reader)
    content = client.get(url).content.decode()
    assert "公开的代理商协议" in content
    assert "机密的代理商协议" not in content
    assert gettext("(a record you may not see)") in content

    client.force_login(archivist)
    assert "机密的代理商协议" in client.get(url).content.decode()


def test_r_lend_4_view_only_client_page_does_not_name_hidden_records(client, filed_record):
    reader = staff_user_with_perms("reader", "clients.view_client", "records.view_record")
    public = filed_record(title="公开的代理商协议", security_level=SecurityLevel.PUBLIC)
    secret = filed_record(title="机密的代理商协议", security_level=SecurityLevel.CONFIDENTIAL)
    profile = Client.objects.create(name="某代理商", client_type="agent")
    profile.records.add(public, secret)
    client.force_login(reader)
    content = client.get(admin_url(Client, "change", profile.pk)).content.decode()
    assert "公开的代理商协议" in content
    assert "机密的代理商协议" not in content
    assert one_hidden_record_text() in content


def test_r_client_back_office_checks_contacts_like_the_portal_and_keeps_the_number(client, archivist):
    from clients.models import ClientContact

    profile = Client.objects.create(name="某代理商", client_type="agent")
    ClientContact.objects.create(client=profile, name="张三", phone="13812345678")
    code = profile.code
    client.force_login(archivist)
    client.cookies["django_language"] = "en"
    url = admin_url(Client, "change", profile.pk)
    page = client.get(url)
    assert "code" not in page.context["adminform"].form.fields  # shown, not editable
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    response = client.post(url, form_data(page, **{f"{prefix}-0-phone": "12345", "code": "KH-99999"}))
    assert response.status_code == 200
    assert "Enter a phone number of 7 to 20 digits" in response.content.decode()
    assert ClientContact.objects.get().phone == "13812345678"
    response = client.post(url, form_data(page, **{f"{prefix}-0-id_number": "11010519491231002x", "code": "KH-99999"}))
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.code == code and profile.contacts.get().id_number == "11010519491231002X"
