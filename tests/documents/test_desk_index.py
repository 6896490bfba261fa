"""The distribution desk (documents_desk): controlled documents by state
with their counts (a time-limited document past its date counts as ended
before the daily job marks it, R-CTRL-5), search by title, document
number or a copy's controlled number, pagination, what waits for the
archivist (lost copies to reissue R-CTRL-3, damaged copies R-CTRL-4,
outstanding recalls R-CTRL-5, revisions awaiting countersignature
R-CTRL-6), who may read it, and a query count that does not grow."""
import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.models import ControlledDocument, CopyState, DocumentState
from tests.disposal.views_support import signed_in as _signed_in
from tests.disposal.views_support import text_of
from tests.documents.support import make_copy, make_document
from tests.query_counts import queries_for

DESK = reverse("documents_desk")
TODAY = timezone.localdate()

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_storage")]


def signed_in(client, user):
    # The builders get the "archivist" user again, which sets its password anew.
    user.refresh_from_db()
    return _signed_in(client, user)


def _count(html, name):
    return int(re.search(rf'data-count="{name}">(\d+)<', html).group(1))


def _group_count(html, group):
    return int(re.search(rf'data-group="{group}"[^>]*>[^<]*<span class="nav-count[^"]*">(\d+)<', html).group(1))


def _listed(html):
    return [int(pk) for pk in re.findall(r'<tr data-document="(\d+)"', html)]


def test_r_ctrl_1_the_desk_groups_documents_by_state_with_counts(client, archivist):
    ready = make_document(title="待发文件")
    in_force = make_document(title="现行文件", state=DocumentState.IN_FORCE)
    past_date = make_document(title="到期文件", state=DocumentState.IN_FORCE, valid_until=TODAY - datetime.timedelta(days=1))
    awaiting = make_document(title="待会签修订", state=DocumentState.AWAITING_COUNTERSIGN)
    void = make_document(title="作废文件", state=DocumentState.VOID)
    html = text_of(signed_in(client, archivist).get(DESK))
    counts = {group: _group_count(html, group) for group in ("all", "ready", "in_force", "awaiting", "ended")}
    assert counts == {"all": 5, "ready": 1, "in_force": 1, "awaiting": 1, "ended": 2}
    assert sorted(_listed(html)) == sorted(d.pk for d in (ready, in_force, past_date, awaiting, void))
    assert _listed(text_of(client.get(DESK, {"show": "in_force"}))) == [in_force.pk]
    ended = text_of(client.get(DESK, {"show": "ended"}))
    assert sorted(_listed(ended)) == sorted([past_date.pk, void.pk])
    # R-CTRL-5: past its date it reads lapsed although the job has not run yet.
    row = re.search(rf'<tr data-document="{past_date.pk}".*?</tr>', ended, re.S).group(0)
    assert 'data-state="lapsed"' in row and "Lapsed" in row
    assert "Awaiting countersignature" in html and "Ready to distribute" in html
    assert "awaiting_countersign" not in re.sub(r"<[^>]*>", "", html)  # no state codes shown


def test_the_desk_finds_a_document_by_title_number_or_a_copys_controlled_number(client, archivist):
    wanted = make_document(title="价格管理办法", reference="市场发〔2026〕7号")
    other = make_document(title="印章管理规定")
    copy = make_copy(other)
    signed_in(client, archivist)
    assert _listed(text_of(client.get(DESK, {"q": "价格"}))) == [wanted.pk]
    assert _listed(text_of(client.get(DESK, {"q": "〔2026〕7号"}))) == [wanted.pk]
    assert _listed(text_of(client.get(DESK, {"q": copy.control_number}))) == [other.pk]
    html = text_of(client.get(DESK, {"q": "没有这个"}))
    assert _listed(html) == [] and "No controlled documents found." in html


