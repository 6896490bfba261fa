"""Disposal rows are evidence (R-DISP-3): never deleted, one by one or by
queryset; every model keeps history; a record is on one open item at most,
which the database guards too."""
import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from disposal.models import (
    Destruction,
    DisposalDeletionRefused,
    DisposalList,
    ItemAction,
    ListItem,
    Witness,
)
from tests.disposal.support import confirmed, due_record, draft, approved, witnesses


@pytest.fixture
def everything(archivist, department_head, leadership, filed_record):
    disposal_list = approved(archivist, department_head, leadership, [due_record(filed_record)])
    confirmed(disposal_list, archivist, witnesses())
    return disposal_list


@pytest.mark.parametrize("model", [DisposalList, ListItem, Destruction, Witness], ids=lambda m: m.__name__)
def test_r_disp_3_rows_are_never_deleted(model, everything):
    obj = model.objects.first()
    with pytest.raises(DisposalDeletionRefused):
        obj.delete()
    with pytest.raises(DisposalDeletionRefused):
        model.objects.all().delete()
    assert model.objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("model", [DisposalList, ListItem, Destruction, Witness], ids=lambda m: m.__name__)
def test_every_disposal_model_keeps_history_with_who(model, everything, archivist):
    obj = model.objects.first()
    assert obj.history.exists()
    assert obj.history.exclude(history_user=None).exists()


def test_r_disp_2_a_record_is_on_one_open_item_in_the_database_too(archivist, filed_record):
    record = due_record(filed_record)
    first = draft(archivist, [record])
    second = draft(archivist, [])
    now = timezone.now()
    fields = {
        "record": record, "action": ItemAction.DESTROY, "listed_status": record.status,
        "listed_record_updated_at": record.updated_at, "listed_at": now,
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        ListItem.objects.create(disposal_list=second, **fields)
    # Struck off, it is open no more: another list may take it.
    ListItem.objects.filter(disposal_list=first).update(struck_off=True)
    ListItem.objects.create(disposal_list=second, **fields)


def test_str_names_the_list_and_archive_number(archivist, filed_record):
    record = due_record(filed_record)
    disposal_list = draft(archivist, [record])
    assert str(disposal_list) == disposal_list.number
    assert str(disposal_list.items.get()) == f"{disposal_list.number} · {record.archive_number}"
