"""Printed registers: the PDF/Excel machinery (records.printing) and the
catalogue (records.registers, records.views.registers).

PDFs are checked by the text pypdf extracts from them; workbooks by opening
them with openpyxl. Tests that read translated labels pin the language with
translation.override("en"); the others assert on data (archive numbers,
Chinese titles), which no translation changes."""
import datetime
import io
import re
from urllib.parse import unquote

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from accounts.roles import Role
from records import printing
from records.models import RecordStatus, SecurityLevel
from records.printing import Column, TableRegister, content_disposition, css_string, page_counter_css
from records.registers import catalogue_register, catalogue_remarks
from records.services import record_check_out
from tests.factories import RecordFactory, category

P, I, C = SecurityLevel.PUBLIC, SecurityLevel.INTERNAL, SecurityLevel.CONFIDENTIAL
HEADER = ["No.", "Archive number", "Document number", "Responsible party", "Title", "Date",
          "Security level", "Pages", "Remarks"]


def pdf_pages(pdf_bytes):
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes)).pages]


def workbook_rows(xlsx_bytes):
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes)).active
    return sheet, list(sheet.iter_rows(values_only=True))


def data_rows(rows):
    """The rows between the header row and the blank line before the totals."""
    start = rows.index(tuple(HEADER)) + 1
    body = []
    for row in rows[start:]:
        if all(value is None for value in row):
            break
        body.append(row)
    return body


