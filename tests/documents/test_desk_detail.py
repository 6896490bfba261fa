"""A controlled document's page (documents_document_detail): its facts,
approval and revision papers with downloads for the archivist and the
department head only (R-CTRL-1, R-CTRL-6), the revision chain, every
line of its distribution register (controlled number, recipient, holder,
signed for in the application or on paper, state, remark, downloads)
with the archivist's actions by the copy's state (R-CTRL-2..5), the
buttons by the document's state, and a query count that does not grow
with the copies."""
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from documents.models import CopyDownload, CopyState, DocumentState, PaperKind
from tests.disposal.views_support import signed_in as _signed_in
from tests.disposal.views_support import text_of
from tests.documents.support import make_copy, make_document, make_paper, role_user
from tests.factories import DepartmentFactory, UserFactory
from tests.query_counts import queries_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_storage")]


def signed_in(client, user):
    # The builders get the "archivist" user again, which sets its password anew.
    user.refresh_from_db()
    return _signed_in(client, user)


def page(document):
    return reverse("documents_document_detail", args=[document.pk])


def line(html, copy):
    return re.search(rf'<tr id="copy-{copy.pk}".*?</tr>', html, re.S).group(0)


def test_r_ctrl_2_every_copy_is_a_register_line_with_who_signed_and_how(client, archivist):
    document = make_document(title="合同审批规定", reference="市场发〔2026〕3号", state=DocumentState.IN_FORCE)
    reader = UserFactory(full_name="王五")
    in_app = make_copy(document, recipient_user=reader, state=CopyState.SIGNED)
    CopyDownload.objects.create(copy=in_app, by=reader)
    CopyDownload.objects.create(copy=in_app, by=reader)
    department = DepartmentFactory(code="CWB", name="财务部")
    signer = UserFactory(full_name="赵六", department=department)
    on_paper = make_copy(
        document, recipient_department=department, state=CopyState.SIGNED, holder=signer,
        signed_at=timezone.now(), signed_on_paper=True, signature_recorded_by=archivist,
    )
    html = text_of(signed_in(client, archivist).get(page(document)))
    assert "合同审批规定" in html and "市场发〔2026〕3号" in html and "In force" in html
    first = line(html, in_app)
    assert in_app.control_number in first and "王五" in first and "in the application" in first
    assert '<td class="num">2</td>' in first
    second = line(html, on_paper)
    assert "财务部" in second and "赵六" in second and "on paper, recorded by" in second
    assert '<td class="num">0</td>' in second
    assert f"/documents/registers/distribution/?document={document.pk}&amp;format=pdf" in html
    assert f"/documents/registers/distribution/?document={document.pk}&amp;format=xlsx" in html


def _actions(html, copy):
    return re.findall(r'(?:href|action)="([^"]+)"', line(html, copy).split('class="line-actions"')[1])


def test_r_ctrl_3_to_5_each_line_offers_what_its_state_allows(client, archivist):
    document = make_document(state=DocumentState.IN_FORCE)
    issued = make_copy(document)
    signed = make_copy(document, state=CopyState.SIGNED, damage_reported_at=timezone.now())
    lost = make_copy(document, state=CopyState.LOST, lost_on=timezone.localdate(), remark="2026-12-06 丢失")
    reissued = make_copy(document, state=CopyState.LOST)
    replacement = make_copy(document, replaces=reissued, recipient_user=reissued.recipient_user)
    recalled = make_copy(document, state=CopyState.RECALLED)
    returned = make_copy(document, state=CopyState.RETURNED)
    reference = make_copy(document, state=CopyState.REFERENCE)
    html = text_of(signed_in(client, archivist).get(page(document)))
    assert _actions(html, issued) == [
        reverse("documents_copy_paper_signature", args=[issued.pk]),
        f"/documents/copies/{issued.pk}/report/",
    ]
    # R-CTRL-4: replaced once reported damaged.
    assert _actions(html, signed) == [
        reverse("documents_copy_replace", args=[signed.pk]), f"/documents/copies/{signed.pk}/report/",
    ]
    assert "reported damaged" in line(html, signed)
    assert _actions(html, lost) == [reverse("documents_copy_reissue", args=[lost.pk])]
    assert "2026-12-06 丢失" in line(html, lost)
    assert _actions(html, reissued) == []
    assert replacement.control_number in line(html, reissued)
    assert _actions(html, recalled) == [f"/documents/copies/{recalled.pk}/return/"]
    assert _actions(html, returned) == [f"/documents/copies/{returned.pk}/destroy/", f"/documents/copies/{returned.pk}/keep/"]
    assert _actions(html, reference) == [f"/documents/copies/{reference.pk}/reference/"]
    assert f'action="/documents/controlled/{document.pk}/remind/"' in html
    assert reverse("documents_distribute", args=[document.pk]) in html
    assert f"/documents/controlled/{document.pk}/void/" in html
    assert f"/documents/controlled/{document.pk}/revise/" in html


