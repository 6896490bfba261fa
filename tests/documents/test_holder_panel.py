"""The documents panel of the home page (documents.panels): every holder's
copies to sign for and recalled copies to hand back (R-CTRL-2, R-CTRL-5);
the archivist's lost copies awaiting a new one (R-CTRL-3), damage reports
(R-CTRL-4), outstanding recalls and documents ready to distribute; the
head's revisions to countersign (R-CTRL-6, never their own) and purge
lists to approve (R-CTRL-7, never their own). Shown only when something
waits; a fixed number of queries."""
import pytest
from django.utils import timezone

from documents.models import CopyState, DocumentState, PurgeState
from documents.panels import HOME_LIMIT
from tests.documents.holder_support import bulk_copies, make_purge, signed_in
from tests.documents.support import make_copy, make_document
from tests.factories import UserFactory
from tests.query_counts import queries_for

HOME = "/"

pytestmark = pytest.mark.usefixtures("private_storage")


def panel_of(client):
    response = client.get(HOME)
    assert response.status_code == 200
    page = response.content.decode()
    if 'data-panel="documents"' not in page:
        return None
    rest = page.split('data-panel="documents"')[1]
    # The panel's sections are one level deep: it ends at the first </section> not closing one of them.
    depth, position = 1, 0
    while depth:
        opening = rest.find("<section", position)
        closing = rest.find("</section>", position)
        if opening != -1 and opening < closing:
            depth, position = depth + 1, opening + 1
        else:
            depth, position = depth - 1, closing + 1
    return rest[:position]


def section(panel, name):
    if panel is None or f'data-section="{name}"' not in panel:
        return None
    return panel.split(f'data-section="{name}"')[1].split("</section>")[0]


@pytest.fixture
def document(db):
    return make_document(state=DocumentState.IN_FORCE)


def test_nothing_waiting_no_panel(client, staff, document):
    make_copy(document, recipient_user=staff, state=CopyState.SIGNED)
    make_copy(document, recipient_user=UserFactory(), state=CopyState.RECALLED)
    assert panel_of(signed_in(client, staff)) is None


def test_r_ctrl_2_copies_waiting_for_my_signature(client, staff, document):
    to_me = make_copy(document, recipient_user=staff)
    to_my_department = make_copy(document, recipient_department=staff.department)
    make_copy(document, recipient_user=UserFactory())
    panel = panel_of(signed_in(client, staff))
    waiting = section(panel, "to-sign")
    assert 'data-count="2"' in waiting
    assert to_me.control_number in waiting and to_my_department.control_number in waiting
    assert section(panel, "lost") is None and section(panel, "countersign") is None
    assert 'href="/documents/my-copies/"' in panel


def test_r_ctrl_5_recalled_copies_i_must_hand_back(client, staff, document):
    recalled = make_copy(document, recipient_user=staff, state=CopyState.RECALLED, holder=staff)
    to_return = section(panel_of(signed_in(client, staff)), "to-return")
    assert recalled.control_number in to_return and "Please return it to the archivist" in to_return


def test_the_archivists_sections(client, archivist, document):
    holder = UserFactory()
    lost = make_copy(document, recipient_user=holder, state=CopyState.LOST, lost_on=timezone.localdate())
    reissued = make_copy(document, recipient_user=holder, state=CopyState.LOST)
    make_copy(document, recipient_user=holder, replaces=reissued)
    damaged = make_copy(document, recipient_user=holder, state=CopyState.SIGNED, damage_reported_at=timezone.now())
    recalled = make_copy(document, recipient_user=holder, state=CopyState.RECALLED)
    ready = make_document(state=DocumentState.READY, title="待分发文件")
    make_document(state=DocumentState.VOID, title="作废文件")

    panel = panel_of(signed_in(client, archivist))

    assert 'data-count="1"' in section(panel, "lost") and lost.control_number in section(panel, "lost")
    assert reissued.control_number not in section(panel, "lost")  # R-CTRL-3: already has its new copy
    assert damaged.control_number in section(panel, "damaged")  # R-CTRL-4
    assert recalled.control_number in section(panel, "recalls")
    assert f'href="/documents/controlled/{ready.pk}/distribute/"' in section(panel, "to-distribute")
    assert "作废文件" not in panel
    assert 'href="/documents/"' in panel


