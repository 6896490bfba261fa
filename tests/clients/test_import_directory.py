"""All-or-nothing import and export of the client directory (issue 5,
R-SCOPE 2, R-CLIENT), with real .xlsx and .csv files, through the same
records.imports.import_file the back office uses."""
import datetime
import io

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation
from import_export.formats.base_formats import XLSX

from clients.models import Client, ClientContact, ClientDataAccess, DataAccessAction
from clients.resources import ClientResource
from records.history import ChangeReason
from records.imports import import_file
from tests.admin_support import admin_url, export_xlsx, staff_user_with_perms
from tests.records.test_admin_import_export import admin_import
from tests.spreadsheets import xlsx_bytes

HEADERS = ["client number", "client name", "client type", "gender", "age", "responsible staff member",
           "contact name", "position", "phone", "e-mail", "ID number"]
PHONE, ID_NUMBER = "13812345678", "11010519491231002X"



def run(content, *, user, name="directory.xlsx", language="en", dry_run=False):
    with translation.override(language):
        return import_file(ClientResource(user=user), io.BytesIO(content), name, user=user, dry_run=dry_run)


def counts():
    return (Client.objects.count(), ClientContact.objects.count(),
            Client.history.count(), ClientContact.history.count())


def good_rows(staff_name=""):
    return [
        HEADERS,
        ["", "华东建材有限公司", "Agent", "", "", staff_name, "张三", "采购经理", PHONE, "zhang@example.com", ""],
        ["", "华东建材有限公司", "", "", "", "", "李四", "财务", "021-6543 2100", "", ""],
        ["", "王五", "被鉴定对象", "男", 52, "", "王五", "本人", "13900001111", "", ID_NUMBER],
        ["KH-00100", "西湖传媒", "partner", "", "", "", "", "", "", "", ""],
    ]


def assert_refused(content, expected, *, user, name="directory.xlsx"):
    before = counts()
    _result, messages = run(content, user=user, name=name)
    assert any(expected in message for message in messages), messages
    assert counts() == before


def test_import_groups_rows_into_clients_with_contacts_history_and_numbers(archivist, staff):
    _result, messages = run(xlsx_bytes(good_rows(staff.display_name)), user=archivist)
    assert messages == []
    assert counts() == (3, 3, 3, 3)
    company = Client.objects.get(name="华东建材有限公司")
    assert company.client_type == "agent" and company.responsible == staff and company.is_active
    assert [contact.name for contact in company.contacts.order_by("name")] == ["张三", "李四"]
    person = Client.objects.get(name="王五")
    assert (person.client_type, person.gender, person.age) == ("appraised", "male", 52)
    assert person.contacts.get().id_number == ID_NUMBER
    # New clients take the next numbers after those in the file and the database.
    assert Client.objects.get(name="西湖传媒").code == "KH-00100"
    assert sorted([company.code, person.code]) == ["KH-00101", "KH-00102"]
    history = ClientContact.history.get(name="张三")
    assert history.history_user == archivist and history.history_change_reason == ChangeReason.IMPORTED
    assert company.history.get().history_user == archivist


def test_r_client_imported_contacts_are_encrypted_in_the_raw_tables(archivist):
    run(xlsx_bytes(good_rows()), user=archivist)
    for table in (ClientContact._meta.db_table, ClientContact.history.model._meta.db_table):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT phone, id_number FROM {table}")  # noqa: S608 (our own table names)
            raw = " ".join(" ".join(row) for row in cursor.fetchall())
        assert PHONE not in raw and ID_NUMBER not in raw


def test_chinese_headers_and_csv_are_accepted(archivist):
    with translation.override("zh-hans"):
        headers = [str(ClientResource().fields[name].column_name)
                   for name in ("name", "client_type", "contact_name", "contact_phone")]
    content = "\n".join([",".join(headers), "南方广告公司,代理商,赵六,13700001234"]).encode("utf-8-sig")
    _result, messages = run(content, user=archivist, name="directory.csv")
    assert messages == []
    assert Client.objects.get(name="南方广告公司").contacts.get().phone == "13700001234"


