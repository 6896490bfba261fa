"""The lending register (借阅登记表, R-LEND-1): loans handed out in a date
range, as PDF and Excel, for the archivist and the department heads, listing
only records the reader may see (R-LEND-4).

PDFs are checked by the text pypdf extracts. Narrow columns wrap long words
(an archive number breaks at its hyphens), so text is compared with the
whitespace taken out."""
import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from lending import services
from lending.forms_registers import MAX_RANGE_DAYS
from lending.models import IncidentKind, RequestKind
from lending.registers import condition, lending_register, remarks, this_month
from records.models import SecurityLevel
from tests.conftest import speak_english
from tests.admin_support import staff_user_with_perms
from tests.lending.support import approved_request, make_outside_head

P, I, C = SecurityLevel.PUBLIC, SecurityLevel.INTERNAL, SecurityLevel.CONFIDENTIAL
HEADER = ("No.", "Borrower", "Department", "Archive number", "Title", "Security level", "Approved by",
          "Borrowed", "Due", "Returned", "Condition", "Remarks")
MARCH = {"date_from": datetime.date(2024, 3, 1), "date_to": datetime.date(2024, 3, 31)}


@pytest.fixture(autouse=True)
def english(client):
    speak_english(client)
    with translation.override("en"):
        yield


def compact(text):
    return re.sub(r"\s+", "", str(text))


def pdf_text(pdf_bytes):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes)).pages)


def workbook_rows(xlsx_bytes):
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes)).active
    rows = list(sheet.iter_rows(values_only=True))
    # Title, subtitle, then the header row (records.printing); the labels
    # follow the reader's language, so the columns are taken by position.
    assert len(rows[2]) == len(HEADER)
    body = []
    for row in rows[3:]:
        if all(value is None for value in row):
            break
        body.append(dict(zip(HEADER, row)))
    return rows, body


def local(year, month, day, hour=0, minute=0):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def lend(requester, record, archivist, *, out_at=None, days=2):
    """A loan through the services; `out_at` then moves it to that time
    (the register selects by hand-out time)."""
    loan = services.loan_check_out(request=approved_request(requester, record, days=days), by=archivist)
    if out_at is not None:
        loan.due_at = out_at + (loan.due_at - loan.out_at)
        loan.out_at = out_at
        loan.save()
    return loan


@pytest.fixture
def people(staff, outside_staff, archivist, department_head):
    staff.full_name, department_head.full_name = "张伟", "刘洋"
    staff.save()
    department_head.save()
    outside_staff.full_name = "李娜"
    outside_staff.save()
    finance_head = make_outside_head()
    finance_head.full_name = "钱峰"
    finance_head.save()
    return staff, outside_staff, archivist, department_head, finance_head


# --- content ------------------------------------------------------------------------------


def test_r_lend_1_register_pdf_names_borrower_record_and_both_heads(people, filed_record):
    staff, outsider, archivist, head, finance_head = people
    record = filed_record(title="户外广告投放效果评审", security_level=P, pages=8)
    loan = lend(outsider, record, archivist, out_at=local(2024, 3, 5, 9, 30))
    services.loan_return(loan=loan, by=archivist, pages_returned=8, copies_returned=1)

    pdf = lending_register(archivist, **MARCH).to_pdf()

    assert pdf.startswith(b"%PDF-")
    text = compact(pdf_text(pdf))
    for expected in ("Lendingregister", "李娜", "财务部", record.archive_number, record.title, "Public",
                     "钱峰(Headoftheborrower'sdepartment)", "刘洋(Headofthearchive'sdepartment)",
                     "2024-03-0509:30", "Pages8of8", "Loans:1·Returned:1·Stillout:0"):
        assert compact(expected) in text, expected


