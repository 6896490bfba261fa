"""Import and export of the file plan and locations through the back office,
with real .xlsx files built in the test."""

import pytest
from django.utils import translation

from records.models import Category, Location
from records.resources import CategoryResource, LocationResource
from tests.admin_support import admin_url, export_xlsx
from tests.factories import LocationFactory
from tests.spreadsheets import xlsx_upload




def admin_import(client, model, rows):
    """Upload, check the dry run, confirm; return (dry-run page, final page)."""
    url = admin_url(model, "import")
    page = client.get(url)
    assert page.status_code == 200
    xlsx_index = next(value for value, label in page.context["form"].fields["format"].choices if label == "xlsx")
    preview = client.post(url, {"import_file": xlsx_upload(rows), "format": xlsx_index, "resource": "0"})
    assert preview.status_code == 200
    confirm_form = preview.context.get("confirm_form")
    if confirm_form is None:
        return preview, None
    data = {name: confirm_form[name].value() for name in confirm_form.fields}
    done = client.post(admin_url(model, "process_import"), {k: v for k, v in data.items() if v is not None})
    return preview, done


def invalid_fields(preview):
    return [set(row.error_dict) for row in preview.context["result"].invalid_rows]


def test_category_export_has_translated_headers_and_every_class(client, department_head):
    client.force_login(department_head)
    rows = export_xlsx(client, Category)
    assert rows[0] == CategoryResource().get_export_headers()
    assert str(Category._meta.get_field("scope").verbose_name) in rows[0]
    codes = [row[0] for row in rows[1:]]
    assert codes[:2] == ["HT", "HTZZ"]
    assert len(codes) == Category.objects.count()


def test_category_import_creates_and_updates_with_history_user(client, department_head):
    client.force_login(department_head)
    headers = CategoryResource().get_export_headers()
    rows = [
        headers,
        ["HTZB", "招标文件", "HT", "contract", 10, 16, True],
        ["HTDL", "代理商协议（含补充协议）", "HT", "contract", 30, 12, True],
    ]
    _preview, done = admin_import(client, Category, rows)
    assert done is not None and done.status_code == 302
    new = Category.objects.get(code="HTZB")
    assert new.parent.code == "HT" and new.default_retention_years == 10
    assert new.history.get().history_user == department_head
    changed = Category.objects.get(code="HTDL")
    assert changed.name == "代理商协议（含补充协议）"
    assert changed.history.latest().history_user == department_head


def test_category_import_refuses_a_bad_code_and_saves_nothing(client, department_head):
    client.force_login(department_head)
    headers = CategoryResource().get_export_headers()
    rows = [headers, ["ok1", "小写代码", "HT", "contract", 10, 1, True]]
    preview, done = admin_import(client, Category, rows)
    assert done is None
    assert invalid_fields(preview) == [{"code"}]
    assert not Category.objects.filter(name="小写代码").exists()


def test_category_import_refuses_a_loop(client, department_head):
    client.force_login(department_head)
    headers = CategoryResource().get_export_headers()
    rows = [headers, ["HT", "合同", "HTDL", "contract", 30, 10, True]]
    preview, done = admin_import(client, Category, rows)
    assert done is None
    assert invalid_fields(preview) == [{"parent"}]
    assert Category.objects.get(code="HT").parent is None


@pytest.mark.parametrize("role_fixture, allowed", [("department_head", True), ("archivist", False)])
def test_category_import_needs_add_category(client, request, role_fixture, allowed):
    client.force_login(request.getfixturevalue(role_fixture))
    page = client.get(admin_url(Category, "import"))
    assert (page.status_code == 200) is allowed
    assert ('name="import_file"' in page.content.decode()) is allowed
    if allowed:
        return
    # Posting the file anyway changes nothing.
    headers = CategoryResource().get_export_headers()
    rows = [headers, ["HTZB", "招标文件", "HT", "contract", 10, 16, True]]
    url = admin_url(Category, "import")
    assert client.post(url, {"import_file": xlsx_upload(rows), "format": "0", "resource": "0"}).status_code == 403
    assert not Category.objects.filter(code="HTZB").exists()


def test_location_import_builds_full_codes_and_matches_existing_rows(client, archivist):
    LocationFactory(code="R1", name="一号档案室")
    client.force_login(archivist)
    headers = LocationResource().get_export_headers()
    rows = [
        headers,
        [None, None, "R1", "room", "一号档案室（东）", True],
        [None, "R1", "C01", "cabinet", "一号柜", True],
        [None, "R1-C01", "S1", "shelf", "第一层", True],
    ]
    _preview, done = admin_import(client, Location, rows)
    assert done is not None and done.status_code == 302
    assert Location.objects.get(full_code="R1").name == "一号档案室（东）"
    shelf = Location.objects.get(full_code="R1-C01-S1")
    assert shelf.parent.full_code == "R1-C01"
    assert shelf.history.get().history_user == archivist
    assert Location.objects.count() == 3


def test_location_import_refuses_a_room_inside_a_box(client, archivist):
    room = LocationFactory(code="R1")
    box = LocationFactory(code="B1", kind="box", parent=LocationFactory(code="S1", kind="shelf", parent=room))
    client.force_login(archivist)
    headers = LocationResource().get_export_headers()
    preview, done = admin_import(client, Location, [headers, [None, box.full_code, "R2", "room", "", True]])
    assert done is None
    assert invalid_fields(preview) == [{"kind"}]
    assert not Location.objects.filter(code="R2").exists()


def test_location_export_lists_full_codes(client, archivist):
    room = LocationFactory(code="R1")
    LocationFactory(code="C01", kind="cabinet", parent=room)
    client.force_login(archivist)
    rows = export_xlsx(client, Location)
    assert [row[0] for row in rows[1:]] == ["R1", "R1-C01"]


def test_file_plan_import_reads_english_headers_in_the_chinese_interface(client, department_head):
    client.force_login(department_head)  # the interface is Chinese by default
    with translation.override("en"):
        headers = CategoryResource().get_export_headers()
    rows = [headers, ["HTZB", "招标文件", "HT", "contract", 10, 16, True]]
    _preview, done = admin_import(client, Category, rows)
    assert done is not None and done.status_code == 302
    assert Category.objects.get(code="HTZB").parent.code == "HT"

    preview, done = admin_import(client, Category, [["code", "colour"], ["HTZC", "red"]])
    assert done is None
    page = preview.content.decode()
    assert "未知列“colour”。" in page and "缺少列" in page
    assert not Category.objects.filter(code="HTZC").exists()
