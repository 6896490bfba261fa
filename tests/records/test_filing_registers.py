"""The handover list (移交清册, R-FILE-3): built with records.printing's
TableRegister and checked by the text pypdf reads from the PDF."""
import io
import re

from django.utils import translation
from pypdf import PdfReader

from records.filing_registers import handover_register
from records.services import handover_receive
from tests.records.test_filing_services import make_box, submitted


def pdf_text(pdf_bytes):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes)).pages)


def unwrapped(text):
    """Cells wrap over lines in the PDF, also inside words; compare text
    without any white space."""
    return re.sub(r"\s+", "", text)


def test_r_file_3_handover_list_names_items_parties_and_totals(staff, archivist):
    staff.full_name, archivist.full_name = "张小梅", "王芳"
    staff.save()
    archivist.save()
    box = make_box()
    first = submitted(staff, title="华东区代理商协议", copies=2, pages=12)
    second = submitted(staff, title="华南区代理商协议", copies=1, pages=8)
    # The remark is written in the archivist's language when the item is received.
    with translation.override("en"):
        handover = handover_receive(
            by=archivist, items=[(first, 2, 12, True, "", box), (second, 1, 7, True, "缺封底", box)]
        )
    first.refresh_from_db()
    second.refresh_from_db()

    with translation.override("en"):
        register = handover_register(handover, viewer=archivist)
        text = pdf_text(register.to_pdf())

    assert "Handover list" in text
    assert handover.number in text
    for record in (first, second):
        assert record.archive_number in text
        assert record.title in text
    assert "Handed over by 张小梅" in text and "Received by 王芳" in text
    assert "Items: 2 · Copies: 3 · Pages: 19" in text
    # The remark says the item was filed as counted (cells wrap in the PDF).
    assert unwrapped("Counted on receipt: copies 1 (submitted 1), pages 7 (submitted 8). 缺封底") in unwrapped(text)
    # Signature blanks for both sides.
    assert re.search(r"Handed over by 张小梅: _+", text)
    assert re.search(r"Received by 王芳: _+", text)

    rows = list(register.value_rows())
    assert rows == [
        [1, first.archive_number, "华东区代理商协议", 2, 12, ""],
        [2, second.archive_number, "华南区代理商协议", 1, 7,
         "Counted on receipt: copies 1 (submitted 1), pages 7 (submitted 8). 缺封底"],
    ]


def test_r_file_3_handover_list_prints_in_chinese_too(staff, archivist):
    box = make_box()
    handover = handover_receive(by=archivist, items=[(submitted(staff, title="会议记录"), 2, 12, True, "", box)])
    with translation.override("zh-hans"):
        text = pdf_text(handover_register(handover, viewer=archivist).to_pdf())
    assert "会议记录" in text and handover.number in text