def test_r_lend_1_register_excel_has_one_row_per_loan_with_dates(people, filed_record):
    staff, outsider, archivist, head, _finance_head = people
    first = lend(staff, filed_record(title="三月月报", pages=4), archivist, out_at=local(2024, 3, 2, 10))
    second = lend(staff, filed_record(title="四月月报", pages=6), archivist, out_at=local(2024, 3, 20, 15), days=5)

    rows, body = workbook_rows(lending_register(head, **MARCH).to_xlsx())

    assert rows[0][0] == "Lending register" and "2024-03-01" in rows[1][0] and "2024-03-31" in rows[1][0]
    assert [row["Title"] for row in body] == ["三月月报", "四月月报"]
    assert [row["No."] for row in body] == [1, 2]
    assert body[0]["Borrower"] == "张伟" and body[0]["Department"] == "市场部"
    assert body[0]["Archive number"] == first.record.archive_number
    assert body[0]["Approved by"] == "None needed"
    assert body[1]["Approved by"] == "刘洋 (Head of the archive's department)"  # R-LEND-2: 5 days > 2
    assert body[0]["Borrowed"] == datetime.datetime(2024, 3, 2, 10, 0)
    assert body[1]["Due"] == datetime.datetime(2024, 3, 25, 15, 0)
    assert body[0]["Returned"] is None and body[0]["Condition"] is None
    assert second.record.archive_number == body[1]["Archive number"]
    assert any(row and row[0] == "Loans: 2 · Returned: 0 · Still out: 2" for row in rows)


def test_r_lend_1_date_range_includes_both_days_in_local_time(people, filed_record):
    staff, _outsider, archivist, _head, _finance_head = people
    times = {
        "before": local(2024, 2, 29, 23, 59),
        "first_day": local(2024, 3, 1, 0, 0),
        "last_day": local(2024, 3, 31, 23, 59),
        "after": local(2024, 4, 1, 0, 0),
    }
    for title, out_at in times.items():
        lend(staff, filed_record(title=title), archivist, out_at=out_at)

    _rows, body = workbook_rows(lending_register(archivist, **MARCH).to_xlsx())

    assert [row["Title"] for row in body] == ["first_day", "last_day"]


def test_r_lend_4_confidential_loan_is_absent_for_a_reader_who_cannot_see_it(people, filed_record):
    staff, _outsider, archivist, head, _finance_head = people
    keeper = staff_user_with_perms("desk_helper", "lending.handle_loan")  # no records.view_confidential
    open_record = filed_record(title="渠道备案申请表", security_level=I)
    secret = filed_record(title="重点客户价格底线", security_level=C)
    lend(staff, open_record, archivist, out_at=local(2024, 3, 3, 9))
    lend(staff, secret, archivist, out_at=local(2024, 3, 4, 9))

    keeper_text = compact(pdf_text(lending_register(keeper, **MARCH).to_pdf()))
    _rows, keeper_rows = workbook_rows(lending_register(keeper, **MARCH).to_xlsx())
    _rows, head_rows = workbook_rows(lending_register(head, **MARCH).to_xlsx())

    assert open_record.title in keeper_text and "Loans:1·" in keeper_text
    assert secret.title not in keeper_text and compact(secret.archive_number) not in keeper_text
    assert [row["Title"] for row in keeper_rows] == ["渠道备案申请表"]
    assert [row["Title"] for row in head_rows] == ["渠道备案申请表", "重点客户价格底线"]


def test_r_lend_5_r_lend_6_condition_and_remarks(people, filed_record):
    staff, outsider, archivist, head, _finance_head = people
    damaged = lend(staff, filed_record(title="损坏", pages=10, copies=2), archivist)
    damaged = services.loan_return(loan=damaged, by=archivist, pages_returned=8, copies_returned=2, damaged=True,
                                   notes="封面撕裂")
    extended = lend(staff, filed_record(title="延期"), archivist)
    extension = services.extension_request(loan=extended, by=staff, new_due_at=extended.due_at
                                           + datetime.timedelta(days=3), reason="仍需使用")
    services.extension_decide(extension=extension, by=head, approve=True)
    overdue = lend(staff, filed_record(title="逾期"), archivist, out_at=timezone.now() - datetime.timedelta(days=5))
    shown_request = approved_request(staff, filed_record(title="查阅"), kind=RequestKind.VIEW, days=1)
    shown = services.view_hand_over(request=shown_request, by=archivist)
    lost = lend(staff, filed_record(title="遗失"), archivist)
    incident = services.incident_open(loan=lost, by=archivist, kind=IncidentKind.LOST, description="找不到")
    services.incident_resolve(incident=incident, by=archivist, resolution="已赔偿")

    assert condition(damaged) == "Pages 8 of 10, copies 2 of 2, damaged, 封面撕裂"
    assert remarks(damaged) == "Open incident: Damaged"
    extended.refresh_from_db()
    new_due = timezone.localtime(extended.due_at).date().isoformat()
    assert remarks(extended) == f"Extended to {new_due}"
    assert condition(extended) == ""
    assert remarks(overdue) == "Overdue"
    assert remarks(shown) == "Viewed in place"
    assert remarks(lost) == "Lost (resolved)"


