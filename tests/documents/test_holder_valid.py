"""The 受控文件清单 on screen (documents_valid_list): the controlled
documents in force, for every active user. Void, lapsed and superseded
documents are not listed, nor a time-limited one past its date even
before the daily job marks it lapsed (R-CTRL-5, R-CTRL-6); each with the
number of copies out; searched; a fixed number of queries."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.models import CopyState, DocumentState
from documents.selectors import valid_documents
from tests.documents.holder_support import bulk_copies, rows_of, signed_in
from tests.documents.support import make_copy, make_document
from tests.factories import DepartmentFactory
from tests.query_counts import queries_for

VALID = reverse("documents_valid_list")
TODAY = timezone.localdate()

pytestmark = pytest.mark.usefixtures("private_storage")


def _days(days):
    return TODAY + datetime.timedelta(days=days)


@pytest.mark.parametrize(
    "state, valid_until, listed",
    [
        (DocumentState.IN_FORCE, None, True),
        (DocumentState.IN_FORCE, _days(0), True),  # valid through its last day
        (DocumentState.IN_FORCE, _days(30), True),
        (DocumentState.IN_FORCE, _days(-1), False),  # past its date: lapsed even before the daily job
        (DocumentState.LAPSED, _days(-1), False),
        (DocumentState.VOID, None, False),
        (DocumentState.SUPERSEDED, None, False),
        (DocumentState.READY, None, False),  # not distributed yet
        (DocumentState.AWAITING_COUNTERSIGN, None, False),
    ],
)
def test_r_ctrl_5_the_list_holds_only_the_documents_in_force(client, staff, state, valid_until, listed):
    document = make_document(state=state, valid_until=valid_until, title="受控清单测试")
    rows = rows_of(signed_in(client, staff).get(VALID).content.decode())
    assert (document.pk in rows) is listed
    assert (document in valid_documents(TODAY)) is listed


def test_r_ctrl_6_only_the_revision_in_force_is_listed(client, staff):
    first = make_document(state=DocumentState.SUPERSEDED, title="价格管理办法")
    second = make_document(state=DocumentState.IN_FORCE, title="价格管理办法", revision=2, supersedes=first)
    rows = rows_of(signed_in(client, staff).get(VALID).content.decode())
    assert list(rows) == [second.pk]
    assert "<td class=\"nowrap\">2</td>" in rows[second.pk]


def test_each_document_shows_its_number_department_end_date_and_copies_out(client, staff):
    department = DepartmentFactory(code="XSB", name="销售部")
    document = make_document(
        state=DocumentState.IN_FORCE, reference="市场发〔2026〕7号", drafting_department=department,
        valid_until=_days(10),
    )
    make_copy(document, recipient_user=staff, state=CopyState.SIGNED)
    make_copy(document, recipient_department=department)
    for state in (CopyState.LOST, CopyState.DESTROYED, CopyState.RECALLED):
        make_copy(document, recipient_user=staff, state=state)
    row = rows_of(signed_in(client, staff).get(VALID).content.decode())[document.pk]
    assert f"{document.year}-{document.serial:03d}" in row
    assert "市场发〔2026〕7号" in row and "销售部" in row and _days(10).isoformat() in row
    assert 'data-copies-out="2"' in row


def test_a_document_without_end_date_says_so(client, staff):
    document = make_document(state=DocumentState.IN_FORCE)
    row = rows_of(signed_in(client, staff).get(VALID).content.decode())[document.pk]
    assert "Until revised or voided" in row


@pytest.mark.parametrize("query", ["价格", "市场发〔2026〕9", "销售"])
def test_the_list_is_searched_by_title_document_number_or_department(client, staff, query):
    wanted = make_document(
        state=DocumentState.IN_FORCE, title="价格管理办法", reference="市场发〔2026〕9号",
        drafting_department=DepartmentFactory(code="XSB", name="销售部"),
    )
    other = make_document(state=DocumentState.IN_FORCE, title="活动管理规定", reference="市场发〔2026〕3号")
    rows = rows_of(signed_in(client, staff).get(VALID, {"q": query}).content.decode())
    assert wanted.pk in rows and other.pk not in rows


def test_the_page_links_to_the_register_as_pdf_and_excel(client, staff):
    page = signed_in(client, staff).get(VALID).content.decode()
    assert 'href="/documents/registers/valid/?format=pdf"' in page
    assert 'href="/documents/registers/valid/?format=xlsx"' in page


def test_the_list_is_paged(client, staff):
    for number in range(21):
        make_document(state=DocumentState.IN_FORCE, title=f"受控文件{number}", pages=1)
    first = rows_of(signed_in(client, staff).get(VALID).content.decode())
    second = rows_of(client.get(VALID, {"page": 2}).content.decode())
    assert len(first) == 20 and len(second) == 1


def test_the_list_takes_no_writes(client, staff):
    assert signed_in(client, staff).post(VALID).status_code == 405


def test_the_list_runs_the_same_queries_at_10_and_1000_copies_out(client, staff):
    documents = [make_document(state=DocumentState.IN_FORCE, title=f"受控{number}", pages=1) for number in range(3)]
    signed_in(client, staff)
    for document in documents:
        bulk_copies(document, 4, recipient_user=staff, state=CopyState.SIGNED, holder=staff)
    small = queries_for(client, VALID)
    for document in documents:
        bulk_copies(document, 330, recipient_user=staff, state=CopyState.SIGNED, holder=staff)
    more = [make_document(state=DocumentState.IN_FORCE, title=f"新增{number}", pages=1) for number in range(3)]
    large = queries_for(client, VALID)
    assert small == large, (small, large)
    assert 'data-copies-out="334"' in client.get(VALID).content.decode()
    assert len(more) == 3
