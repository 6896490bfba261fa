"""Races of the lifecycle services (R-CTRL-5, R-CTRL-7): two archivists at
the same moment, each on its own connection."""
import datetime

import pytest
from django.utils import timezone

from documents.exceptions import DocumentsRefused
from documents.models import ControlledCopy, CopyState, DocumentState, RegisterPurge
from documents.reasons import DocumentsReason
from documents.services import retention, voiding
from tests.concurrency import at_once
from tests.documents.support import archivist_user, make_copy, make_document

pytestmark = pytest.mark.django_db(transaction=True)


def _archivists():
    return archivist_user("archivist"), archivist_user("archivist2")


def test_r_ctrl_5_two_voids_at_once_recall_each_copy_once(private_storage):
    first, second = _archivists()
    document = make_document(state=DocumentState.IN_FORCE)
    copies = [make_copy(document, state=CopyState.SIGNED) for _ in range(3)]

    def void(by):
        return lambda outcomes: outcomes.attempt(
            lambda: voiding.document_void(document=document, by=by, reason="作废"), refusal=DocumentsRefused
        )

    outcomes = at_once([void(first), void(second)])
    assert outcomes.errors == [] and (len(outcomes.done), len(outcomes.refusals)) == (1, 1)
    for copy in copies:
        recalls = ControlledCopy.history.filter(id=copy.pk, history_change_reason=DocumentsReason.COPY_RECALLED)
        assert recalls.count() == 1


def test_r_ctrl_5_one_reference_copy_even_at_once(private_storage):
    first, second = _archivists()
    document = make_document(state=DocumentState.VOID, ended_at=timezone.now())
    copies = [make_copy(document, state=CopyState.RETURNED) for _ in range(2)]

    def keep(copy, by):
        return lambda outcomes: outcomes.attempt(
            lambda: voiding.copy_keep_for_reference(copy=copy, by=by), refusal=DocumentsRefused
        )

    outcomes = at_once([keep(copies[0], first), keep(copies[1], second)])
    assert outcomes.errors == [] and (len(outcomes.done), len(outcomes.refusals)) == (1, 1)
    assert ControlledCopy.objects.filter(document=document, state=CopyState.REFERENCE).count() == 1


def test_r_ctrl_7_a_line_proposed_once_even_at_once(private_storage):
    first, second = _archivists()
    long_ago = timezone.now() - datetime.timedelta(days=5 * 366)
    document = make_document(state=DocumentState.VOID, ended_at=long_ago)
    line = make_copy(document, state=CopyState.DESTROYED)

    def propose(by):
        return lambda outcomes: outcomes.attempt(
            lambda: retention.purge_propose(by=by, lines=[line]), refusal=DocumentsRefused
        )

    outcomes = at_once([propose(first), propose(second)])
    assert outcomes.errors == [] and (len(outcomes.done), len(outcomes.refusals)) == (1, 1)
    assert RegisterPurge.objects.count() == 1
    assert list(RegisterPurge.objects.get().proposed_lines.all()) == [line]