@pytest.mark.parametrize("state, buttons", [
    (DocumentState.READY, {"distribute", "void", "revise"}),
    (DocumentState.IN_FORCE, {"distribute", "void", "revise"}),
    (DocumentState.AWAITING_COUNTERSIGN, set()),
    (DocumentState.VOID, set()),
    (DocumentState.LAPSED, set()),
    (DocumentState.SUPERSEDED, set()),
])
def test_r_ctrl_5_6_the_documents_buttons_follow_its_state(client, archivist, state, buttons):
    document = make_document(state=state)
    html = text_of(signed_in(client, archivist).get(page(document)))
    assert set(re.findall(r'data-action="(distribute|void|revise|remind)"', html)) == buttons


def test_r_ctrl_6_a_pending_revision_shows_in_the_chain_and_no_second_revise(client, archivist):
    first = make_document(title="第一版", state=DocumentState.IN_FORCE)
    second = make_document(
        title="第二版", state=DocumentState.AWAITING_COUNTERSIGN, supersedes=first, revision=2,
        revision_reason="条款调整", papers=0,
    )
    make_paper(second, name="修订说明.pdf", kind=PaperKind.REVISION)
    html = text_of(signed_in(client, archivist).get(page(first)))
    assert 'data-action="revise"' not in html
    assert f'data-revision="{first.pk}"' in html and page(second) in html
    html = text_of(client.get(page(second)))
    assert "修订说明.pdf" in html and "条款调整" in html and page(first) in html


def test_the_head_reads_the_page_and_the_papers_without_the_archivists_buttons(client, department_head):
    document = make_document(state=DocumentState.IN_FORCE)
    copy = make_copy(document)
    paper = document.papers.get()
    html = text_of(signed_in(client, department_head).get(page(document)))
    assert copy.control_number in html and reverse("documents_paper_download", args=[paper.pk]) in html
    assert "data-action" not in html and "line-actions" not in html
    response = client.get(reverse("documents_paper_download", args=[paper.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("role", [Role.STAFF, Role.OUTSIDE_STAFF, Role.LEADERSHIP])
def test_holders_and_others_may_not_read_the_page_or_the_papers(client, role):
    document = make_document(title="仅限档案员")
    copy = make_copy(document)
    user = role_user(role, f"reader-{role}")
    copy.recipient_user = user
    copy.save()
    signed_in(client, user)
    response = client.get(page(document))
    assert response.status_code == 403 and "仅限档案员" not in text_of(response)
    assert client.get(reverse("documents_paper_download", args=[document.papers.get().pk])).status_code == 403


def test_a_missing_paper_is_not_found(client, archivist):
    document = make_document()
    assert signed_in(client, archivist).get(reverse("documents_paper_download", args=[999999])).status_code == 404
    assert client.get(reverse("documents_document_detail", args=[document.pk + 1000])).status_code == 404


def test_the_page_runs_the_same_queries_whatever_the_number_of_copies(client, archivist):
    document = make_document(state=DocumentState.IN_FORCE)
    department = DepartmentFactory(code="XSB", name="销售部")

    def add(count):
        for n in range(count):
            copy = make_copy(document, state=[CopyState.SIGNED, CopyState.LOST, CopyState.RECALLED][n % 3])
            make_copy(document, recipient_department=department, state=CopyState.RETURNED)
            CopyDownload.objects.create(copy=copy, by=archivist)

    add(5)
    signed_in(client, archivist)
    queries_for(client, page(document))
    small = queries_for(client, page(document))
    add(60)
    assert queries_for(client, page(document)) == small
    assert small <= 14
