"""The registers' pages (documents.views_registers): the archivist and the
department head download the distribution register and the purge
certificates; every active user the list of documents in force; a long
register is made by a background job for the reader."""
import pytest
from django.urls import reverse

from documents.models import PurgeState
from jobs.models import Job, JobState
from tests.conftest import speak_english
from tests.documents.registers_support import YEAR, distributed, pdf_text, purged, sheet_rows

pytestmark = pytest.mark.usefixtures("private_storage")

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DISTRIBUTION = reverse("documents_distribution_register")
VALID = reverse("documents_valid_register")


@pytest.fixture
def world(archivist, department_head, staff):
    return distributed(archivist, department_head, staff)


def certificate_url(purge):
    return reverse("documents_purge_certificate", args=[purge.pk])


def test_the_archivist_downloads_a_documents_register_as_pdf(client, archivist, world):
    document, lines = world
    client.force_login(archivist)
    response = client.get(DISTRIBUTION, {"document": document.pk, "format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == PDF
    assert "attachment" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert all(line.control_number in text for line in lines.values())
    assert "丢失" in text


def test_the_head_downloads_a_years_register_as_excel(client, department_head, world, archivist):
    _document, lines = world
    client.force_login(department_head)
    response = client.get(DISTRIBUTION, {"year": YEAR, "format": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    numbers = [row[5] for row in sheet_rows(response.content)[3:8]]
    assert numbers == [lines[key].control_number for key in ("signed", "department", "lost", "reissued", "damaged")]


def test_the_register_page_offers_the_documents_and_refuses_a_bad_year(client, archivist, world):
    document, _lines = world
    client.force_login(archivist)
    speak_english(client)
    page = client.get(DISTRIBUTION).content.decode()
    assert f'<option value="{document.pk}">' in page and "市场推广费用管理规定" in page
    response = client.get(DISTRIBUTION, {"year": "abc", "format": "pdf"})
    assert response["Content-Type"].startswith("text/html") and "field--error" in response.content.decode()


def test_every_active_user_downloads_the_list_of_documents_in_force(client, staff, outside_staff, world):
    for user in (staff, outside_staff):
        client.force_login(user)
        response = client.get(VALID, {"format": "xlsx"})
        assert response.status_code == 200 and response["Content-Type"] == XLSX
        assert "市场推广费用管理规定" in [row[2] for row in sheet_rows(response.content)]
    assert client.get(VALID).status_code == 200


@pytest.mark.parametrize("role", ["staff", "outside_staff", "leadership", "sysadmin"])
def test_other_roles_may_not_read_the_distribution_register_or_a_certificate(
    client, request, role, world, archivist, department_head
):
    _document, purge, _copies = purged(archivist, department_head)
    client.force_login(request.getfixturevalue(role))
    assert client.get(DISTRIBUTION, {"format": "pdf"}).status_code == 403
    assert client.get(DISTRIBUTION).status_code == 403
    assert client.get(certificate_url(purge), {"format": "pdf"}).status_code == 403


def test_anonymous_is_sent_to_sign_in_and_post_is_not_allowed(client, archivist, department_head):
    _document, purge, _copies = purged(archivist, department_head)
    for url in (DISTRIBUTION, VALID, certificate_url(purge)):
        response = client.get(url, {"format": "pdf"})
        assert response.status_code == 302 and reverse("login") in response["Location"]
    client.force_login(archivist)
    for url in (DISTRIBUTION, VALID, certificate_url(purge)):
        assert client.post(url, {"format": "pdf"}).status_code == 405


def test_the_certificate_of_an_approved_list_only(client, archivist, department_head):
    _document, purge, copies = purged(archivist, department_head)
    client.force_login(department_head)
    speak_english(client)
    page = client.get(certificate_url(purge)).content.decode()
    assert purge.number in page and f'name="purge" value="{purge.pk}"' in page
    response = client.get(certificate_url(purge), {"format": "pdf"})
    assert response["Content-Type"] == PDF and copies[0].control_number in pdf_text(response.content)
    purge.state = PurgeState.PROPOSED
    purge.save()
    assert client.get(certificate_url(purge), {"format": "pdf"}).status_code == 404
    assert client.get(reverse("documents_purge_certificate", args=[999999])).status_code == 404


def test_a_long_register_is_made_by_a_job_for_the_reader(client, settings, archivist, world, run_jobs):
    document, lines = world
    settings.ARCHIVE_REGISTER_DIRECT_ROWS = {"pdf": 2, "xlsx": 2}
    client.force_login(archivist)
    response = client.get(DISTRIBUTION, {"document": document.pk, "format": "pdf"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("job_detail", args=[job.pk])
    assert job.owner == archivist

    run_jobs()

    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.failure
    with job.result_file.open("rb") as stored:
        text = pdf_text(stored.read())
    assert all(line.control_number in text for line in lines.values())