def catalogue_url(**params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{reverse('catalogue')}?{query}"


# -- the catalogue's content ------------------------------------------------------------

def test_catalogue_pdf_lists_class_with_subclasses_and_nothing_else(archivist, filed_record):
    agency = filed_record(title="华东区代理商协议", category=category("HTDL"))
    outdoor = filed_record(title="户外广告牌制作合同", category=category("HTHW"))
    other_year = filed_record(title="去年的代理商协议", category=category("HTDL"), year=2023)
    other_class = filed_record(title="代理商客户资料", category=category("KHDL"))
    not_filed = RecordFactory(title="尚未归档的协议", category=category("HTDL"))

    pdf = catalogue_register(archivist, category=category("HT"), year=2024).to_pdf()

    assert pdf.startswith(b"%PDF-")
    text = "\n".join(pdf_pages(pdf))
    for record in (agency, outdoor):
        assert record.title in text
        assert record.archive_number in text
    for record in (other_year, other_class, not_filed):
        assert record.title not in text


def test_r_lend_4_staff_catalogue_never_lists_or_counts_confidential_records(staff, filed_record):
    shown = filed_record(title="市场部周报汇总", security_level=I, pages=3)
    secret = filed_record(title="重点客户价格底线", security_level=C, pages=40)

    with translation.override("en"):
        register = catalogue_register(staff, category=category("HTDL"), year=2024)
        text = "\n".join(pdf_pages(register.to_pdf()))
        _sheet, rows = workbook_rows(catalogue_register(staff, category=category("HTDL"), year=2024).to_xlsx())

    assert shown.title in text and shown.archive_number in text
    assert secret.title not in text
    assert secret.archive_number not in text
    assert "Items: 1 · Pages: 3" in text
    assert [row[1] for row in data_rows(rows)] == [shown.archive_number]
    assert ("Items: 1 · Pages: 3",) + (None,) * 8 in rows


@pytest.mark.parametrize(
    "role, expected_levels",
    [
        (Role.STAFF, {P, I}),
        (Role.OUTSIDE_STAFF, {P}),
        (Role.ARCHIVIST, {P, I, C}),
        (Role.LEADERSHIP, {P, I, C}),
    ],
)
def test_r_lend_4_catalogue_shows_what_each_role_may_see(role, expected_levels, role_users, filed_record):
    titles = {level: filed_record(title=f"{level}级别文件", security_level=level).title for level in (P, I, C)}
    with translation.override("en"):
        _sheet, rows = workbook_rows(
            catalogue_register(role_users[role], category=category("HTDL"), year=2024).to_xlsx()
        )
    assert {row[4] for row in data_rows(rows)} == {titles[level] for level in expected_levels}


def test_catalogue_is_in_archive_number_order_with_running_numbers(archivist, filed_record):
    # Filed interleaved across two sub-classes; printed class by class, item by item.
    filed = [filed_record(title=f"文件{n}", category=category(code)) for n, code in
             enumerate(["HTHW", "HTDL", "HTHW", "HTDL", "HTDL"])]
    with translation.override("en"):
        sheet, rows = workbook_rows(catalogue_register(archivist, category=category("HT"), year=2024).to_xlsx())
    body = data_rows(rows)
    expected = sorted(filed, key=lambda r: (r.category.code, r.item_number))
    assert [row[1] for row in body] == [r.archive_number for r in expected]
    assert [row[0] for row in body] == [1, 2, 3, 4, 5]


def test_catalogue_remarks_say_why_a_record_is_not_on_the_shelf(archivist, filed_record):
    on_loan = filed_record(title="借出的合同", notes="原件在总经办\n复印件在柜中")
    on_loan = record_check_out(record=on_loan, reason="lent")
    on_shelf = filed_record(title="在架的合同", notes="")
    with translation.override("en"):
        assert catalogue_remarks(on_loan) == "On loan; 原件在总经办 复印件在柜中"
        assert catalogue_remarks(on_shelf) == ""
        assert on_loan.status == RecordStatus.ON_LOAN
        text = "\n".join(pdf_pages(catalogue_register(archivist, category=category("HTDL"), year=2024).to_pdf()))
    # A cell's wrapped lines come out one after another; join them.
    assert "On loan; 原件在总经办" in text.replace("\n", "")


# -- PDF layout -----------------------------------------------------------------------

def test_long_catalogue_repeats_header_and_numbers_pages(archivist, filed_record):
    records = [filed_record(title=f"代理商协议补充条款第{n}号") for n in range(60)]
    with translation.override("en"):
        pages = pdf_pages(catalogue_register(archivist, category=category("HTDL"), year=2024).to_pdf())

    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert "Archive number" in text, f"page {number} has no header row"
        assert f"Page {number} of {len(pages)}" in text
        assert re.search(r"Printed on \d{4}-\d{2}-\d{2}", text)
    # The running title repeats on the pages after the first.
    assert all("Catalogue of filed records" in text for text in pages[1:])
    joined = "\n".join(pages)
    assert records[0].archive_number in pages[0]
    assert records[-1].archive_number in pages[-1]
    assert all(record.archive_number in joined for record in records)


def test_pdf_embeds_the_shipped_cjk_font(archivist, filed_record):
    filed_record(title="字体嵌入检查")
    reader = PdfReader(io.BytesIO(catalogue_register(archivist, category=category("HTDL"), year=2024).to_pdf()))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    # "Archive CJK" is the @font-face family over static/fonts/wqy-microhei.ttc;
    # a system fallback font would carry its own name instead.
    assert fonts and all("Archive-CJK" in name for name in fonts), fonts
    assert all(fonts.values()), fonts


def test_pdf_prints_data_as_text_never_as_markup(archivist, filed_record):
    record = filed_record(title='<b>加粗</b> & "引号" </style><img src="file:///etc/passwd">')
    text = "\n".join(pdf_pages(catalogue_register(archivist, category=category("HTDL"), year=2024).to_pdf()))
    assert "<b>加粗</b> & \"引号\"" in text
    assert record.archive_number in text


def test_page_counter_follows_the_translated_pattern():
    assert page_counter_css("第 %(page)s 页 共 %(pages)s 页") == (
        '"第 " counter(page) " 页 共 " counter(pages) " 页"'
    )
    assert page_counter_css("Page %(page)s of %(pages)s") == '"Page " counter(page) " of " counter(pages)'


def test_css_string_escapes_quotes_backslashes_and_tags():
    assert css_string('a"b\\c</style>') == '"a\\22 b\\5c c\\3c /style\\3e "'


def test_pdf_fetches_no_resource_but_the_font():
    fetcher = printing._font_only_fetcher_class()()
    with pytest.raises(ValueError, match="no resource but the font"):
        fetcher.fetch("file:///etc/passwd")
    response = fetcher.fetch(printing.font_url())
    assert response.read(4) == b"ttcf"


def test_register_too_long_for_a_pdf_is_refused_before_rendering(monkeypatch):
    monkeypatch.setattr(printing, "MAX_PDF_ROWS", 2)
    register = TableRegister(title="T", columns=[Column("A", "a")], rows=[], row_count=3)
    with pytest.raises(printing.RegisterTooLarge):
        register.to_pdf()


# -- Excel ----------------------------------------------------------------------------

def test_catalogue_workbook_has_title_bold_frozen_header_rows_in_order_and_real_dates(archivist, filed_record):
    first = filed_record(title="第一份协议", document_date=datetime.date(2024, 1, 5), document_number="市发〔2024〕1号")
    second = filed_record(title="第二份协议", document_date=None, pages=12)
    with translation.override("en"):
        sheet, rows = workbook_rows(catalogue_register(archivist, category=category("HTDL"), year=2024).to_xlsx())

    assert rows[0][0] == "Catalogue of filed records"
    assert "HTDL" in rows[1][0] and "2024" in rows[1][0]
    assert rows[2] == tuple(HEADER)
    assert all(cell.font.b for cell in sheet[3])
    assert sheet.freeze_panes == "A4"
    assert sheet.print_title_rows == "$3:$3"
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.column_dimensions["E"].width > sheet.column_dimensions["A"].width

    body = data_rows(rows)
    assert [row[1] for row in body] == [first.archive_number, second.archive_number]
    assert body[0][2:5] == ("市发〔2024〕1号", "市场部", "第一份协议")
    date_cell = sheet.cell(row=4, column=6)
    assert date_cell.is_date and date_cell.value.date() == datetime.date(2024, 1, 5)
    assert body[1][5] is None
    assert body[1][7] == 12
    assert ("Items: 2 · Pages: 13",) + (None,) * 8 in rows


def test_workbook_writes_formula_like_text_as_text(archivist, filed_record):
    record = filed_record(title='=HYPERLINK("http://example.com","点我")')
    sheet = openpyxl.load_workbook(
        io.BytesIO(catalogue_register(archivist, category=category("HTDL"), year=2024).to_xlsx())
    ).active
    cell = sheet.cell(row=4, column=5)
    assert cell.value == record.title
    assert cell.data_type == "s"


# -- HTTP -----------------------------------------------------------------------------

def test_content_disposition_keeps_a_chinese_file_name():
    header = content_disposition("归档文件目录-HT-2024.pdf")
    assert header.startswith('attachment; filename="HT-2024.pdf"; ')
    encoded = re.search(r"filename\*=UTF-8''(\S+)$", header)[1]
    assert unquote(encoded) == "归档文件目录-HT-2024.pdf"
    header.encode("ascii")  # HTTP headers must stay ASCII
    assert content_disposition('a"b/c.xlsx') == 'attachment; filename="a_b_c.xlsx"'


def test_catalogue_form_is_shown_to_any_signed_in_user(client, outside_staff):
    client.force_login(outside_staff)
    response = client.get(reverse("catalogue"))
    assert response.status_code == 200
    assert response.context["form"].is_bound is False
    assert 'name="format" value="pdf"' in response.content.decode()
    assert 'name="format" value="xlsx"' in response.content.decode()


@pytest.mark.parametrize(
    "params, field",
    [
        ({"format": "pdf"}, "year"),
        ({"year": "", "format": "pdf"}, "year"),
        ({"year": "1800", "format": "xlsx"}, "year"),
        ({"year": "2024", "format": "doc"}, "format"),
    ],
)
def test_invalid_catalogue_request_shows_the_form_with_errors(client, staff, params, field):
    client.force_login(staff)
    params = {"category": category("HT").pk, **params}
    response = client.get(catalogue_url(**params))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert field in response.context["form"].errors
    assert 'class="errorlist' in response.content.decode()


def test_catalogue_pdf_download(client, staff, filed_record):
    record = filed_record(title="下载检查用协议")
    secret = filed_record(title="机密下载检查", security_level=C)
    client.force_login(staff)
    response = client.get(catalogue_url(category=category("HT").pk, year=2024, format="pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert unquote(response["Content-Disposition"]).endswith('-HT-2024.pdf"') or unquote(
        response["Content-Disposition"]
    ).endswith("-HT-2024.pdf")
    text = "\n".join(pdf_pages(response.content))
    assert record.title in text and record.archive_number in text
    assert secret.title not in text


def test_catalogue_xlsx_download(client, archivist, filed_record):
    record = filed_record(title="表格下载检查")
    client.force_login(archivist)
    response = client.get(catalogue_url(category=category("HTDL").pk, year=2024, format="xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == printing.XLSX_CONTENT_TYPE
    assert ".xlsx" in unquote(response["Content-Disposition"])
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=4, column=2).value == record.archive_number


def test_catalogue_too_long_for_pdf_shows_the_form_with_an_error(client, archivist, filed_record, monkeypatch):
    monkeypatch.setattr(printing, "MAX_PDF_ROWS", 2)
    for n in range(3):
        filed_record(title=f"超长目录{n}")
    client.force_login(archivist)
    response = client.get(catalogue_url(category=category("HTDL").pk, year=2024, format="pdf"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    response = client.get(catalogue_url(category=category("HTDL").pk, year=2024, format="xlsx"))
    assert response["Content-Type"] == printing.XLSX_CONTENT_TYPE


def test_catalogue_refuses_post(client, staff, filed_record):
    record = filed_record(title="华东区代理商协议", year=2024, security_level=P)
    client.force_login(staff)
    response = client.post(reverse("catalogue"), {"category": category("HT").pk, "year": 2024, "format": "pdf"})
    assert response.status_code == 405
    assert "POST" not in response["Allow"]
    assert response["Content-Type"] != printing.PDF_CONTENT_TYPE
    assert record.archive_number not in response.content.decode()


def test_catalogue_needs_sign_in(client, db):
    response = client.get(catalogue_url(category=category("HT").pk, year=2024, format="pdf"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
