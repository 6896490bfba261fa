"""My controlled copies (documents_my_copies): every active user sees the
copies addressed to them, or to their department and not yet signed for,
or signed for by them (R-CTRL-2), and nobody else's; recalled copies ask
to be handed back (R-CTRL-5), ended ones are greyed; a fixed number of
queries whatever the number of copies."""
import pytest
from django.urls import reverse

from accounts.roles import Role
from documents.models import CopyState, DocumentState
from tests.documents.holder_support import bulk_copies, make_purge, rows_of, signed_in
from tests.documents.support import make_copy, make_document, role_user
from tests.factories import DepartmentFactory, UserFactory, marketing_department
from tests.query_counts import queries_for

MINE = reverse("documents_my_copies")

pytestmark = pytest.mark.usefixtures("private_storage")


@pytest.fixture
def document(db):
    return make_document(state=DocumentState.IN_FORCE, reference="市场发〔2026〕12号")


def test_r_ctrl_2_my_copies_are_mine_my_departments_unsigned_and_those_i_signed(client, staff, document):
    colleague = UserFactory(department=staff.department)
    other_department = DepartmentFactory(code="CWB", name="财务部")
    to_me = make_copy(document, recipient_user=staff)
    to_my_department = make_copy(document, recipient_department=staff.department)
    signed_by_me = make_copy(document, recipient_department=staff.department, state=CopyState.SIGNED, holder=staff)
    signed_by_colleague = make_copy(
        document, recipient_department=staff.department, state=CopyState.SIGNED, holder=colleague
    )
    to_colleague = make_copy(document, recipient_user=colleague)
    to_other_department = make_copy(document, recipient_department=other_department)

    rows = rows_of(signed_in(client, staff).get(MINE).content.decode())

    assert set(rows) == {to_me.pk, to_my_department.pk, signed_by_me.pk}
    assert signed_by_colleague.pk not in rows and to_colleague.pk not in rows and to_other_department.pk not in rows
    assert to_me.control_number in rows[to_me.pk] and "市场活动管理规定" in rows[to_me.pk]


def test_r_ctrl_2_a_row_offers_signing_before_and_downloading_after(client, staff, document):
    unsigned = make_copy(document, recipient_user=staff)
    signed = make_copy(document, recipient_user=staff, state=CopyState.SIGNED)
    rows = rows_of(signed_in(client, staff).get(MINE).content.decode())

    assert reverse("documents_copy_sign", args=[unsigned.pk]) in rows[unsigned.pk]
    assert f"/documents/copies/{unsigned.pk}/download/" not in rows[unsigned.pk]
    assert f"/documents/copies/{signed.pk}/download/" in rows[signed.pk]
    assert reverse("documents_copy_sign", args=[signed.pk]) not in rows[signed.pk]
    assert reverse("documents_copy_report", args=[signed.pk]) in rows[signed.pk]
    # A department's copy is nobody's to report before a member signs for it (documents.policies.may_report).
    departments = make_copy(document, recipient_department=staff.department)
    row = rows_of(client.get(MINE).content.decode())[departments.pk]
    assert reverse("documents_copy_report", args=[departments.pk]) not in row
    assert reverse("documents_copy_sign", args=[departments.pk]) in row
    # Those waiting for a signature come first.
    assert list(rows) == [unsigned.pk, signed.pk]


def test_r_ctrl_5_a_recalled_copy_asks_above_the_list_and_on_its_row_to_be_handed_back(client, staff, document):
    # 请交回档案员 in Chinese (the po entry of "Please return it to the archivist").
    recalled = make_copy(document, recipient_user=staff, state=CopyState.RECALLED, holder=staff)
    page = signed_in(client, staff).get(MINE).content.decode()
    notice = page.split('class="notice notice--returned"')[1].split("</div>")[0]
    assert "Please return it to the archivist" in notice and 'data-to-return="1"' in page
    row = rows_of(page)[recalled.pk]
    assert "Please return it to the archivist" in row
    assert f"/documents/copies/{recalled.pk}/download/" not in row
    assert reverse("documents_copy_report", args=[recalled.pk]) not in row


@pytest.mark.parametrize("state", [CopyState.LAPSED, CopyState.DESTROYED, CopyState.RETURNED, CopyState.LOST])
def test_r_ctrl_5_ended_copies_are_greyed_and_offer_nothing(client, staff, document, state):
    ended = make_copy(document, recipient_user=staff, state=state, holder=staff)
    live = make_copy(document, recipient_user=staff, state=CopyState.SIGNED)
    rows = rows_of(signed_in(client, staff).get(MINE).content.decode())
    assert 'class="muted"' in rows[ended.pk] and 'class="muted"' not in rows[live.pk]
    assert "button" not in rows[ended.pk]


def test_r_ctrl_7_purged_lines_are_not_listed(client, staff, document, archivist):
    purge = make_purge(archivist)
    purged = make_copy(document, recipient_user=staff, state=CopyState.DESTROYED, purge=purge)
    kept = make_copy(document, recipient_user=staff, state=CopyState.SIGNED)
    rows = rows_of(signed_in(client, staff).get(MINE).content.decode())
    assert set(rows) == {kept.pk} and purged.pk not in rows


@pytest.mark.parametrize("role", [Role.STAFF, Role.OUTSIDE_STAFF, Role.LEADERSHIP, Role.SYSADMIN])
def test_every_signed_in_user_has_the_page_without_any_grant(client, db, role):
    user = role_user(role, f"holder-{role}")
    response = signed_in(client, user).get(MINE)
    assert response.status_code == 200
    assert "No controlled copies have been issued to you." in response.content.decode()


def test_the_list_is_paged(client, staff, document):
    bulk_copies(document, 25, recipient_user=staff)
    first = rows_of(signed_in(client, staff).get(MINE).content.decode())
    second = rows_of(client.get(MINE, {"page": 2}).content.decode())
    assert len(first) == 20 and len(second) == 5 and not set(first) & set(second)


@pytest.mark.parametrize("verb", ["post", "put", "delete"])
def test_the_list_takes_no_writes(client, staff, verb):
    assert getattr(signed_in(client, staff), verb)(MINE).status_code == 405


def test_my_copies_run_the_same_queries_at_10_and_1000_copies(client, staff, document):
    department = marketing_department()
    signed_in(client, staff)

    def grow_to(count):
        have = document.copies.count()
        per_kind = (count - have) // 4
        bulk_copies(document, per_kind, recipient_user=staff)
        bulk_copies(document, per_kind, recipient_department=department)
        bulk_copies(document, per_kind, recipient_user=staff, state=CopyState.SIGNED, holder=staff)
        bulk_copies(document, per_kind, recipient_user=staff, state=CopyState.RECALLED, holder=staff)

    grow_to(12)
    small = queries_for(client, MINE)
    grow_to(1000)
    large = queries_for(client, MINE)
    assert small == large, (small, large)
    assert document.copies.count() >= 990
