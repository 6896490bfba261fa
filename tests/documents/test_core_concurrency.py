"""Two archivists distributing the same document at the same moment, each
on their own database connection: no controlled number twice, none
skipped (R-CTRL-2); a lost copy reissued by two at once gets one new copy
(R-CTRL-3)."""
import pytest

from accounts.roles import Role
from documents.exceptions import DocumentsRefused
from documents.models import ControlledCopy, CopyState, DocumentState
from documents.services.copies import copy_reissue_lost
from documents.services.distribution import copies_distribute
from tests.concurrency import at_once
from tests.documents.support import make_copy, make_document, role_user
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_r_ctrl_2_two_distributors_at_once_give_no_duplicate_and_no_gap(archivist, private_storage):
    second_archivist = role_user(Role.ARCHIVIST, "archivist2")
    document = make_document()
    people = [UserFactory() for _ in range(6)]

    def distributor(by, recipients):
        def distribute(outcomes):
            for recipient in recipients:
                outcomes.attempt(
                    lambda: copies_distribute(document=document, by=by, recipients=[(recipient, 2)]),
                    refusal=DocumentsRefused,
                )

        return distribute

    outcomes = at_once([distributor(archivist, people[:3]), distributor(second_archivist, people[3:])])
    assert outcomes.errors == [] and outcomes.refusals == []
    numbers = list(ControlledCopy.objects.order_by("copy_number").values_list("copy_number", "control_number"))
    prefix = f"SK-{document.year}-{document.serial:03d}"
    assert numbers == [(n, f"{prefix}-{n:02d}") for n in range(1, 13)]
    document.refresh_from_db()
    assert (document.last_copy_number, document.state) == (12, DocumentState.IN_FORCE)


def test_r_ctrl_3_a_lost_copy_reissued_by_two_at_once_gets_one_new_copy(archivist, staff, private_storage):
    second_archivist = role_user(Role.ARCHIVIST, "archivist2")
    lost = make_copy(make_document(state=DocumentState.IN_FORCE), recipient_user=staff, state=CopyState.LOST)

    def reissuer(by):
        return lambda outcomes: outcomes.attempt(lambda: copy_reissue_lost(copy=lost, by=by), refusal=DocumentsRefused)

    outcomes = at_once([reissuer(archivist), reissuer(second_archivist)])
    assert outcomes.errors == []
    assert len(outcomes.done) == 1 and len(outcomes.refusals) == 1
    assert "already issued" in outcomes.refusals[0]
    assert ControlledCopy.objects.filter(replaces=lost).count() == 1
    assert sorted(ControlledCopy.objects.values_list("copy_number", flat=True)) == [1, 2]
