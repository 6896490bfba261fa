"""Builders for the disposal tests: due records, lists at each step, and a
snapshot of everything a refused step must leave as it was."""
import datetime
import hashlib

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import Notice
from accounts.roles import Role
from disposal import services
from disposal.exceptions import DisposalRefused
from disposal.models import (
    Destruction,
    DestructionMethod,
    DisposalList,
    ItemAction,
    ListCounter,
    ListItem,
    ListKind,
    Witness,
)
from records.models import Attachment, Hold, Record
from tests.conftest import make_user

# Records of 2000 kept 10 years: their retention ended on 31 December 2010,
# so they are due on a list of 2024 and may be destroyed today.
DUE = {"year": 2000, "retention_years": 10}
YEAR = 2024


def due_record(filed_record, **kwargs):
    return filed_record(**{**DUE, **kwargs})


def with_file(record, uploaded_by, text=b"disposal test file"):
    return Attachment.objects.create(
        record=record,
        file=ContentFile(text, name="file.txt"),
        original_name="清册附件.txt",
        size=len(text),
        content_type="text/plain",
        sha256=hashlib.sha256(text).hexdigest(),
        uploaded_by=uploaded_by,
        extracted_text="可检索的附件内容",
    )


def draft(archivist, records, *, kind=ListKind.APPRAISAL, year=YEAR, action=ItemAction.DESTROY, **proposal):
    disposal_list = services.list_create(kind=kind, year=year, by=archivist)
    if kind == ListKind.WEEDING:
        action = None
        proposal.setdefault("reason", "无保存价值")
    if records:
        services.list_add_items(disposal_list=disposal_list, records=records, by=archivist, action=action, **proposal)
    return fresh(disposal_list)


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def submitted(archivist, records, **kwargs):
    disposal_list = draft(archivist, records, **kwargs)
    return services.list_submit(disposal_list=disposal_list, by=archivist)


def head_approved(archivist, head, records, **kwargs):
    disposal_list = submitted(archivist, records, **kwargs)
    return services.list_approve(disposal_list=disposal_list, by=head)


def approved(archivist, head, leader, records, **kwargs):
    disposal_list = head_approved(archivist, head, records, **kwargs)
    return services.list_approve(disposal_list=disposal_list, by=leader)


def witnesses(*names):
    return [make_user(Role.STAFF, name) for name in names or ("witness_a", "witness_b")]


def record_destruction(disposal_list, archivist, people, *, executor=None, **facts):
    facts = {
        "date": timezone.localdate(),
        "place": "档案室碎纸间",
        "method": DestructionMethod.SHREDDING,
        **facts,
    }
    return services.destruction_record(
        disposal_list=disposal_list, by=archivist, executor=executor or archivist, witnesses=people, **facts
    )


def confirmed(disposal_list, archivist, people):
    destruction = record_destruction(disposal_list, archivist, people)
    for witness in destruction.witnesses.filter(replaced_at__isnull=True):
        services.witness_confirm(witness=witness, by=witness.user)
    return destruction


def state():
    """Everything a refused step must leave as it was: the disposal rows,
    the records' state and retention, their files, holds, every history
    table's size, notices and the counters."""
    return {
        "lists": list(DisposalList.objects.order_by("pk").values()),
        "items": list(ListItem.objects.order_by("pk").values()),
        "destructions": list(Destruction.objects.order_by("pk").values()),
        "witnesses": list(Witness.objects.order_by("pk").values()),
        "counters": list(ListCounter.objects.order_by("pk").values()),
        "records": list(
            Record.objects.order_by("pk").values(
                "pk", "status", "updated_at", "retention_years", "retention_extended_years", "retention_expires_on"
            )
        ),
        "attachments": list(Attachment.objects.order_by("pk").values("pk", "destroyed_at", "extracted_text", "file")),
        "holds": Hold.objects.count(),
        "history": {
            model.__name__: model.history.count()
            for model in (DisposalList, ListItem, Destruction, Witness, Record, Attachment)
        },
        "notices": Notice.objects.count(),
        # Mail is a task queued in the step's transaction (core.mail): none
        # is left behind by a refused step.
        "mail": DBTaskResult.objects.count(),
    }


def refused(match, call, **kwargs):
    """Call a service that must refuse with `match` and change nothing."""
    before = state()
    with pytest.raises(DisposalRefused, match=match) as raised:
        call(**kwargs)
    assert state() == before
    return raised.value


def yesterday():
    return timezone.localdate() - datetime.timedelta(days=1)
