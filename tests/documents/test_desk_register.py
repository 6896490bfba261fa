"""Registering a controlled document (documents_document_new, R-CTRL-1):
the drafting department hands it over with its approval papers; the form
filled from an outgoing register line; the filed original by its archive
number; refusals (no paper, a source that is not a PDF, an unknown
archive number) save nothing and store no file; only the archivist."""
import gc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from documents.models import ControlledDocument, DocumentPaper, DocumentState
from tests.disposal.views_support import signed_in as _signed_in
from tests.disposal.views_support import text_of
from tests.documents.support import make_correspondence, uploaded_pdf
from tests.factories import DepartmentFactory
from tests.records.test_filetypes import EXE, make_image

NEW = reverse("documents_document_new")
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_storage")]


def signed_in(client, user):
    # The builders get the "archivist" user again, which sets its password anew.
    user.refresh_from_db()
    return _signed_in(client, user)


def stored_files(root):
    gc.collect()  # an upload rolled back is removed when its guard is collected
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def _data(department, **extra):
    return {
        "title": "市场推广费用管理办法",
        "reference": "市场发〔2026〕21号",
        "drafting_department": department.pk,
        "valid_until": "",
        "source": uploaded_pdf("管理办法.pdf", pages=2),
        "approval_papers": [uploaded_pdf("审批单.pdf", pages=1), SimpleUploadedFile("签批页.png", make_image("PNG"))],
        "archive_number": "",
        **extra,
    }


def _errors(response):
    form = response.context["form"]
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def test_r_ctrl_1_the_archivist_registers_a_document_with_its_approval_papers(client, archivist, filed_record):
    department = DepartmentFactory(code="SCB", name="市场部二处")
    record = filed_record(title="推广费用办法原件")
    until = timezone.localdate().replace(year=timezone.localdate().year + 1)
    response = signed_in(client, archivist).post(NEW, _data(
        department, archive_number=f" {record.archive_number}\r", valid_until=until.isoformat()))
    document = ControlledDocument.objects.get()
    assert response.status_code == 302 and response.url == reverse("documents_document_detail", args=[document.pk])
    assert (document.title, document.reference, document.drafting_department, document.state) == (
        "市场推广费用管理办法", "市场发〔2026〕21号", department, DocumentState.READY)
    assert (document.valid_until, document.record, document.page_count, document.source_name) == (
        until, record, 2, "管理办法.pdf")
    assert sorted(document.papers.values_list("original_name", flat=True)) == ["审批单.pdf", "签批页.png"]
    html = text_of(client.get(response.url))
    assert "Ready to distribute" in html and record.archive_number in html and "审批单.pdf" in html


def test_the_form_is_filled_from_an_outgoing_register_line(client, archivist, filed_record):
    department = DepartmentFactory(code="QHB", name="企划部")
    record = filed_record(title="发文原件")
    line = make_correspondence(title="关于价格调整的通知", sender=department, record=record)
    html = text_of(signed_in(client, archivist).get(NEW, {"correspondence": line.pk}))
    assert 'value="关于价格调整的通知"' in html and f'value="{line.number}"' in html
    assert f'<option value="{department.pk}" selected>' in html
    assert f'value="{record.archive_number}"' in html
    assert f'name="correspondence" value="{line.pk}"' in html
    response = client.post(NEW, _data(department, correspondence=line.pk))
    assert response.status_code == 302
    assert ControlledDocument.objects.get().correspondence == line


def test_an_incoming_line_fills_nothing(client, archivist):
    line = make_correspondence(direction="in", title="来文标题")
    html = text_of(signed_in(client, archivist).get(NEW, {"correspondence": line.pk}))
    assert "来文标题" not in html


@pytest.mark.parametrize("change, field, words", [
    ({"approval_papers": []}, "approval_papers", "approval papers"),
    ({"source": SimpleUploadedFile("扫描.png", make_image("PNG"))}, "source", "扫描.png"),
    ({"archive_number": "NO-SUCH-1"}, "archive_number", "NO-SUCH-1"),
    # The second paper is refused after the document and the first paper were stored: both go.
    ({"approval_papers": [uploaded_pdf("审批单.pdf", pages=1), SimpleUploadedFile("工具.exe", EXE)]}, "__all__", "工具.exe"),
    ({"title": ""}, "title", ""),
])
def test_r_ctrl_1_a_refused_registration_saves_nothing(client, archivist, private_storage, change, field, words):
    department = DepartmentFactory(code="SCB", name="市场部二处")
    response = signed_in(client, archivist).post(NEW, _data(department, **change))
    assert response.status_code == 200
    assert field in response.context["form"].errors and words in _errors(response)
    assert not ControlledDocument.objects.exists() and not DocumentPaper.objects.exists()
    assert stored_files(private_storage) == []


def test_the_head_and_staff_may_not_register(client, department_head, staff):
    department = DepartmentFactory(code="SCB", name="市场部二处")
    for user in (department_head, staff):
        signed_in(client, user)
        assert client.get(NEW).status_code == 403
        assert client.post(NEW, _data(department)).status_code == 403
    assert not ControlledDocument.objects.exists()
