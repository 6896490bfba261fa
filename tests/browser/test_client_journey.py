"""Client files (客户资料档案, R-SCOPE 2, R-CLIENT) in a real browser.

1. The archivist opens a client file through "New client" (the number is
   given automatically), adds a contact, sees the personal data masked,
   shows it in clear (logged in ClientDataAccess), marks the contact as
   former through the (logged) edit form, adds a timeline entry linked to
   one of the client's records and marks the file reviewed.
2. The staff member responsible for a client finds it by a contact's name,
   sees the contact masked and cannot unmask it, adds a contact (an invalid
   phone number first: the form comes back with the error, nothing saved),
   sees their own entry masked, and clears the client from the "due for
   review" list by marking it reviewed.
3. The archivist imports the client directory (.xlsx with the Chinese
   headers the export writes) in the back office: preview with the rows'
   values, confirm, then the clients and their contacts are in the portal;
   broken files are refused naming row and column and write nothing; the
   export downloads the contacts in clear for the archivist (logged).

Labels and messages are the zh_Hans catalogue's, written here in Chinese;
the import files' headers are taken from ClientResource under zh-hans and
checked against the Chinese export headers.
With ARCHIVE_SCREENSHOT_DIR set, the key pages are saved as client-*.png and
the export as client-download.xlsx."""
import datetime
import os
import re
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from clients import services
from clients.models import (
    Client,
    ClientContact,
    ClientDataAccess,
    ClientEvent,
    ClientType,
    DataAccessAction,
    Gender,
)
from clients.resources import ClientResource
from records.models import SecurityLevel
from tests.browser.conftest import nav_click
from tests.browser.test_journeys import PASSWORD, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE, EMAIL, ID_NUMBER = "13812345678", "zhang@example.com", "11010519491231002X"
PHONE_MASKED, EMAIL_MASKED, ID_MASKED = "138****5678", "z***@example.com", "1101**********002X"
CONTACT_ROWS = ".contact-table tbody tr"
UNMASKED_NOTICE = "个人信息已以未脱敏方式显示；本次查看已记录。"


def contact_row(page, name):
    return page.locator(CONTACT_ROWS).filter(has=page.locator("td").first.filter(has_text=name))


