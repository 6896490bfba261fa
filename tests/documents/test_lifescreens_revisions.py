"""The revision screens (R-CTRL-6): the archivist submits a revision with
its new PDF and supporting papers; a void, lapsed or superseded document is
refused with the form shown again and nothing saved; the department head
reads the revision, its papers and what changed, and countersigns with a
note or refuses with a reason, never their own submission."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from documents.models import ControlledDocument, DocumentPaper, DocumentState, PaperKind
from tests.conftest import speak_english
from tests.documents.support import fresh, make_document, make_paper, uploaded_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(private_storage, archivist):
    return make_document(state=DocumentState.IN_FORCE, marked_by=archivist, title="价格管理办法")


def _revise(client, document, **overrides):
    data = {
        "reason": "价格区间调整",
        "source": uploaded_pdf("价格管理办法第2版.pdf", pages=2),
        "papers": [uploaded_pdf("修订申请.pdf", pages=1), uploaded_pdf("对照表.pdf", pages=1)],
        "title": "",
        "valid_until": "",
        **overrides,
    }
    return client.post(reverse("documents_revise", args=[document.pk]), data)


def test_a_revision_with_its_supporting_papers_waits_for_the_head_R_CTRL_6(client, archivist, document):
    client.force_login(archivist)
    speak_english(client)
    page = client.get(reverse("documents_revise", args=[document.pk])).content.decode()
    assert "Supporting papers" in page and "data-not-revisable" not in page
    response = _revise(client, document, title="价格管理办法（修订）")
    revision = ControlledDocument.objects.get(supersedes=document)
    assert response.status_code == 302 and response.url == f"/documents/controlled/{revision.pk}/"
    assert revision.state == DocumentState.AWAITING_COUNTERSIGN
    assert revision.revision == 2 and revision.title == "价格管理办法（修订）"
    assert revision.revision_reason == "价格区间调整" and revision.page_count == 2
    papers = revision.papers.filter(kind=PaperKind.REVISION).values_list("original_name", flat=True)
    assert sorted(papers) == sorted(["修订申请.pdf", "对照表.pdf"])
    assert fresh(document).state == DocumentState.IN_FORCE  # until the revision is distributed


def test_a_revision_without_supporting_papers_is_refused_and_nothing_saved_R_CTRL_6(client, archivist, document):
    client.force_login(archivist)
    before = ControlledDocument.objects.count(), DocumentPaper.objects.count()
    response = _revise(client, document, papers=[])
    assert response.status_code == 200
    assert response.context["form"].errors["papers"]
    assert (ControlledDocument.objects.count(), DocumentPaper.objects.count()) == before


def test_a_source_that_is_not_a_pdf_is_refused_naming_the_file(client, archivist, document):
    client.force_login(archivist)
    before = ControlledDocument.objects.count(), DocumentPaper.objects.count()
    response = _revise(client, document, source=SimpleUploadedFile("说明.txt", b"just text", "text/plain"))
    assert response.status_code == 200
    assert "说明.txt" in str(response.context["form"].errors["source"])
    assert (ControlledDocument.objects.count(), DocumentPaper.objects.count()) == before


@pytest.mark.parametrize("state", [DocumentState.VOID, DocumentState.LAPSED, DocumentState.SUPERSEDED])
def test_revising_a_document_no_longer_in_force_is_refused_R_CTRL_6(client, archivist, private_storage, state):
    document = make_document(state=state, marked_by=archivist, title="旧规定", ended_at=timezone.now())
    client.force_login(archivist)
    assert "data-not-revisable" in client.get(reverse("documents_revise", args=[document.pk])).content.decode()
    before = ControlledDocument.objects.count(), DocumentPaper.objects.count()
    response = _revise(client, document)
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert errors and "旧规定" in errors[0]
    page = response.content.decode()
    assert errors[0] in page and 'name="reason"' in page  # the form again, with the message
    assert (ControlledDocument.objects.count(), DocumentPaper.objects.count()) == before


def test_revising_is_refused_in_chinese(client, archivist, private_storage):
    from django.utils import translation

    document = make_document(state=DocumentState.VOID, marked_by=archivist, title="旧规定")
    client.force_login(archivist)
    response = _revise(client, document)
    with translation.override("zh-hans"):
        expected = str(translation.gettext("%(title)s is %(state)s: it cannot be revised any more.") % {
            "title": "旧规定", "state": DocumentState.VOID.label})
    assert response.context["form"].non_field_errors() == [expected]


@pytest.mark.parametrize("who", ["staff", "department_head"])
def test_only_the_archivist_submits_a_revision(client, request, document, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("documents_revise", args=[document.pk])).status_code == 403
    assert _revise(client, document).status_code == 403
    assert not ControlledDocument.objects.filter(supersedes=document).exists()


@pytest.fixture
def revision(document, archivist):
    revision = make_document(
        state=DocumentState.AWAITING_COUNTERSIGN, marked_by=archivist, supersedes=document, revision=2,
        title="价格管理办法（修订）", revision_reason="价格区间调整", papers=0,
        valid_until=timezone.localdate() + datetime.timedelta(days=365),
    )
    make_paper(revision, name="修订申请.pdf", kind=PaperKind.REVISION)
    return revision


def _countersign(client, revision, **data):
    return client.post(reverse("documents_countersign", args=[revision.pk]), data)


def test_the_head_reads_the_revision_its_papers_and_what_changed_R_CTRL_6(client, department_head, revision):
    paper = revision.papers.get()
    client.force_login(department_head)
    speak_english(client)
    page = client.get(reverse("documents_countersign", args=[revision.pk])).content.decode()
    assert f'href="/documents/papers/{paper.pk}/"' in page and "修订申请.pdf" in page
    assert "价格区间调整" in page
    assert "价格管理办法（修订）" in page and "价格管理办法" in page
    assert page.count("data-changed") == 2  # the title and the end date
    assert 'value="approve"' in page and 'value="refuse"' in page


def test_the_head_countersigns_with_a_note_R_CTRL_6(client, department_head, revision):
    client.force_login(department_head)
    response = _countersign(client, revision, decision="approve", note="同意修订")
    assert response.status_code == 302
    revision = fresh(revision)
    assert revision.state == DocumentState.READY
    assert revision.countersigned_by == department_head and revision.countersign_note == "同意修订"


def test_the_head_refuses_with_a_reason_R_CTRL_6(client, department_head, revision):
    client.force_login(department_head)
    response = _countersign(client, revision, decision="refuse", note="")
    assert response.status_code == 200 and response.context["form"].errors["note"]
    assert fresh(revision).state == DocumentState.AWAITING_COUNTERSIGN
    _countersign(client, revision, decision="refuse", note="依据不足")
    revision = fresh(revision)
    assert revision.state == DocumentState.COUNTERSIGN_REFUSED and revision.end_reason == "依据不足"


def test_the_head_never_countersigns_their_own_submission_R_CTRL_6(client, department_head, private_storage):
    document = make_document(state=DocumentState.IN_FORCE, marked_by=department_head)
    own = make_document(
        state=DocumentState.AWAITING_COUNTERSIGN, marked_by=department_head, supersedes=document, revision=2,
    )
    client.force_login(department_head)
    speak_english(client)
    page = client.get(reverse("documents_countersign", args=[own.pk])).content.decode()
    assert "Nobody countersigns a revision they submitted themselves." in page
    assert 'value="approve"' not in page
    response = _countersign(client, own, decision="approve", note="")
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert fresh(own).state == DocumentState.AWAITING_COUNTERSIGN and fresh(own).countersigned_by is None


def test_a_decided_revision_is_not_decided_again(client, department_head, revision):
    client.force_login(department_head)
    _countersign(client, revision, decision="approve", note="")
    response = _countersign(client, revision, decision="refuse", note="改主意")
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert fresh(revision).state == DocumentState.READY


@pytest.mark.parametrize("who", ["staff", "archivist"])
def test_only_the_head_countersigns(client, request, revision, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("documents_countersign", args=[revision.pk])).status_code == 403
    assert _countersign(client, revision, decision="approve").status_code == 403
    assert fresh(revision).state == DocumentState.AWAITING_COUNTERSIGN


def test_countersign_wrong_method(client, department_head, revision):
    client.force_login(department_head)
    assert client.put(reverse("documents_countersign", args=[revision.pk])).status_code == 405
    assert client.delete(reverse("documents_revise", args=[revision.pk])).status_code in (403, 405)
