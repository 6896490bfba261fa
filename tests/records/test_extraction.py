"""Text extraction from PDF, DOCX and XLSX attachments (records.files.extract_text),
with real files built in the test: bounded length, zip-bomb guard, no DTDs."""
import datetime
import io
import zipfile

import pytest
from django.conf import settings
from pypdf import PdfReader, PdfWriter

from records.files import ExtractionSkipped, extract_text, extraction
from records.files import types as filetypes
from tests.records.test_filetypes import MINIMAL_PDF, document_xml, make_docx, make_image, make_xlsx, W_NS


def weasyprint_pdf(paragraphs):
    """A real PDF with Chinese text in the shipped CJK font."""
    from weasyprint import HTML

    font = settings.PDF_FONT_PATH.as_uri()
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    html = (
        f"<style>@font-face {{ font-family: cjk; src: url('{font}'); }} body {{ font-family: cjk; }}</style>{body}"
    )
    return HTML(string=html).write_pdf()


@pytest.fixture(scope="module")
def contract_pdf():
    return weasyprint_pdf(["户外广告制作合同", "合同编号 HT-2024-017", "甲方：华东代理商"])


def extract(content, file_type, **kwargs):
    return extract_text(io.BytesIO(content), file_type, **kwargs)


def test_pdf_text_is_extracted(contract_pdf):
    text = extract(contract_pdf, filetypes.PDF)
    assert "户外广告制作合同" in text
    assert "HT-2024-017" in text
    assert "华东代理商" in text


def test_pdf_without_text_gives_nothing():
    assert extract(MINIMAL_PDF, filetypes.PDF) == ""


def test_password_protected_pdf_is_skipped(contract_pdf):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(contract_pdf)))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ExtractionSkipped, match="password"):
        extract(buffer.getvalue(), filetypes.PDF)


def test_a_damaged_pdf_raises():
    with pytest.raises(Exception):
        extract(b"%PDF-1.4\nthis is not a PDF body", filetypes.PDF)


def test_docx_paragraphs_tabs_and_text_boxes_become_lines():
    document = document_xml(["代理商协议", ["甲方", "\t", "华东代理商"], "", "第三条 付款"])
    # A text box: a paragraph inside a run of another paragraph.
    document = document.replace(
        "<w:p><w:r><w:t>第三条 付款</w:t></w:r></w:p>",
        "<w:p><w:r><w:t>正文</w:t></w:r><w:r><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p>"
        "</w:txbxContent></w:r><w:r><w:t>第三条 付款</w:t></w:r></w:p>",
    )
    text = extract(make_docx(document=document), filetypes.DOCX)
    assert text == "代理商协议\n甲方\t华东代理商\n\n文本框\n正文第三条 付款"


def test_docx_text_is_cut_at_the_limit():
    paragraphs = [f"第{n}段会议纪要内容" for n in range(2000)]
    text = extract(make_docx(paragraphs), filetypes.DOCX, max_chars=500)
    assert len(text) == 500
    assert text.startswith("第0段会议纪要内容\n第1段")


def test_r_file_docx_zip_bomb_is_not_inflated():
    """A document.xml that unpacks past the limit is refused before any of
    it is read."""
    padding = "<w:p/>" * 50_000  # 300 kB of XML, a few hundred bytes zipped
    content = make_docx(document=document_xml(["开头"]).replace("<w:body>", "<w:body>" + padding))
    assert len(content) < 5_000
    with pytest.raises(ExtractionSkipped, match="unpack"):
        extract(content, filetypes.DOCX, max_inflated_bytes=100_000)
    assert extract(content, filetypes.DOCX, max_inflated_bytes=1_000_000).startswith("开头")


def test_docx_with_a_dtd_is_skipped():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>'
    )
    with pytest.raises(ExtractionSkipped, match="DTD"):
        extract(make_docx(document=bomb), filetypes.DOCX)


def test_docx_of_many_empty_paragraphs_stops_at_the_limit():
    content = make_docx(document=document_xml([""] * 300_000))
    assert extract(content, filetypes.DOCX, max_chars=1000) == ""


def test_xlsx_sheets_and_cells_become_lines():
    content = make_xlsx(
        {
            "合同台帐": [
                ["合同编号", "客户", "金额", "签订日期"],
                ["HT-2024-001", "华东代理商", 12000, datetime.date(2024, 3, 1)],
            ],
            "客户": [["联系人", None, "电话"], [None, None, None], ["王经理", "", "021-5555"]],
        }
    )
    text = extract(content, filetypes.XLSX)
    assert text.splitlines() == [
        "合同台帐",
        "合同编号\t客户\t金额\t签订日期",
        "HT-2024-001\t华东代理商\t12000\t2024-03-01",
        "客户",
        "联系人\t电话",
        "王经理\t021-5555",
    ]


def test_xlsx_zip_bomb_is_not_inflated():
    content = make_xlsx({"大表": [["数据"] * 20 for _ in range(3000)]})
    with pytest.raises(ExtractionSkipped, match="unpack"):
        extract(content, filetypes.XLSX, max_inflated_bytes=50_000)


def test_xlsx_text_is_cut_at_the_limit():
    content = make_xlsx({"大表": [[f"第{n}行", n] for n in range(5000)]})
    text = extract(content, filetypes.XLSX, max_chars=300)
    assert len(text) == 300
    assert text.startswith("大表\n第0行\t0\n第1行\t1")


@pytest.mark.parametrize("file_type", [filetypes.PNG, filetypes.TEXT, filetypes.MP4, filetypes.DOC])
def test_types_without_extraction_give_nothing(file_type):
    assert extract(make_image("PNG"), file_type) == ""


def test_default_limits():
    assert extraction.MAX_CHARS == 200_000
    assert extraction.MAX_INFLATED_BYTES == 64 * 1024 * 1024


def test_a_zip_member_that_lies_about_its_size_is_not_inflated_past_it():
    """zipfile stops at the size the zip directory declares and fails the
    CRC check; that is what lets the guard trust the declared sizes."""
    content = make_docx(document=document_xml(["真实内容" * 1000]))
    name = b"word/document.xml"
    entry = content.find(b"PK\x01\x02")
    while content[entry + 46 : entry + 46 + len(name)] != name:
        entry = content.find(b"PK\x01\x02", entry + 1)
    patched = bytearray(content)
    patched[entry + 24 : entry + 28] = (100).to_bytes(4, "little")  # uncompressed size
    assert zipfile.ZipFile(io.BytesIO(bytes(patched))).getinfo("word/document.xml").file_size == 100
    with pytest.raises(zipfile.BadZipFile, match="CRC"):
        extract(bytes(patched), filetypes.DOCX)