def test_preview_writes_nothing(archivist):
    before = counts()
    result, messages = run(xlsx_bytes(good_rows()), user=archivist, dry_run=True)
    assert messages == [] and result.totals["new"] == 3
    assert counts() == before


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (["", "某公司", "Agent", "", "", "", "赵六", "", "12345", "", ""],
         "Row 3, column “phone”: Enter a phone number of 7 to 20 digits"),
        (["", "某公司", "Agent", "", "", "", "赵六", "", "", "not-an-email", ""],
         "Row 3, column “e-mail”: Enter a valid e-mail address"),
        (["", "某公司", "Agent", "", "", "", "赵六", "", "", "", "110101199001011234"],
         "Row 3, column “ID number”: This ID number fails its check digit"),
        (["", "某公司", "Agent", "", "", "", "赵六", "", "138****5678", "", ""],
         "Row 3, column “phone”: the value is masked"),
        (["", "某公司", "Agent", "", "", "", "", "经理", PHONE, "", ""],
         "Row 3, column “contact name”: a contact needs a name"),
        (["", "某公司", "robot", "", "", "", "", "", "", "", ""],
         "Row 3, column “client type”: unknown value robot"),
        (["", "某公司", "Agent", "", "forty", "", "", "", "", "", ""],
         "Row 3, column “age”: not a whole number: forty"),
        (["", "", "Agent", "", "", "", "", "", "", "", ""],
         "Row 3, column “client name”: a client name is required"),
        (["", "某公司", "Agent", "", "", "nobody", "", "", "", "", ""],
         "Row 3, column “responsible staff member”: unknown person nobody"),
        (["", "华东建材有限公司", "Partner", "", "", "", "", "", "", "", ""],
         "Row 3, column “client type”: differs from row 2 of the same client"),
        (["", "华东建材有限公司", "", "", "", "", "张三", "", "", "", ""],
         "Row 3, column “contact name”: contact 张三 of this client is also in row 2"),
    ],
)
def test_a_bad_row_refuses_the_whole_file(archivist, row, expected):
    rows = [HEADERS, ["", "华东建材有限公司", "Agent", "", "", "", "张三", "", PHONE, "", ""], row]
    assert_refused(xlsx_bytes(rows), expected, user=archivist)


def test_missing_and_unknown_columns_are_refused(archivist):
    assert_refused(xlsx_bytes([["client name", "fax"], ["某公司", "123"]]), "Unknown column “fax”.", user=archivist)
    assert_refused(xlsx_bytes([["client name"], ["某公司"]]), "Missing column “client type”.", user=archivist)


def test_file_checks_apply_formula_and_non_excel(archivist):
    assert_refused(xlsx_bytes(good_rows(), formula_at="D3"), "Row 3, column D: the cell holds a formula",
                   user=archivist)
    assert_refused(b"%PDF-1.4 not a workbook", "only .xlsx and .csv can be imported", user=archivist)


def test_ambiguous_name_needs_the_client_number(archivist):
    Client.objects.create(name="张伟", client_type="appraised")
    Client.objects.create(name="张伟", client_type="appraised")
    rows = [HEADERS, ["", "张伟", "appraised", "", "", "", "", "", "", "", ""]]
    assert_refused(xlsx_bytes(rows), "several clients are named 张伟; give the client number", user=archivist)


def test_existing_client_gets_new_contacts_but_is_never_changed(archivist):
    existing = Client.objects.create(name="华东建材有限公司", client_type="agent")
    ClientContact.objects.create(client=existing, name="张三", phone=PHONE)
    rows = [HEADERS,
            ["", "华东建材有限公司", "Agent", "", "", "", "张三", "", PHONE, "", ""],
            ["", "华东建材有限公司", "Agent", "", "", "", "钱七", "销售", "13600000000", "", ""]]
    result, messages = run(xlsx_bytes(rows), user=archivist)
    assert messages == []
    assert (result.totals["skip"], result.totals["update"]) == (1, 1)
    assert sorted(existing.contacts.values_list("name", flat=True)) == ["张三", "钱七"]
    assert Client.objects.count() == 1

    changed = [HEADERS, [existing.code, "华东建材有限公司", "Partner", "", "", "", "", "", "", "", ""]]
    assert_refused(xlsx_bytes(changed), f"client {existing.code} is already in the directory with other data",
                   user=archivist)
    other_phone = [HEADERS, [existing.code, "华东建材有限公司", "Agent", "", "", "", "张三", "", "13999999999", "", ""]]
    assert_refused(xlsx_bytes(other_phone), "contact 张三 is already in the directory with other data",
                   user=archivist)


def export_bytes(user, language):
    with translation.override(language):
        return XLSX().export_data(ClientResource(user=user).export())


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_export_then_import_changes_nothing(archivist, staff, language):
    run(xlsx_bytes(good_rows(staff.display_name)), user=archivist)
    ClientContact.objects.filter(name="李四").update(is_active=False)
    before = counts()
    content = export_bytes(archivist, language)
    result, messages = run(content, user=archivist, language=language)
    assert messages == []
    assert counts() == before
    assert result.totals["skip"] == 4


