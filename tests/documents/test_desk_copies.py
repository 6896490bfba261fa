"""What the archivist does to one copy from its document's page, each
behind a confirmation page: record a paper signature by the addressed
person or a member of the addressed department (R-CTRL-2), issue a new
copy under a new number for a lost one (R-CTRL-3), replace a damaged one
under the same number on the same line (R-CTRL-4). Refusals change
nothing; only the archivist."""
import pytest
from django.urls import reverse
from django.utils import timezone

from documents.models import ControlledCopy, CopyState, DocumentState
from tests.disposal.views_support import shown_messages, text_of
from tests.disposal.views_support import signed_in as _signed_in
from tests.documents.support import fresh, make_copy, make_document
from tests.factories import DepartmentFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_storage")]


def signed_in(client, user):
    # The builders get the "archivist" user again, which sets its password anew.
    user.refresh_from_db()
    return _signed_in(client, user)


def url(name, copy):
    return reverse(name, args=[copy.pk])


def back(copy):
    return f"{reverse('documents_document_detail', args=[copy.document_id])}#copy-{copy.pk}"


@pytest.fixture
def document():
    return make_document(state=DocumentState.IN_FORCE)


def test_r_ctrl_2_a_paper_signature_by_a_member_of_the_addressed_department(client, archivist, document):
    sales = DepartmentFactory(code="XSB", name="销售部")
    signer = UserFactory(full_name="销售甲", department=sales)
    UserFactory(full_name="离职乙", department=sales, is_active=False)
    UserFactory(full_name="外人丙")
    copy = make_copy(document, recipient_department=sales)
    page = text_of(signed_in(client, archivist).get(url("documents_copy_paper_signature", copy)))
    assert "销售甲" in page and "离职乙" not in page and "外人丙" not in page
    assert copy.control_number in page
    response = client.post(url("documents_copy_paper_signature", copy), {"signer": signer.pk})
    assert response.status_code == 302 and response.url == back(copy)
    copy = fresh(copy)
    assert (copy.state, copy.holder, copy.signed_on_paper, copy.signature_recorded_by) == (
        CopyState.SIGNED, signer, True, archivist)
    assert copy.signed_at is not None


def test_r_ctrl_2_only_the_addressed_person_signs_for_a_personal_copy(client, archivist, document):
    person = UserFactory(full_name="收件人")
    other = UserFactory(full_name="旁人")
    copy = make_copy(document, recipient_user=person)
    page = text_of(signed_in(client, archivist).get(url("documents_copy_paper_signature", copy)))
    assert "收件人" in page and "旁人" not in page
    response = client.post(url("documents_copy_paper_signature", copy), {"signer": other.pk})
    assert response.status_code == 200 and "Select a valid choice" in text_of(response)
    assert fresh(copy).state == CopyState.ISSUED and fresh(copy).holder is None


def test_a_signed_copy_is_not_signed_again(client, archivist, document):
    copy = make_copy(document, state=CopyState.SIGNED)
    signed_in(client, archivist)
    response = client.get(url("documents_copy_paper_signature", copy))
    assert response.status_code == 302 and any("not waiting for a signature" in m for m in shown_messages(client, response))
    response = client.post(url("documents_copy_paper_signature", copy), {"signer": copy.recipient_user_id})
    assert response.status_code == 200 and fresh(copy).signed_on_paper is False


def test_r_ctrl_3_a_lost_copy_gets_a_new_number_on_a_new_line(client, archivist, document):
    person = UserFactory(full_name="丢失人")
    lost = make_copy(document, recipient_user=person, state=CopyState.LOST, lost_on=timezone.localdate())
    make_copy(document)
    page = text_of(signed_in(client, archivist).get(url("documents_copy_reissue", lost)))
    assert lost.control_number in page and "new controlled number" in page
    assert ControlledCopy.objects.count() == 2  # the page changed nothing
    response = client.post(url("documents_copy_reissue", lost))
    assert response.status_code == 302 and response.url == back(lost)
    new = ControlledCopy.objects.get(replaces=lost)
    assert new.copy_number == 3 and new.recipient_user == person and new.state == CopyState.ISSUED
    assert new.control_number in fresh(lost).remark and lost.control_number in new.remark
    assert any(new.control_number in m for m in shown_messages(client, response))
    # Once only.
    assert client.get(url("documents_copy_reissue", lost)).status_code == 302
    client.post(url("documents_copy_reissue", lost))
    assert ControlledCopy.objects.count() == 3


def test_r_ctrl_3_no_new_copy_of_a_void_document(client, archivist):
    void = make_document(state=DocumentState.VOID)
    lost = make_copy(void, state=CopyState.LOST)
    signed_in(client, archivist)
    assert client.get(url("documents_copy_reissue", lost)).status_code == 302
    response = client.post(url("documents_copy_reissue", lost))
    assert response.status_code == 302 and ControlledCopy.objects.count() == 1
    assert any("no copies can be issued" in m for m in shown_messages(client, response))


def test_r_ctrl_4_a_damaged_copy_is_replaced_under_the_same_number(client, archivist, document):
    copy = make_copy(document, state=CopyState.SIGNED, damage_reported_at=timezone.now())
    page = text_of(signed_in(client, archivist).get(url("documents_copy_replace", copy)))
    assert copy.control_number in page and "same controlled number" in page
    response = client.post(url("documents_copy_replace", copy), {"note": "水渍"})
    assert response.status_code == 302 and response.url == back(copy)
    copy = fresh(copy)
    assert ControlledCopy.objects.count() == 1  # no new line
    assert (copy.times_replaced, copy.damage_reported_at, copy.state) == (1, None, CopyState.SIGNED)
    assert "水渍" in copy.remark


def test_r_ctrl_4_a_recalled_copy_is_not_replaced(client, archivist, document):
    copy = make_copy(document, state=CopyState.RECALLED)
    signed_in(client, archivist)
    assert client.get(url("documents_copy_replace", copy)).status_code == 302
    response = client.post(url("documents_copy_replace", copy), {"note": ""})
    assert response.status_code == 302 and fresh(copy).times_replaced == 0
    assert any("cannot be replaced" in m for m in shown_messages(client, response))


@pytest.mark.parametrize("name, body", [
    ("documents_copy_paper_signature", "signer"),
    ("documents_copy_reissue", None),
    ("documents_copy_replace", None),
])
def test_only_the_archivist_acts_on_a_copy(client, department_head, staff, document, name, body):
    copy = make_copy(document, state=CopyState.LOST if name == "documents_copy_reissue" else CopyState.ISSUED)
    for user in (department_head, staff, copy.recipient_user):
        signed_in(client, user)
        assert client.get(url(name, copy)).status_code == 403
        assert client.post(url(name, copy), {"signer": copy.recipient_user_id, "note": "x"}).status_code == 403
    copy_now = fresh(copy)
    assert (copy_now.state, copy_now.remark, copy_now.times_replaced) == (copy.state, "", 0)
    assert ControlledCopy.objects.count() == 1
