"""收文登记簿 / 发文登记表 (R-SCOPE 3–4): the register of a year and
direction as PDF and Excel, every line in number order with its columns;
read by the archivist and the department head. Read in English: the
Chinese words come with the merged translations (tests/test_translations.py)."""
import datetime

import pytest
from django.urls import reverse

from documents.exceptions import DocumentsRefused
from documents.models import Direction, Urgency
from documents.registers.correspondence import correspondence_register
from jobs.models import Job, JobState
from tests.conftest import speak_english
from tests.documents.support import make_correspondence
from tests.factories import DepartmentFactory
from tests.inventory.registers_support import pdf_text, sheet_rows, workbook

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DAY = datetime.date(2026, 5, 6)


@pytest.fixture
def lines(archivist, filed_record):
    finance = DepartmentFactory(code="CWB", name="财务部")
    tech = DepartmentFactory(code="JSB", name="技术部")
    common = {"handler": archivist, "registered_by": archivist, "document_date": DAY}
    first = make_correspondence(receivers=[finance, tech], title="关于展会布置的通知", pages=4,
                                urgency=Urgency.URGENT, note="附图两张", record=filed_record(), **common)
    second = make_correspondence(receivers=[finance], title="关于季度预算的函", **common)
    incoming = make_correspondence(direction=Direction.INCOMING, sender=finance, receivers=[tech],
                                   title="财务部关于报销流程的通知", **common)
    older = make_correspondence(receivers=[finance], title="去年的通知", handler=archivist, registered_by=archivist,
                                document_date=datetime.date(2025, 2, 1))
    return first, second, incoming, older


def test_r_scope_4_the_outgoing_register_as_excel(client, archivist, lines):
    first, second, incoming, older = lines
    client.force_login(archivist)
    speak_english(client)
    response = client.get(reverse("documents_correspondence_register"),
                          {"direction": "out", "year": "2026", "format": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    rows = sheet_rows(workbook(response.content).active)
    body = [row for row in rows if row and row[1] in (first.number, second.number, incoming.number, older.number)]
    assert [row[1] for row in body] == ["市场发〔2026〕1号", "市场发〔2026〕2号"]
    number, date, sender, receivers, title, pages, urgency, handler, archive_number, note = body[0][1:11]
    assert (sender, receivers, title, pages, urgency, note) == ("市场部", "财务部, 技术部", "关于展会布置的通知", 4, "Urgent", "附图两张")
    assert handler == archivist.display_name and archive_number == first.record.archive_number
    assert str(date).startswith("2026-05-06")
    assert any("Outgoing document register" in str(cell) for row in rows[:3] for cell in row if cell)
    assert "Sent to" in rows[2] and "Sending department" in rows[2]


def test_r_scope_4_the_incoming_register_as_pdf(client, department_head, lines):
    first, _second, incoming, _older = lines
    client.force_login(department_head)
    speak_english(client)
    response = client.get(reverse("documents_correspondence_register"),
                          {"direction": "in", "year": "2026", "format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == PDF
    text = pdf_text(response.content)
    assert "Incomingdocumentregister" in text and "市场收〔2026〕1号" in text and "财务部关于报销流程的通知" in text
    assert "From" in text and "Receivedby" in text and "Sentto" not in text
    assert first.number not in text


def test_r_scope_4_the_register_page_and_bad_input(client, archivist, lines):
    client.force_login(archivist)
    url = reverse("documents_correspondence_register")
    page = client.get(url).content.decode()
    assert 'name="direction"' in page and 'value="pdf"' in page and 'value="xlsx"' in page
    response = client.get(url, {"direction": "sideways", "format": "pdf"})
    assert response.status_code == 200 and "direction" in response.context["form"].errors


def test_the_register_is_refused_to_a_reader_without_the_right(staff, db):
    with pytest.raises(DocumentsRefused):
        correspondence_register(staff, Direction.OUTGOING, 2026)


def test_r_scope_4_a_long_register_is_made_by_a_job_for_the_reader(client, settings, archivist, lines, run_jobs):
    first, second, _incoming, _older = lines
    settings.ARCHIVE_REGISTER_DIRECT_ROWS = {"pdf": 1, "xlsx": 1}
    client.force_login(archivist)
    response = client.get(reverse("documents_correspondence_register"),
                          {"direction": "out", "year": "2026", "format": "xlsx"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("job_detail", args=[job.pk])
    assert job.owner == archivist
    run_jobs()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.failure
    with job.result_file.open("rb") as stored:
        numbers = [row[1] for row in sheet_rows(workbook(stored.read()).active) if row and row[1]]
    assert first.number in numbers and second.number in numbers