def test_the_heads_sections_never_name_their_own_revision_or_purge(client, department_head, archivist):
    awaiting = {"state": DocumentState.AWAITING_COUNTERSIGN, "revision": 2, "pages": 1}
    revision = make_document(title="修订版", marked_by=archivist, **awaiting)
    own = make_document(title="自己提交的修订", marked_by=department_head, **awaiting)
    purge = make_purge(archivist, number="XH-2026-0001")
    own_purge = make_purge(department_head, number="XH-2026-0002")
    make_purge(archivist, number="XH-2026-0003", state=PurgeState.APPROVED)

    panel = panel_of(signed_in(client, department_head))

    countersign = section(panel, "countersign")
    assert f'href="/documents/controlled/{revision.pk}/countersign/"' in countersign
    assert f"/documents/controlled/{own.pk}/" not in countersign
    purges = section(panel, "purges")
    assert f'href="/documents/purges/{purge.pk}/"' in purges
    assert own_purge.number not in purges and "XH-2026-0003" not in purges


def test_staff_never_see_the_archivists_or_heads_sections(client, staff, archivist, document):
    make_copy(document, recipient_user=staff)
    make_copy(document, recipient_user=UserFactory(), state=CopyState.LOST)
    make_document(state=DocumentState.AWAITING_COUNTERSIGN, revision=2, marked_by=archivist)
    make_purge(archivist)
    panel = panel_of(signed_in(client, staff))
    assert section(panel, "to-sign") is not None
    others = ("lost", "damaged", "recalls", "to-distribute", "countersign", "purges")
    assert all(section(panel, name) is None for name in others)


def test_the_panel_names_a_few_and_counts_the_rest(client, staff, document):
    bulk_copies(document, HOME_LIMIT + 3, recipient_user=staff)
    waiting = section(panel_of(signed_in(client, staff)), "to-sign")
    assert f'data-count="{HOME_LIMIT + 3}"' in waiting and waiting.count("data-copy=") == HOME_LIMIT


@pytest.mark.parametrize("who", ["staff", "archivist", "department_head"])
def test_the_home_page_runs_the_same_queries_at_10_and_1000_copies(client, request, archivist, department_head, who):
    user = request.getfixturevalue(who)
    document = make_document(state=DocumentState.IN_FORCE)
    signed_in(client, user)

    def add(count):
        bulk_copies(document, count, recipient_user=user)
        bulk_copies(document, count, recipient_user=user, state=CopyState.RECALLED, holder=user)
        bulk_copies(document, count, recipient_user=UserFactory(), state=CopyState.LOST)

    # Something in every section (an empty one runs no query for its rows).
    add(10)
    make_document(state=DocumentState.AWAITING_COUNTERSIGN, revision=2, marked_by=archivist, pages=1)
    make_document(state=DocumentState.READY, marked_by=archivist, pages=1)
    make_copy(document, recipient_user=UserFactory(), state=CopyState.SIGNED, damage_reported_at=timezone.now())
    make_purge(archivist)
    client.get(HOME)  # the session and the user's permissions are read once
    small = queries_for(client, HOME)
    add(330)
    bulk_copies(document, 10, recipient_user=UserFactory(), state=CopyState.SIGNED, damage_reported_at=timezone.now())
    for _more in range(HOME_LIMIT):
        make_document(state=DocumentState.AWAITING_COUNTERSIGN, revision=2, marked_by=archivist, pages=1)
        make_document(state=DocumentState.READY, marked_by=archivist, pages=1)
    make_purge(archivist, number="XH-2026-0009")
    large = queries_for(client, HOME)
    assert small == large, (small, large)
