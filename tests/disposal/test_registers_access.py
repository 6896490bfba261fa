"""The disposal registers' pages: who may print them (the archivist, the
department head, leadership; nobody else, anonymous sent to sign in), the
form pages, the downloads, and long registers made by a background job
for the reader who asked. Test data: tests/disposal/registers_support.py."""
import io
from urllib.parse import unquote

import pytest
from django.urls import reverse
from pypdf import PdfReader

from accounts.roles import Role
from jobs.models import Job, JobState
from jobs.services import job_start
from records.models import Hold
from tests.disposal.registers_support import (  # noqa: F401 (fixtures)
    due,
    executed_list,
    flat,
    pdf_text,
    people,
    report_list,
    sheet_rows,
    two_destructions,
)

pytestmark = pytest.mark.django_db

REGISTERS = [
    ("disposal_report_register", "档案鉴定销毁报告"),
    ("disposal_weeding_register", "剔除清册"),
    ("disposal_certificate_register", "档案销毁清册（销毁证明）"),
    ("disposal_destroyed_register", "档案销毁登记簿"),
    ("disposal_holds_register", "档案冻结登记簿"),
]
PRINTERS = [Role.ARCHIVIST, Role.DEPARTMENT_HEAD, Role.LEADERSHIP]
OTHERS = [Role.STAFF, Role.OUTSIDE_STAFF, Role.SYSADMIN]


@pytest.fixture
def lists(report_list, executed_list):
    """{url name: query selecting a register with something in it}."""
    return {
        "disposal_report_register": {"list": report_list.pk},
        "disposal_weeding_register": {},
        "disposal_certificate_register": {"list": executed_list.pk},
        "disposal_destroyed_register": {},
        "disposal_holds_register": {"show": "all"},
    }


@pytest.mark.parametrize("role", OTHERS, ids=lambda role: role.value)
@pytest.mark.parametrize("name, title", REGISTERS)
def test_nobody_else_prints_them(client, role_users, lists, role, name, title):
    client.force_login(role_users[role])
    for query in ({}, {**lists[name], "format": "pdf"}, {**lists[name], "format": "xlsx"}):
        response = client.get(reverse(name), query)
        assert response.status_code == 403
        assert title not in response.content.decode()


@pytest.mark.parametrize("name, title", REGISTERS)
def test_anonymous_is_sent_to_sign_in(client, lists, name, title):
    response = client.get(reverse(name), {**lists[name], "format": "pdf"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name, title", REGISTERS)
def test_the_pages_refuse_post(client, archivist, name, title):
    client.force_login(archivist)
    assert client.post(reverse(name)).status_code == 405


@pytest.mark.parametrize("role", PRINTERS, ids=lambda role: role.value)
@pytest.mark.parametrize("name, title", REGISTERS)
def test_the_archivist_head_and_leadership_open_the_form(client, role_users, role, name, title):
    client.force_login(role_users[role])
    page = client.get(reverse(name)).content.decode()
    assert f"<h1>{title}</h1>" in page
    assert "下载 PDF" in page and "下载 Excel" in page
    assert "只列出您有权查看的档案。" in page


@pytest.mark.parametrize("role", PRINTERS, ids=lambda role: role.value)
def test_each_printer_downloads_the_report_as_pdf(client, role_users, report_list, due, role):
    client.force_login(role_users[role])
    response = client.get(reverse("disposal_report_register"), {"list": report_list.pk, "format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert unquote(response["Content-Disposition"]).endswith("档案鉴定销毁报告-XH-2026-0001.pdf")
    text = pdf_text(response.content)
    assert text.startswith("档案鉴定销毁报告") and due["agency"].archive_number in text


def test_the_certificate_downloads_as_excel(client, department_head, executed_list, due):
    client.force_login(department_head)
    response = client.get(reverse("disposal_certificate_register"), {"list": executed_list.pk, "format": "xlsx"})
    assert response.status_code == 200
    assert unquote(response["Content-Disposition"]).endswith("档案销毁清册-XH-2026-0002.xlsx")
    rows = sheet_rows(response.content)
    assert rows[0][0] == "档案销毁清册（销毁证明）"
    assert [row[1] for row in rows if isinstance(row[0], int)] == [due["agency"].archive_number,
                                                                    due["client"].archive_number]


def test_a_link_preselects_the_list(client, archivist, report_list):
    client.force_login(archivist)
    page = client.get(reverse("disposal_report_register"), {"list": report_list.pk}).content.decode()
    assert f'<option value="{report_list.pk}" selected>XH-2026-0001 · 2024 · ' in page


def test_only_executed_lists_have_a_certificate(client, archivist, report_list):
    """A list not yet executed is not offered, and asking for it shows the form again."""
    client.force_login(archivist)
    response = client.get(reverse("disposal_certificate_register"), {"list": report_list.pk, "format": "pdf"})
    page = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "XH-2026-0001" not in page and "field--error" in page


def test_a_bad_year_in_the_destruction_register_shows_the_form_again(client, archivist):
    client.force_login(archivist)
    response = client.get(reverse("disposal_destroyed_register"), {"year": "abc", "format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "field--error" in response.content.decode()


# -- long registers: a background job ----------------------------------------------


def the_file(job):
    with job.result_file.open("rb") as stored:
        return stored.read()


def test_a_long_destruction_register_is_made_by_a_job_for_the_reader(
    client, settings, leadership, two_destructions, due, run_jobs
):
    settings.ARCHIVE_REGISTER_DIRECT_ROWS = {"pdf": 2, "xlsx": 2}
    client.force_login(leadership)
    response = client.get(reverse("disposal_destroyed_register"), {"format": "pdf"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("job_detail", args=[job.pk])
    assert job.owner == leadership and "档案销毁登记簿" in job.title

    run_jobs()

    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.failure
    text = flat("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(the_file(job))).pages))
    assert "共销毁3件" in text
    for name in ("agency", "client"):
        assert due[name].archive_number in text


def test_a_long_holds_register_goes_to_a_job_too(client, settings, archivist, due, run_jobs):
    settings.ARCHIVE_REGISTER_DIRECT_ROWS = {"pdf": 1, "xlsx": 1}
    for record in (due["agency"], due["outdoor"]):
        Hold.objects.create(record=record, reason="审计", placed_by=archivist)
    client.force_login(archivist)
    client.get(reverse("disposal_holds_register"), {"show": "active", "format": "xlsx"})
    run_jobs()
    job = Job.objects.get()
    assert job.state == JobState.SUCCEEDED, job.failure
    assert [row[1] for row in sheet_rows(the_file(job)) if isinstance(row[0], int)] == [
        due["agency"].archive_number, due["outdoor"].archive_number
    ]


def test_a_reader_who_lost_the_right_before_the_job_ran_gets_a_refusal(department_head, two_destructions, run_jobs):
    job = job_start(kind="records.register_pdf", owner=department_head, title="档案销毁登记簿",
                    params={"register": "disposal_destroyed", "query": {"format": ["pdf"]}})
    department_head.groups.clear()
    department_head.user_permissions.clear()
    run_jobs()
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.failure == "您无权打印档案处置登记表册。"
