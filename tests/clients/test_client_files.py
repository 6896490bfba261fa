"""Client files (R-SCOPE 2, R-CLIENT): encrypted contacts, masking by role,
logged unmasking and export, weekly review and the timeline."""
import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from accounts.roles import Role
from clients import crypto, policies, selectors, services
from clients.exceptions import ClientRefused
from clients.models import (
    Client,
    ClientContact,
    ClientDataAccess,
    ClientEvent,
    ClientPolicy,
    DataAccessAction,
    EventKind,
)
from clients.reasons import ClientReason
from core.history import reason_label
from records.models import SecurityLevel
from tests.admin_support import admin_url

PHONE, EMAIL, ID_NUMBER = "13812345678", "zhangsan@example.com", "110101199001011234"


@pytest.fixture
def profile(staff):
    client = Client.objects.create(name="华东建材有限公司", client_type="agent", responsible=staff)
    ClientContact.objects.create(
        client=client, name="张三", position="采购经理", phone=PHONE, email=EMAIL, id_number=ID_NUMBER
    )
    return client


def raw_contact_columns(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT phone, email, id_number FROM {table}")  # noqa: S608 (our own table names)
        return cursor.fetchall()


# --- Encryption at rest -------------------------------------------------------------------

def test_r_client_contact_is_encrypted_in_the_table_and_its_history(profile):
    for table in (ClientContact._meta.db_table, ClientContact.history.model._meta.db_table):
        (phone, email, id_number), = raw_contact_columns(table)
        assert PHONE not in phone and EMAIL not in email and ID_NUMBER not in id_number
        assert phone.startswith(crypto.PREFIX) and crypto.decrypt(phone) == PHONE
        assert crypto.decrypt(email) == EMAIL and crypto.decrypt(id_number) == ID_NUMBER
    contact = ClientContact.objects.get()
    assert (contact.phone, contact.email, contact.id_number) == (PHONE, EMAIL, ID_NUMBER)
    assert contact.history.get().phone == PHONE


def test_r_client_same_phone_twice_gives_different_ciphertexts(profile):
    ClientContact.objects.create(client=profile, name="李四", phone=PHONE)
    phones = [row[0] for row in raw_contact_columns(ClientContact._meta.db_table)]
    assert len(set(phones)) == 2


def test_r_client_wrong_key_refuses_to_decrypt(profile, settings):
    settings.ARCHIVE_FIELD_KEY = "A" * 43 + "="
    with pytest.raises(Exception, match="ARCHIVE_FIELD_KEY"):
        ClientContact.objects.get()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads the SQLite file")
@pytest.mark.django_db(transaction=True)
def test_r_client_sqlite_file_bytes_hold_no_phone_in_clear(staff):
    client = Client.objects.create(name="某代理商", client_type="agent")
    contact = ClientContact.objects.create(client=client, name="张三", phone=PHONE)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(FULL)")
    path = Path(connection.settings_dict["NAME"])
    data = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
    assert PHONE.encode() not in data
    stored = raw_contact_columns(ClientContact._meta.db_table)[0][0]
    assert stored.encode() in data
    assert ClientContact.objects.get(pk=contact.pk).phone == PHONE


# --- Masking --------------------------------------------------------------------------------

def test_masks():
    assert policies.mask_phone(PHONE) == "138****5678"
    assert policies.mask_email(EMAIL) == "z***@example.com"
    assert policies.mask_id_number(ID_NUMBER) == "1101**********1234"
    assert policies.mask_phone("") == ""


@pytest.mark.parametrize("role", [Role.STAFF, Role.ARCHIVIST, Role.DEPARTMENT_HEAD, Role.LEADERSHIP])
def test_r_client_profile_shows_contacts_masked_to_everyone_first(client, role_users, role, profile):
    client.force_login(role_users[role])
    page = client.get(reverse("client_detail", args=[profile.pk])).content.decode()
    assert "138****5678" in page and "z***@example.com" in page and "1101**********1234" in page
    assert PHONE not in page and EMAIL not in page and ID_NUMBER not in page
    # Staff and leadership (issue 16) read client files masked only.
    assert ("show-personal-data" in page) == (role not in (Role.STAFF, Role.LEADERSHIP))
    assert not ClientDataAccess.objects.exists()


@pytest.mark.parametrize("role, expected", [
    (Role.STAFF, 200), (Role.ARCHIVIST, 200), (Role.DEPARTMENT_HEAD, 200),
    (Role.LEADERSHIP, 200), (Role.OUTSIDE_STAFF, 403), (Role.SYSADMIN, 403),
])
def test_client_pages_by_role(client, role_users, role, expected, profile):
    client.force_login(role_users[role])
    for url in (reverse("client_list"), reverse("client_review_due"), reverse("client_detail", args=[profile.pk])):
        response = client.get(url)
        assert response.status_code == expected
        # The profile is never reviewed, so it is on the list, the due list and its own page.
        assert (profile.name in response.content.decode()) == (expected == 200)


def test_unknown_client_is_404(client, staff, profile):
    client.force_login(staff)
    response = client.get(reverse("client_detail", args=[999999]))
    assert response.status_code == 404
    assert "clients/client_detail.html" not in [template.name for template in response.templates]
    assert profile.name not in response.content.decode()


def test_anonymous_is_sent_to_login(client, profile):
    url = reverse("client_detail", args=[profile.pk])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == f"{reverse('login')}?next={url}"
    page = client.get(response["Location"]).content.decode()
    assert 'name="password"' in page and profile.name not in page and "138****5678" not in page


@pytest.mark.parametrize("role", [Role.ARCHIVIST, Role.DEPARTMENT_HEAD])
def test_r_client_unmasking_shows_clear_data_and_is_logged(client, role_users, role, profile):
    user = role_users[role]
    client.force_login(user)
    before = timezone.now()
    response = client.post(reverse("client_unmask", args=[profile.pk]))
    page = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert PHONE in page and EMAIL in page and ID_NUMBER in page
    log = ClientDataAccess.objects.get()
    assert (log.user, log.client, log.action) == (user, profile, DataAccessAction.UNMASK)
    assert log.at >= before


def test_r_client_staff_cannot_unmask_and_nothing_is_logged(client, staff, profile):
    client.force_login(staff)
    response = client.post(reverse("client_unmask", args=[profile.pk]))
    assert response.status_code == 403
    assert PHONE not in response.content.decode()
    assert not ClientDataAccess.objects.exists()


def test_unmask_by_get_is_405(client, archivist, profile):
    client.force_login(archivist)
    assert client.get(reverse("client_unmask", args=[profile.pk])).status_code == 405
    assert not ClientDataAccess.objects.exists()


# --- Back office: contacts and export are logged --------------------------------------------

def test_r_client_admin_contacts_inline_is_logged(client, archivist, profile):
    client.force_login(archivist)
    response = client.get(admin_url(Client, "change", profile.pk))
    assert response.status_code == 200 and PHONE in response.content.decode()
    log = ClientDataAccess.objects.get()
    assert (log.user, log.client, log.action) == (archivist, profile, DataAccessAction.ADMIN_VIEW)


def test_r_client_admin_without_data_permission_shows_no_contacts(client, profile):
    from tests.admin_support import staff_user_with_perms

    editor = staff_user_with_perms("editor", "clients.view_client", "clients.change_client")
    client.force_login(editor)
    response = client.get(admin_url(Client, "change", profile.pk))
    assert response.status_code == 200 and PHONE not in response.content.decode()
    assert not ClientDataAccess.objects.exists()


def test_data_access_log_cannot_be_edited(client, archivist, profile):
    services.client_data_access_log(user=archivist, action=DataAccessAction.UNMASK, client=profile)
    client.force_login(archivist)
    log = ClientDataAccess.objects.get()
    response = client.get(admin_url(ClientDataAccess))
    assert response.status_code == 200 and list(response.context["cl"].result_list) == [log]
    assert admin_url(ClientDataAccess, "add") not in response.content.decode()
    assert client.post(admin_url(ClientDataAccess, "delete", log.pk), {"post": "yes"}).status_code == 403
    assert client.post(admin_url(ClientDataAccess, "change", log.pk), {"detail": "改过"}).status_code == 403
    assert list(ClientDataAccess.objects.values_list("pk", "user", "action", "detail")) == [
        (log.pk, archivist.pk, DataAccessAction.UNMASK, "")]


# --- Weekly review --------------------------------------------------------------------------

def test_r_client_review_due_list_follows_the_policy_interval(staff):
    now = timezone.now()
    policy = ClientPolicy.current()
    policy.client_review_interval_days = 7
    policy.save()
    never = Client.objects.create(name="从未整理", client_type="agent")
    old = Client.objects.create(name="八天前", client_type="agent", last_reviewed_at=now - datetime.timedelta(days=8))
    recent = Client.objects.create(name="昨天", client_type="agent", last_reviewed_at=now - datetime.timedelta(days=1))
    inactive = Client.objects.create(name="停用", client_type="agent", is_active=False)
    assert list(selectors.clients_due_for_review(staff)) == [never, old]
    # The profile page's badge answers the same question as the list.
    assert [selectors.is_due_for_review(c) for c in (never, old, recent, inactive)] == [True, True, False, False]
    policy.client_review_interval_days = 10
    policy.save()
    assert list(selectors.clients_due_for_review(staff)) == [never]


def test_r_client_mark_reviewed_records_who_and_when(client, staff, profile):
    client.force_login(staff)
    response = client.post(reverse("client_mark_reviewed", args=[profile.pk]), {"next": "due"})
    assert response.status_code == 302 and response["Location"] == reverse("client_review_due")
    profile.refresh_from_db()
    assert profile.last_reviewed_by == staff
    assert timezone.now() - profile.last_reviewed_at < datetime.timedelta(minutes=1)
    latest = profile.history.latest()
    assert latest.history_user == staff and latest.last_reviewed_by_id == staff.pk
    assert profile not in selectors.clients_due_for_review(staff)
    page = client.get(reverse("client_detail", args=[profile.pk])).content.decode()
    assert staff.display_name in page


def test_mark_reviewed_needs_responsibility_or_change_permission(client, department_head, archivist, profile):
    client.force_login(department_head)  # neither responsible nor editor of client files
    assert client.post(reverse("client_mark_reviewed", args=[profile.pk])).status_code == 403
    profile.refresh_from_db()
    assert (profile.last_reviewed_at, profile.last_reviewed_by) == (None, None)
    assert profile.history.count() == 1
    client.force_login(archivist)
    assert client.post(reverse("client_mark_reviewed", args=[profile.pk])).status_code == 302
    profile.refresh_from_db()
    assert profile.last_reviewed_by == archivist and profile.last_reviewed_at is not None


def test_r_client_mark_reviewed_service_refuses_others_and_names_its_reason(department_head, staff, profile):
    with translation.override("en"), pytest.raises(ClientRefused, match="responsible for the client can mark it"):
        services.client_mark_reviewed(client=profile, by=department_head)
    profile.refresh_from_db()
    assert profile.last_reviewed_at is None and profile.history.count() == 1
    services.client_mark_reviewed(client=profile, by=staff)
    latest = profile.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (staff, ClientReason.REVIEWED)
    with translation.override("en"):
        assert reason_label(latest.history_change_reason) == "Reviewed and tidied"


def test_mark_reviewed_by_get_is_405(client, staff, profile):
    client.force_login(staff)
    assert client.get(reverse("client_mark_reviewed", args=[profile.pk])).status_code == 405
    profile.refresh_from_db()
    assert (profile.last_reviewed_at, profile.last_reviewed_by) == (None, None)
    assert profile.history.count() == 1


# --- Records and timeline --------------------------------------------------------------------

def test_r_lend_4_profile_lists_only_visible_records(client, staff, profile, filed_record):
    internal = filed_record(title="代理商资质审核材料", security_level=SecurityLevel.INTERNAL)
    secret = filed_record(title="机密鉴定报告", security_level=SecurityLevel.CONFIDENTIAL)
    profile.records.add(internal, secret)
    client.force_login(staff)
    page = client.get(reverse("client_detail", args=[profile.pk])).content.decode()
    assert "代理商资质审核材料" in page and "机密鉴定报告" not in page


def test_r_client_timeline_add_event(client, staff, profile, filed_record):
    record = filed_record(title="订单与发票汇总", security_level=SecurityLevel.INTERNAL)
    profile.records.add(record)
    client.force_login(staff)
    url = reverse("client_event_add", args=[profile.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": EventKind.VISIT, "date": "2026-03-02", "summary": "上门拜访，洽谈季度订单",
                                 "record": record.pk})
    assert response.status_code == 302
    event = ClientEvent.objects.get()
    assert (event.client, event.kind, event.record, event.recorded_by) == (profile, "visit", record, staff)
    assert event.history.get().history_user == staff
    page = client.get(reverse("client_detail", args=[profile.pk])).content.decode()
    assert "上门拜访，洽谈季度订单" in page and "订单与发票汇总" in page


def test_r_lend_4_timeline_refuses_a_record_the_recorder_cannot_see(client, staff, profile, filed_record):
    secret = filed_record(title="机密鉴定报告", security_level=SecurityLevel.CONFIDENTIAL)
    profile.records.add(secret)
    client.force_login(staff)
    response = client.post(reverse("client_event_add", args=[profile.pk]),
                           {"kind": "complaint", "date": "2026-03-02", "summary": "投诉", "record": secret.pk})
    assert response.status_code == 200 and response.context["form"].errors["record"]
    assert not ClientEvent.objects.exists()


def test_r_lend_4_timeline_hides_the_link_to_a_record_the_viewer_cannot_see(client, staff, archivist, profile,
                                                                            filed_record):
    secret = filed_record(title="机密鉴定报告", security_level=SecurityLevel.CONFIDENTIAL)
    profile.records.add(secret)
    services.client_event_add(client=profile, by=archivist, kind="contract", date=datetime.date(2026, 1, 5),
                              summary="签订鉴定合同", record=secret)
    client.force_login(staff)
    page = client.get(reverse("client_detail", args=[profile.pk])).content.decode()
    assert "签订鉴定合同" in page and "机密鉴定报告" not in page


def test_r_lend_4_timeline_service_refuses_a_record_the_recorder_cannot_see(staff, profile, filed_record):
    secret = filed_record(title="机密鉴定报告", security_level=SecurityLevel.CONFIDENTIAL)
    with translation.override("en"), pytest.raises(ClientRefused, match="Select a record you may see.") as info:
        services.client_event_add(client=profile, by=staff, kind="complaint", date=datetime.date(2026, 3, 2),
                                  summary="投诉", record=secret)
    assert info.value.field == "record"
    assert not ClientEvent.objects.exists()


def test_timeline_add_needs_permission(client, role_users, profile):
    url = reverse("client_event_add", args=[profile.pk])
    data = {"kind": EventKind.VISIT, "date": "2026-03-02", "summary": "上门拜访"}
    client.force_login(role_users[Role.OUTSIDE_STAFF])
    response = client.get(url)
    assert response.status_code == 403 and 'name="summary"' not in response.content.decode()
    assert client.post(url, data).status_code == 403
    client.force_login(role_users[Role.STAFF])
    assert client.put(url).status_code == 405
    assert not ClientEvent.objects.exists()


# --- List and search ------------------------------------------------------------------------

def test_client_list_searches_names_and_contact_names_not_phones(client, staff, profile):
    Client.objects.create(name="滨江置业有限公司", client_type="appraised")
    client.force_login(staff)
    assert [c.name for c in client.get(reverse("client_list"), {"q": "华东"}).context["clients"]] == [profile.name]
    assert [c.name for c in client.get(reverse("client_list"), {"q": "张三"}).context["clients"]] == [profile.name]
    assert list(client.get(reverse("client_list"), {"q": "13812345678"}).context["clients"]) == []


def test_nav_shows_client_files_to_those_who_may_view(client, staff, outside_staff):
    client.force_login(staff)
    assert reverse("client_list") in client.get(reverse("home")).content.decode()
    client.force_login(outside_staff)
    assert reverse("client_list") not in client.get(reverse("home")).content.decode()


def test_production_requires_the_field_key():
    import subprocess
    import sys

    env = {"ARCHIVE_ENV": "production", "ARCHIVE_SECRET_KEY": "x" * 60, "ARCHIVE_ALLOWED_HOSTS": "a.example",
           "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='archive_site.settings';"
         "from django.conf import settings; settings.ARCHIVE_FIELD_KEY"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
    )
    assert result.returncode != 0 and "ARCHIVE_FIELD_KEY" in result.stderr


# --- Search index -----------------------------------------------------------------------------

def test_r_client_contact_names_are_searchable_but_personal_data_is_not_indexed(staff, profile, filed_record):
    from records.models import SearchEntry
    from records.search import Filters, search_records

    def found(text):
        hits = search_records(staff, text, Filters())
        return {record.pk for record in hits[:1000]}

    record = filed_record(title="代理商资质审核材料", security_level=SecurityLevel.INTERNAL)
    profile.records.add(record)
    assert record.pk in found("张三")
    ClientContact.objects.create(client=profile, name="欧阳娜娜", phone="13998765432", email="oyn@example.com")
    assert record.pk in found("欧阳娜娜")
    entry_text = " ".join(" ".join(str(value) for value in row) for row in SearchEntry.objects.values_list())
    assert "阳娜" in entry_text  # the index holds bigrams
    for secret in (PHONE, EMAIL, ID_NUMBER, "13998765432", "oyn@example.com"):
        assert secret not in entry_text and secret[:5] not in entry_text
        assert record.pk not in found(secret)