def test_r_client_export_is_masked_without_the_permission_and_still_round_trips(archivist, staff):
    run(xlsx_bytes(good_rows(staff.display_name)), user=archivist)
    with translation.override("en"):
        masked = ClientResource(user=staff).export()
        clear = ClientResource(user=archivist).export()
    assert "138****5678" in masked["phone"] and PHONE not in masked["phone"]
    assert PHONE in clear["phone"] and ID_NUMBER in clear["ID number"]
    # One row per contact; a client without contacts has one row.
    assert len(masked) == 4
    before = counts()
    with translation.override("en"):
        content = XLSX().export_data(masked)
    _result, messages = run(content, user=archivist)
    assert messages == [] and counts() == before


def test_admin_import_previews_then_confirms(client, archivist):
    client.force_login(archivist)
    with translation.override("en"):
        rows = good_rows()
    client.cookies["django_language"] = "en"
    preview, done = admin_import(client, Client, rows)
    assert preview.context["result"].totals["new"] == 3
    # The preview shows what each row holds before anything is written.
    page = preview.content.decode()
    assert "华东建材有限公司" in page and "采购经理" in page and "New: 3" in page
    assert done.status_code == 302
    assert Client.objects.count() == 3


def test_admin_import_refuses_a_bad_file_and_writes_nothing(client, archivist):
    client.force_login(archivist)
    client.cookies["django_language"] = "en"
    rows = good_rows() + [["", "某公司", "Agent", "", "", "", "赵六", "", "12345", "", ""]]
    preview, done = admin_import(client, Client, rows)
    assert done is None
    assert "Row 6, column “phone”: Enter a phone number of 7 to 20 digits" in preview.content.decode()
    assert Client.objects.count() == 0


def test_admin_import_names_a_wrong_column_without_a_traceback(client, archivist):
    client.force_login(archivist)
    client.cookies["django_language"] = "en"
    preview, done = admin_import(client, Client, [["client name", "fax"], ["某公司", "123"]])
    page = preview.content.decode()
    assert done is None
    assert "Unknown column “fax”." in page and "Missing column “client type”." in page
    assert "Traceback" not in page and ".py" not in page


def test_admin_import_is_for_the_archivist_only(client, staff, department_head, archivist):
    url = admin_url(Client, "import")
    client.force_login(department_head)
    response = client.get(url)
    assert response.status_code == 403 and 'name="import_file"' not in response.content.decode()
    client.force_login(staff)  # not a back-office user at all
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    client.force_login(archivist)
    assert 'name="import_file"' in client.get(url).content.decode()
    assert not Client.objects.exists()


def test_r_client_admin_export_is_logged_and_masked_by_permission(client, archivist):
    profile = Client.objects.create(name="某代理商", client_type="agent")
    ClientContact.objects.create(client=profile, name="张三", phone=PHONE)
    client.force_login(archivist)
    rows = export_xlsx(client, Client)
    assert PHONE in [cell for row in rows for cell in row]
    log = ClientDataAccess.objects.get()
    assert log.action == DataAccessAction.EXPORT and log.user == archivist and log.client == profile
    assert "个人信息未脱敏" in log.detail  # the exporter works in Chinese

    reader = staff_user_with_perms("reader", "clients.view_client")
    client.force_login(reader)
    cells = [cell for row in export_xlsx(client, Client) for cell in row]
    assert "138****5678" in cells and PHONE not in cells
    assert ClientDataAccess.objects.filter(user=reader, action=DataAccessAction.EXPORT).exists()


def test_import_page_lists_only_the_columns_it_reads(client, archivist):
    client.force_login(archivist)
    client.cookies["django_language"] = "en"
    page = client.get(admin_url(Client, "import")).content.decode()
    assert "contact name" in page and "client number" in page
    assert "last reviewed at" not in page and "created at" not in page


def test_export_gives_review_times_in_local_time(archivist):
    profile = Client.objects.create(name="某代理商", client_type="agent")
    Client.objects.filter(pk=profile.pk).update(
        last_reviewed_at=datetime.datetime(2026, 11, 20, 1, 30, tzinfo=datetime.timezone.utc)
    )
    with translation.override("en"):
        dataset = ClientResource(user=archivist).export()
    assert dataset["last reviewed at"] == ["2026-11-20 09:30"]  # Asia/Shanghai