def test_the_desk_pages_its_list(client, archivist):
    documents = [make_document(title=f"文件{n:02d}", pages=1, papers=0) for n in range(23)]
    signed_in(client, archivist)
    first = _listed(text_of(client.get(DESK)))
    second = _listed(text_of(client.get(DESK, {"page": 2})))
    assert len(first) == 20 and len(second) == 3
    assert sorted(first + second) == sorted(d.pk for d in documents)
    assert first[0] == documents[-1].pk  # newest first


def test_what_waits_for_the_archivist(client, archivist):
    document = make_document(state=DocumentState.IN_FORCE)
    lost = make_copy(document, state=CopyState.LOST, lost_on=TODAY)
    reissued = make_copy(document, state=CopyState.LOST, lost_on=TODAY)
    make_copy(document, replaces=reissued)
    damaged = make_copy(document, state=CopyState.SIGNED, damage_reported_at=timezone.now())
    void = make_document(state=DocumentState.VOID)
    make_copy(void, state=CopyState.RECALLED)
    make_copy(void, state=CopyState.RECALLED)
    make_copy(void, state=CopyState.LOST)  # a lost copy of a void document is never reissued
    revision = make_document(title="修订稿", state=DocumentState.AWAITING_COUNTERSIGN, supersedes=document, revision=2)
    html = text_of(signed_in(client, archivist).get(DESK))
    assert (_count(html, "lost"), _count(html, "damaged"), _count(html, "recalled"), _count(html, "awaiting")) == (1, 1, 2, 1)
    lost_section = re.search(r'data-section="lost".*?</section>', html, re.S).group(0)
    assert lost.control_number in lost_section and reissued.control_number not in lost_section
    assert damaged.control_number in re.search(r'data-section="damaged".*?</section>', html, re.S).group(0)
    assert f'data-document="{revision.pk}"' in re.search(r'data-section="awaiting".*?</section>', html, re.S).group(0)
    assert 'href="/documents/recalls/"' in html
    assert reverse("documents_document_new") in html


def test_the_head_reads_the_desk_without_the_archivists_button(client, department_head):
    make_document(title="部门文件")
    html = text_of(signed_in(client, department_head).get(DESK))
    assert "部门文件" in html
    assert reverse("documents_document_new") not in html


@pytest.mark.parametrize("role", ["staff", "outside_staff", "leadership"])
def test_others_may_not_open_the_desk(client, request, role):
    make_document(title="不给看")
    response = signed_in(client, request.getfixturevalue(role)).get(DESK)
    assert response.status_code == 403 and "不给看" not in text_of(response)


def test_the_desk_takes_no_post(client, archivist):
    assert signed_in(client, archivist).post(DESK).status_code == 405


def _fill(document, size, start):
    """`size` documents in force (bulk, no history: not under test) and,
    per ten of them, a lost and a recalled copy of `document`."""
    ControlledDocument.objects.bulk_create([
        ControlledDocument(
            year=document.year, serial=1000 + start + n, title=f"批量{n}", drafting_department=document.drafting_department,
            state=DocumentState.IN_FORCE, source_file=document.source_file.name, source_name="x.pdf",
            sha256=document.sha256, page_count=1, marked_by=document.marked_by, marked_at=document.marked_at,
        )
        for n in range(size)
    ])
    for _n in range(size // 10):
        make_copy(document, state=CopyState.LOST, lost_on=TODAY)
        make_copy(document, state=CopyState.RECALLED)


def test_the_desk_runs_the_same_queries_at_any_size(client, archivist):
    document = make_document(state=DocumentState.IN_FORCE, papers=0, pages=1)
    make_document(state=DocumentState.AWAITING_COUNTERSIGN, supersedes=document, revision=2, papers=0, pages=1)
    _fill(document, 10, 0)
    signed_in(client, archivist)
    queries_for(client, DESK)  # warm: the session, the user's permissions
    small = queries_for(client, DESK), queries_for(client, f"{DESK}?show=in_force&q=批量")
    _fill(document, 290, 10)
    large = queries_for(client, DESK), queries_for(client, f"{DESK}?show=in_force&q=批量")
    assert small == large
    assert large[0] <= 14, large