def test_this_month_is_the_default_range():
    assert this_month(datetime.date(2024, 2, 10)) == (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    assert this_month(datetime.date(2024, 12, 31)) == (datetime.date(2024, 12, 1), datetime.date(2024, 12, 31))


# --- the page -----------------------------------------------------------------------------


def register_url(**params):
    return reverse("lending_register") + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


@pytest.mark.parametrize("role", ["archivist", "department_head"])
def test_r_lend_1_keepers_and_heads_get_the_form_with_this_month(client, role, request):
    client.force_login(request.getfixturevalue(role))
    response = client.get(register_url())
    assert response.status_code == 200
    first, last = this_month()
    form = response.context["form"]
    assert (form["date_from"].value(), form["date_to"].value()) == (first, last)
    assert b'name="format" value="pdf"' in response.content and b'name="format" value="xlsx"' in response.content


@pytest.mark.parametrize("role", ["staff", "outside_staff", "leadership", "sysadmin"])
def test_r_lend_1_others_may_not_print_the_register(client, role, request, staff, archivist, filed_record):
    record = filed_record(title="代理商协议原件")
    lend(staff, record, archivist, out_at=local(2024, 3, 8, 11))
    client.force_login(request.getfixturevalue(role))
    page = client.get(register_url())
    assert page.status_code == 403 and b'name="date_from"' not in page.content
    download = client.get(register_url(date_from="2024-03-01", date_to="2024-03-31", format="xlsx"))
    assert download.status_code == 403 and download["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in download and record.title not in download.content.decode()


def test_register_needs_a_login(client):
    response = client.get(register_url(), follow=True)
    [(url, status)] = response.redirect_chain
    assert status == 302 and url.startswith("/accounts/login/")
    page = response.content.decode()
    assert 'id="login-form"' in page and f'name="next" value="{reverse("lending_register")}"' in page
    assert "Lending register" not in page


def test_register_downloads_pdf_and_excel(client, people, filed_record):
    staff, _outsider, archivist, _head, _finance_head = people
    record = filed_record(title="代理商协议原件")
    lend(staff, record, archivist, out_at=local(2024, 3, 8, 11))
    client.force_login(archivist)

    pdf = client.get(register_url(date_from="2024-03-01", date_to="2024-03-31", format="pdf"))
    xlsx = client.get(register_url(date_from="2024-03-01", date_to="2024-03-31", format="xlsx"))

    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "lending-register-2024-03-01-2024-03-31.pdf" in pdf["Content-Disposition"]
    assert record.title in compact(pdf_text(pdf.content))
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert [row["Title"] for row in workbook_rows(xlsx.content)[1]] == ["代理商协议原件"]


@pytest.mark.parametrize(
    "params, message",
    [
        ({"date_from": "2024-03-31", "date_to": "2024-03-01"}, "The end date is before the start date."),
        ({"date_from": "2023-01-01", "date_to": "2024-03-01"}, f"at most {MAX_RANGE_DAYS} days"),
        ({"date_from": "not-a-date", "date_to": "2024-03-01"}, "Enter a valid date."),
        ({"date_from": "2024-03-01", "date_to": "2024-03-31", "format": "doc"}, "Select a valid choice."),
    ],
)
def test_invalid_range_shows_the_form_again_with_the_error(client, archivist, params, message):
    client.force_login(archivist)
    response = client.get(register_url(**{"format": "pdf", **params}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()


def test_register_page_refuses_post(client, archivist, staff, filed_record):
    lend(staff, filed_record(title="代理商协议原件"), archivist, out_at=local(2024, 3, 8, 11))
    client.force_login(archivist)
    response = client.post(register_url(), {"date_from": "2024-03-01", "date_to": "2024-03-31", "format": "pdf"})
    assert response.status_code == 405 and response["Allow"] == "GET"
    assert "Content-Disposition" not in response and not response.content.startswith(b"%PDF")