def local_minute(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def test_r_client_archivist_opens_a_client_file_unmasks_a_contact_and_reviews_it(
    page, archivist, filed_record, screenshot
):
    archivist.full_name = "王芳"
    archivist.save()
    Client.objects.create(name="已有代理商", client_type=ClientType.AGENT)  # takes KH-00001
    name = "杭州明远广告有限公司"

    log_in(page, "archivist", PASSWORD)
    nav_click(page, "/clients/")
    expect(page.locator("h1")).to_have_text("客户资料档案")
    page.get_by_role("link", name="新建客户").click()
    expect(page).to_have_url(re.compile(r"/clients/new/$"))
    expect(page.locator("#id_code")).to_have_value("")
    page.fill("#id_name", name)
    page.select_option("#id_client_type", label="代理商")
    page.select_option("#id_responsible", str(archivist.pk))
    page.fill("#id_preferences", "偏好电话联系")
    screenshot(page, "client-01-new")
    page.get_by_role("button", name="保存").click()

    # The number is given automatically and shown.
    expect(page).to_have_url(re.compile(r"/clients/\d+/$"))
    client = Client.objects.get(name=name)
    assert page.url.endswith(f"/clients/{client.pk}/")
    assert client.code == "KH-00002"
    assert client.history.get().history_user == archivist
    expect(page.locator(".message--success")).to_have_text(f"客户《{name}》已新建，编号 KH-00002。")
    expect(page.locator("h1")).to_have_text(name)
    expect(page.locator("dl.meta dd.mono").first).to_have_text("KH-00002")
    expect(page.locator("dl.meta")).to_contain_text("偏好电话联系")
    expect(page.get_by_text("未登记联系人。")).to_be_visible()
    # One of the records filed about the client, linked in the back office.
    record = filed_record(title="杭州明远代理商协议", security_level=SecurityLevel.INTERNAL)
    client.records.add(record)
    page.reload()
    expect(page.locator(".client-records")).to_contain_text("杭州明远代理商协议")
    screenshot(page, "client-02-profile")

    # A contact with phone, e-mail and ID number.
    page.get_by_role("link", name="添加联系人").click()
    expect(page).to_have_url(re.compile(rf"/clients/{client.pk}/contacts/add/$"))
    expect(page.locator("h1")).to_have_text("添加联系人")
    page.fill("#id_name", "张三")
    page.fill("#id_position", "市场总监")
    page.fill("#id_phone", PHONE)
    page.fill("#id_email", EMAIL)
    page.fill("#id_id_number", ID_NUMBER.lower())  # the x of the check code is taken as X
    page.get_by_role("button", name="保存").click()
    expect(page).to_have_url(re.compile(rf"/clients/{client.pk}/$"))
    expect(page.locator(".message--success")).to_have_text("联系人“张三”已添加。")
    contact = ClientContact.objects.get(client=client)
    assert (contact.phone, contact.email, contact.id_number) == (PHONE, EMAIL, ID_NUMBER)

    # Masked on the profile.
    row = contact_row(page, "张三")
    expect(row).to_contain_text("市场总监")
    expect(row.locator("td.mono")).to_have_text([PHONE_MASKED, EMAIL_MASKED, ID_MASKED])
    expect(page.locator(".contact-table")).not_to_contain_text(PHONE)
    expect(page.get_by_text(UNMASKED_NOTICE)).to_have_count(0)
    assert not ClientDataAccess.objects.exists()
    screenshot(page, "client-03-masked")

    # "Show personal data": in clear, with the notice, and logged (R-CLIENT).
    page.get_by_role("button", name="显示个人信息").click()
    expect(page.get_by_text(UNMASKED_NOTICE)).to_be_visible()
    expect(contact_row(page, "张三").locator("td.mono")).to_have_text([PHONE, EMAIL, ID_NUMBER])
    expect(page.get_by_role("button", name="显示个人信息")).to_have_count(0)
    access = ClientDataAccess.objects.get()
    assert (access.user, access.client, access.action) == (archivist, client, DataAccessAction.UNMASK)
    screenshot(page, "client-04-unmasked")

    # Only that response was unmasked: the profile is masked again.
    page.goto(f"/clients/{client.pk}/")
    expect(contact_row(page, "张三").locator("td.mono")).to_have_text([PHONE_MASKED, EMAIL_MASKED, ID_MASKED])

    # Editing shows the data in clear, so opening the form is logged too.
    contact_row(page, "张三").get_by_role("link", name="编辑").click()
    expect(page).to_have_url(re.compile(rf"/clients/{client.pk}/contacts/{contact.pk}/edit/$"))
    expect(page.locator("h1")).to_have_text("编辑联系人 · 张三")
    expect(page.get_by_text(UNMASKED_NOTICE)).to_be_visible()
    expect(page.locator("#id_phone")).to_have_value(PHONE)
    expect(page.locator("#id_id_number")).to_have_value(ID_NUMBER)
    assert ClientDataAccess.objects.filter(user=archivist, client=client, action=DataAccessAction.UNMASK).count() == 2
    # "current contact" unticked: the person has left the client.
    current = page.get_by_label("现任联系人")
    expect(current).to_be_checked()
    current.uncheck()
    screenshot(page, "client-05-edit-contact")
    page.get_by_role("button", name="保存").click()
    expect(page).to_have_url(re.compile(rf"/clients/{client.pk}/$"))
    expect(page.locator(".message--success")).to_have_text("联系人“张三”已保存。")
    contact.refresh_from_db()
    assert contact.is_active is False and contact.phone == PHONE
    former = contact_row(page, "张三")
    expect(former).to_have_class(re.compile(r"\bcontact--former\b"))
    expect(former.locator(".badge")).to_have_text("已离任")
    expect(former.locator("td.mono")).to_have_text([PHONE_MASKED, EMAIL_MASKED, ID_MASKED])

    # The timeline: a visit, linked to the client's record.
    page.get_by_role("link", name="添加到往来记录").click()
    expect(page.locator("h1")).to_have_text("添加到往来记录")
    page.select_option("#id_kind", label="拜访")
    page.fill("#id_date", "2026-11-20")
    page.fill("#id_summary", "到访杭州明远，商谈续签代理商协议。")
    page.select_option("#id_record", str(record.pk))
    page.get_by_role("button", name="添加", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/clients/{client.pk}/$"))
    expect(page.locator(".message--success")).to_have_text("已添加到往来记录。")
    event = ClientEvent.objects.get(client=client)
    assert (event.kind, event.date, event.record, event.recorded_by) == (
        "visit", datetime.date(2026, 11, 20), record, archivist
    )
    item = page.locator(".timeline__item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("2026-11-20")
    expect(item).to_contain_text("拜访")
    expect(item).to_contain_text("到访杭州明远，商谈续签代理商协议。")
    expect(item).to_contain_text("(王芳)")
    expect(item.get_by_role("link")).to_have_attribute("href", f"/records/{record.pk}/")

    # The weekly review: one click, recorded with who and when.
    review = page.locator('section[aria-labelledby="review-heading"]')
    expect(review.locator(".last-review")).to_contain_text("尚未整理。")
    expect(review.locator(".badge")).to_have_text("待整理")
    review.get_by_role("button", name="标记已整理").click()
    expect(page).to_have_url(re.compile(rf"/clients/{client.pk}/$"))
    expect(page.locator(".message--success")).to_have_text(f"《{name}》已标记为已整理。")
    client.refresh_from_db()
    assert client.last_reviewed_by == archivist
    assert timezone.now() - client.last_reviewed_at < datetime.timedelta(minutes=1)
    expect(review.locator(".last-review")).to_contain_text(
        f"最近整理：{local_minute(client.last_reviewed_at)}，整理人：王芳。"
    )
    expect(review.locator(".badge")).to_have_count(0)
    screenshot(page, "client-06-reviewed")


def test_r_client_responsible_staff_member_sees_contacts_masked_adds_one_and_reviews(
    page, staff, archivist, filed_record, screenshot
):
    staff.full_name = "张小梅"
    staff.save()
    mine = services.client_create(
        by=archivist, name="华东建材有限公司", client_type=ClientType.AGENT, responsible=staff
    )
    services.contact_add(client=mine, by=archivist, name="李建国", position="采购经理",
                         phone="13912345678", email="li@example.com", id_number=ID_NUMBER)
    # Another staff member's client, never reviewed; and one reviewed this week.
    other = services.client_create(by=archivist, name="南方广告公司", client_type=ClientType.PARTNER)
    services.contact_add(client=other, by=archivist, name="赵六", phone="13700001234")
    recent = services.client_create(by=archivist, name="西湖传媒", client_type=ClientType.PARTNER)
    services.client_mark_reviewed(client=recent, by=archivist)
    # Of the client's records, the staff member sees the internal one only (R-LEND-4).
    mine.records.add(
        filed_record(title="华东建材代理商协议", security_level=SecurityLevel.INTERNAL),
        filed_record(title="华东建材机密补充协议", security_level=SecurityLevel.CONFIDENTIAL),
    )

    log_in(page, "staff", PASSWORD)
    nav_click(page, "/clients/")
    expect(page.locator("h1")).to_have_text("客户资料档案")
    # No "New client" for staff.
    expect(page.get_by_role("link", name="新建客户")).to_have_count(0)
    expect(page.locator('a[href="/clients/new/"]')).to_have_count(0)
    client_rows = page.locator(".client-table tbody tr")
    expect(client_rows).to_have_count(3)

    # Found by a contact's name.
    page.get_by_label("客户或联系人姓名").fill("李建国")
    page.locator("main").get_by_role("button", name="检索").click()
    expect(page).to_have_url(re.compile(r"\?q=%E6%9D%8E%E5%BB%BA%E5%9B%BD$"))
    expect(client_rows).to_have_count(1)
    expect(client_rows).to_contain_text(mine.code)
    expect(client_rows).to_contain_text("张小梅")
    expect(client_rows).to_contain_text("从未整理")
    screenshot(page, "client-07-search")
    client_rows.get_by_role("link", name="华东建材有限公司").click()

    # Masked, and no way to unmask or edit.
    expect(page).to_have_url(re.compile(rf"/clients/{mine.pk}/$"))
    row = contact_row(page, "李建国")
    expect(row.locator("td.mono")).to_have_text(["139****5678", "l***@example.com", ID_MASKED])
    expect(page.locator(".contact-table")).not_to_contain_text("13912345678")
    expect(page.get_by_role("button", name="显示个人信息")).to_have_count(0)
    expect(row.get_by_role("link", name="编辑")).to_have_count(0)
    expect(page.locator(".client-records")).to_contain_text("华东建材代理商协议")
    expect(page.locator("main")).to_contain_text("华东建材有限公司")
    expect(page.locator("main")).not_to_contain_text("华东建材机密补充协议")
    screenshot(page, "client-08-staff-profile")

    # Adding a contact (allowed: responsible). An invalid phone number first.
    page.get_by_role("link", name="添加联系人").click()
    page.fill("#id_name", "王磊")
    page.fill("#id_position", "区域经理")
    page.fill("#id_phone", "12345")
    page.get_by_role("button", name="保存").click()
    expect(page).to_have_url(re.compile(rf"/clients/{mine.pk}/contacts/add/$"))
    phone_field = page.locator(".field--error")
    expect(phone_field).to_have_count(1)
    expect(phone_field.locator("#id_phone")).to_have_value("12345")
    expect(phone_field.locator(".errorlist")).to_have_text(
        "请填写 7 至 20 位数字的电话号码；只可在开头加 +，中间用连字符或空格。"
    )
    expect(page.locator("#id_name")).to_have_value("王磊")
    assert not ClientContact.objects.filter(name="王磊").exists()
    screenshot(page, "client-09-invalid-phone")

    page.fill("#id_phone", "021-6543 2100")
    page.get_by_role("button", name="保存").click()
    expect(page).to_have_url(re.compile(rf"/clients/{mine.pk}/$"))
    added = ClientContact.objects.get(name="王磊")
    assert added.client == mine and added.phone == "021-6543 2100"
    assert added.history.get().history_user == staff
    # Without clients.view_client_data the staff member sees their own entry masked.
    expect(contact_row(page, "王磊").locator("td.mono").first).to_have_text("021******2100")
    expect(page.locator(".contact-table")).not_to_contain_text("6543")
    assert not ClientDataAccess.objects.exists()

    # The "due for review" list, until the file is marked reviewed.
    nav_click(page, "/clients/")
    page.click('a[href="/clients/review-due/"]')
    expect(page.locator("h1")).to_have_text("待整理")
    due_rows = page.locator(".review-due-table tbody tr")
    expect(due_rows.get_by_role("link")).to_have_text(["华东建材有限公司", "南方广告公司"])
    screenshot(page, "client-10-due")
    due_rows.filter(has_text="华东建材有限公司").get_by_role("button", name="标记已整理").click()
    expect(page).to_have_url(re.compile(r"/clients/review-due/$"))
    expect(page.locator(".message--success")).to_have_text("《华东建材有限公司》已标记为已整理。")
    expect(due_rows.get_by_role("link")).to_have_text(["南方广告公司"])
    mine.refresh_from_db()
    assert mine.last_reviewed_by == staff
    other.refresh_from_db()
    assert other.last_reviewed_at is None

    # Back on the profile: who reviewed and when.
    page.goto(f"/clients/{mine.pk}/")
    expect(page.locator(".last-review")).to_contain_text(
        f"最近整理：{local_minute(mine.last_reviewed_at)}，整理人：张小梅。"
    )


def test_r_client_a_staff_member_is_offered_mark_reviewed_only_for_their_own_clients(page, staff, archivist):
    """R-CLIENT: the weekly review is the archivist's or the responsible
    staff member's (clients.policies.may_mark_reviewed)."""
    services.client_create(
        by=archivist, name="华东建材有限公司", client_type=ClientType.AGENT, responsible=staff
    )
    other = services.client_create(by=archivist, name="南方广告公司", client_type=ClientType.PARTNER)

    log_in(page, "staff", PASSWORD)
    page.goto(f"/clients/{other.pk}/")
    expect(page.get_by_role("button", name="标记已整理")).to_have_count(0)
    page.goto("/clients/review-due/")
    due_rows = page.locator(".review-due-table tbody tr")
    expect(due_rows).to_have_count(2)
    mark = page.get_by_role("button", name="标记已整理")
    expect(due_rows.filter(has_text="华东建材有限公司").locator(mark)).to_have_count(1)
    # Pressing it would only give 403 (the view gates on clients.policies.may_mark_reviewed).
    expect(due_rows.filter(has_text="南方广告公司").locator(mark)).to_have_count(0)


# --- The client directory in the back office -----------------------------------------------

IMPORT_FIELDS = (
    "code", "name", "client_type", "gender", "age", "responsible",
    "contact_name", "contact_position", "contact_phone", "contact_email", "contact_id_number",
)


def import_headers(extra=()):
    """The directory's headers as the Chinese export writes them."""
    with translation.override("zh-hans"):
        return [str(ClientResource.fields[name].column_name) for name in IMPORT_FIELDS] + list(extra)


def label(choice):
    with translation.override("zh-hans"):
        return str(choice.label)


def directory_rows(id_number=ID_NUMBER):
    agent, appraised = label(ClientType.AGENT), label(ClientType.APPRAISED)
    return [
        ["", "华东建材有限公司", agent, "", "", "", "张三", "采购经理", PHONE, EMAIL, ""],
        ["", "华东建材有限公司", "", "", "", "", "李四", "财务", "021-6543 2100", "", ""],
        ["", "王五", appraised, label(Gender.MALE), 52, "", "王五", "本人", "13900001111", "", id_number],
    ]


def directory_xlsx(path, rows, headers=None):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "客户名录"
    sheet.append(headers or import_headers())
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def upload(page, path):
    page.set_input_files("#id_import_file", str(path))
    page.select_option("#id_format", label="xlsx")
    page.get_by_role("button", name="提交").click()


def export_directory(page, tmp_path, screenshot=None):
    """From the client changelist: Export, as xlsx; the sheet's rows."""
    page.locator("a.export_link").click()
    expect(page).to_have_url(re.compile(r"/admin/clients/client/export/"))
    page.select_option("#id_format", label="xlsx")
    if screenshot:
        screenshot(page, "client-13-export")
    with page.expect_download() as info:
        page.get_by_role("button", name="提交").click()
    download = info.value
    assert download.failure() is None
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    if screenshot and os.environ.get("ARCHIVE_SCREENSHOT_DIR"):
        download.save_as(Path(os.environ["ARCHIVE_SCREENSHOT_DIR"]) / "client-download.xlsx")
    assert path.suffix == ".xlsx"
    return [list(row) for row in openpyxl.load_workbook(path).active.iter_rows(values_only=True)]


def column_indexes(headers, *names):
    with translation.override("zh-hans"):
        return [headers.index(str(ClientResource.fields[name].column_name)) for name in names]


def counts():
    return Client.objects.count(), ClientContact.objects.count()


def test_the_import_headers_are_the_chinese_export_headers():
    """The files below are written with the headers the Chinese export writes."""
    assert import_headers() == [
        "客户编号", "客户名称", "客户类型", "性别", "年龄", "负责人",
        "联系人姓名", "职务", "电话", "电子邮箱", "身份证号",
    ]
    with translation.override("zh-hans"):
        exported = [str(header) for header in ClientResource().get_export_headers()]
    assert set(import_headers()) <= set(exported)


def test_r_client_archivist_imports_the_client_directory_and_exports_it(page, archivist, screenshot, tmp_path):
    services.client_create(by=archivist, name="已有代理商", client_type=ClientType.AGENT)
    good = directory_xlsx(tmp_path / "客户名录.xlsx", directory_rows())

    log_in(page, "archivist", PASSWORD)
    nav_click(page, "/admin/")
    page.locator('#content-main a[href="/admin/clients/client/"]').first.click()
    page.locator("a.import_link").click()
    expect(page).to_have_url(re.compile(r"/admin/clients/client/import/$"))
    upload(page, good)

    # The preview lists the rows' values and writes nothing: two new clients,
    # and a row adding 李四 to the client of the row before.
    preview = page.locator("table.import-preview")
    expect(preview).to_be_visible()
    expect(preview.locator("thead")).to_contain_text("联系人姓名")
    expect(preview.locator("tr.new")).to_have_count(2)
    expect(preview.locator("tr.update")).to_have_count(1)
    expect(preview.locator("tr.new").first.locator(".import-type")).to_have_text("新建")
    expect(preview.locator("tr.update")).to_contain_text("华东建材有限公司")
    expect(preview.locator("tr.update")).to_contain_text("李四")
    for value in ("华东建材有限公司", "王五", "张三", PHONE, ID_NUMBER):
        expect(preview).to_contain_text(value)
    assert counts() == (1, 0)
    screenshot(page, "client-11-import-preview")
    page.get_by_role("button", name="确认导入").click()

    expect(page).to_have_url(re.compile(r"/admin/clients/client/$"))
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert counts() == (3, 3)
    company = Client.objects.get(name="华东建材有限公司")
    person = Client.objects.get(name="王五")
    assert sorted([company.code, person.code]) == ["KH-00002", "KH-00003"]
    assert (person.client_type, person.gender, person.age) == (ClientType.APPRAISED, Gender.MALE, 52)
    assert person.contacts.get().id_number == ID_NUMBER
    expect(page.locator("#result_list")).to_contain_text("华东建材有限公司")
    expect(page.locator("#result_list")).to_contain_text("王五")

    # In the portal, with their contacts, masked until shown.
    page.get_by_role("link", name="查看站点").click()
    nav_click(page, "/clients/")
    client_rows = page.locator(".client-table tbody tr")
    expect(client_rows).to_have_count(3)
    names = client_rows.get_by_role("link").all_inner_texts()
    assert sorted(names) == sorted(["华东建材有限公司", "王五", "已有代理商"])
    client_rows.get_by_role("link", name="华东建材有限公司").click()
    expect(page.locator(CONTACT_ROWS)).to_have_count(2)
    expect(contact_row(page, "张三").locator("td.mono")).to_have_text([PHONE_MASKED, EMAIL_MASKED, ""])
    expect(contact_row(page, "李四").locator("td.mono").first).to_have_text("021******2100")
    page.get_by_role("button", name="显示个人信息").click()
    expect(contact_row(page, "张三").locator("td.mono")).to_have_text([PHONE, EMAIL, ""])
    expect(contact_row(page, "李四").locator("td.mono").first).to_have_text("021-6543 2100")
    screenshot(page, "client-12-imported-unmasked")

    # The export: one row per contact, in clear for the archivist, logged.
    page.goto("/admin/clients/client/")
    rows = export_directory(page, tmp_path, screenshot)
    name_column, contact_column, phone_column, id_column = column_indexes(
        rows[0], "name", "contact_name", "contact_phone", "contact_id_number"
    )
    by_contact = {row[contact_column]: row for row in rows[1:]}
    assert set(by_contact) == {"张三", "李四", "王五", None}  # 已有代理商 has no contact
    assert by_contact["张三"][name_column] == "华东建材有限公司"
    assert by_contact["张三"][phone_column] == PHONE
    assert by_contact["王五"][id_column] == ID_NUMBER
    export = ClientDataAccess.objects.get(action=DataAccessAction.EXPORT)
    assert export.user == archivist and "个人信息未脱敏" in export.detail


def test_r_client_a_broken_directory_is_refused_with_row_and_column_and_nothing_is_added(
    page, archivist, screenshot, tmp_path
):
    services.client_create(by=archivist, name="已有代理商", client_type=ClientType.AGENT)
    bad_id = "110101199001011234"  # its check code would be 5
    bad_check_digit = directory_xlsx(tmp_path / "身份证号有误.xlsx", directory_rows(id_number=bad_id))
    unknown_column = directory_xlsx(
        tmp_path / "未知列.xlsx", [[*row, "zhangsan_wx"] for row in directory_rows()],
        headers=import_headers(extra=["微信号"]),
    )
    before = counts()

    log_in(page, "archivist", PASSWORD)
    page.goto("/admin/clients/client/import/")

    # An ID number failing its check code: row 4, the ID-number column.
    upload(page, bad_check_digit)
    expect(page.locator("h2", has_text="部分行未通过校验")).to_be_visible()
    expect(page.locator("ul.import-refusals li")).to_have_text(
        ["第 4 行，“身份证号”列：该身份证号码校验位不符，请检查是否输错。"]
    )
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
    expect(page.locator('input[name="confirm"], button[name="confirm"]')).to_have_count(0)
    expect(page.locator("#content")).not_to_contain_text("Traceback")
    screenshot(page, "client-14-import-bad-id")
    assert counts() == before

    # An unknown column: the whole file is refused, naming the column.
    page.goto("/admin/clients/client/import/")
    upload(page, unknown_column)
    expect(page.locator("h2", has_text="文件无法导入")).to_be_visible()
    expect(page.locator("ul.import-refusals li")).to_have_text(["未知列“微信号”。"])
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
    expect(page.locator("table.import-preview")).to_have_count(0)
    expect(page.locator("#content")).not_to_contain_text("Traceback")
    screenshot(page, "client-15-import-unknown-column")
    assert counts() == before

    # Nothing reached the portal either.
    page.goto("/clients/")
    expect(page.locator(".client-table tbody tr").get_by_role("link")).to_have_text(["已有代理商"])


def test_r_client_the_export_gives_review_times_in_local_time(page, archivist, tmp_path):
    client = services.client_create(by=archivist, name="华东建材有限公司", client_type=ClientType.AGENT)
    reviewed_at = timezone.make_aware(datetime.datetime(2026, 11, 20, 9, 30))  # Asia/Shanghai
    services.client_mark_reviewed(client=client, by=archivist, now=reviewed_at)

    log_in(page, "archivist", PASSWORD)
    page.goto("/admin/clients/client/")
    rows = export_directory(page, tmp_path)
    (reviewed_column,) = column_indexes(rows[0], "last_reviewed_at")
    value = rows[1][reviewed_column]
    shown = value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime.datetime) else str(value)
    assert shown.startswith("2026-11-20 09:30"), shown
