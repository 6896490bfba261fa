"""Builders and readers for the disposal registers' tests
(tests/disposal/test_registers*.py).

TEST DATA: lists, items, destructions and witnesses are built with the
models directly (`make_list`, `on_list`, `executed`), not through
disposal.services (written at the same time as these tests): so that the
signatures and confirmations carry fixed moments, which the registers must
print in local time; destroyed records get their state by a queryset
update. The registers only read these rows. One test in test_registers.py
executes a list through the services and prints what they wrote."""
import datetime
import io
import re

import openpyxl
import pytest
from django.utils import timezone
from pypdf import PdfReader

from accounts.roles import Role
from disposal.models import Destruction, DestructionMethod, DisposalList, ItemAction, ListItem, ListKind, ListState, Witness
from records.models import Record, RecordStatus
from tests.conftest import make_user
from tests.factories import LocationFactory, category

UTC = datetime.timezone.utc
# 06:30 UTC is 14:30 in Asia/Shanghai: the registers print local time.
HEAD_SIGNED = datetime.datetime(2026, 3, 2, 6, 30, tzinfo=UTC)
LEADER_SIGNED = datetime.datetime(2026, 3, 4, 1, 5, tzinfo=UTC)
CONFIRMED = (datetime.datetime(2026, 3, 5, 7, 0, tzinfo=UTC), datetime.datetime(2026, 3, 5, 7, 20, tzinfo=UTC))
EXECUTED = datetime.datetime(2026, 3, 5, 8, 0, tzinfo=UTC)
DESTROYED_ON = datetime.date(2026, 3, 5)


# -- reading files -------------------------------------------------------------------


def pdf_pages(content):
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages]


def flat(text):
    """The text without white space: pypdf breaks Chinese at line ends."""
    return re.sub(r"\s+", "", text)


def pdf_text(content):
    return flat("\n".join(pdf_pages(content)))


def sheet_rows(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [tuple(value for value in row) for row in sheet.iter_rows(values_only=True)]


def cells(rows):
    return [str(value) for row in rows for value in row if value is not None]


# -- test data, built with the models (see the module docstring) -----------------------


def make_list(archivist, number, *, kind=ListKind.APPRAISAL, state=ListState.DRAFT, **fields):
    return DisposalList.objects.create(number=number, kind=kind, year=2024, state=state, drafted_by=archivist, **fields)


def on_list(disposal_list, record, action=ItemAction.DESTROY, **fields):
    return ListItem.objects.create(
        disposal_list=disposal_list,
        record=record,
        action=action,
        listed_status=record.status,
        listed_record_updated_at=record.updated_at,
        listed_at=timezone.now(),
        **fields,
    )


def signed(head, leader=None):
    fields = {"head_approved_by": head, "head_approved_at": HEAD_SIGNED}
    if leader is not None:
        fields.update(leadership_approved_by=leader, leadership_approved_at=LEADER_SIGNED)
    return fields


def executed(archivist, head, leader, number, records, *, witnesses, date=DESTROYED_ON, **destruction):
    """An executed appraisal list that destroyed `records`, with its
    destruction and two confirmed witnesses."""
    disposal_list = make_list(
        archivist, number, state=ListState.EXECUTED, executed_by=archivist, executed_at=EXECUTED, **signed(head, leader)
    )
    for record in records:
        on_list(disposal_list, record, carried_out_at=EXECUTED)
    Record.objects.filter(pk__in=[record.pk for record in records]).update(status=RecordStatus.DESTROYED)
    destruction = Destruction.objects.create(
        disposal_list=disposal_list, date=date, place=destruction.get("place", "档案室碎纸间"),
        method=destruction.get("method", DestructionMethod.SHREDDING), executor=archivist,
        recorded_by=archivist, recorded_at=EXECUTED,
    )
    for person, moment in zip(witnesses, CONFIRMED):
        Witness.objects.create(destruction=destruction, user=person, confirmed_at=moment)
    return disposal_list


@pytest.fixture
def people():
    return [make_user(Role.STAFF, "jianxiao_a"), make_user(Role.STAFF, "jianxiao_b")]


@pytest.fixture
def due(filed_record):
    """Records of 2000 kept 10 years, due at the 2024 appraisal: two
    contracts (HTDL), one client file (KHDL) kept 30 years."""
    room = LocationFactory(code="DR1", name="一号库房")
    return {
        "agency": filed_record(title="华东区代理商协议", year=2000, retention_years=10, location=room, copies=2),
        "outdoor": filed_record(title="户外广告牌制作合同", year=2000, retention_years=10),
        "client": filed_record(title="老客户资料汇编", category=category("KHDL"), year=1990, retention_years=30),
        "struck": filed_record(title="仍有纠纷的协议", year=2000, retention_years=10),
    }



@pytest.fixture
def report_list(archivist, department_head, leadership, due):
    disposal_list = make_list(
        archivist, "XH-2026-0001", state=ListState.LEADERSHIP_APPROVED,
        opinion="经鉴定，下列档案已失去保存价值，拟予销毁。", **signed(department_head, leadership),
    )
    on_list(disposal_list, due["agency"], opinion="合同已履行完毕")
    on_list(disposal_list, due["outdoor"], ItemAction.EXTEND, extend_years=5, reason="尚在质保期")
    on_list(disposal_list, due["client"])
    on_list(disposal_list, due["struck"], struck_off=True, struck_reason="仍有纠纷", struck_by=department_head,
            struck_at=HEAD_SIGNED)
    return disposal_list


@pytest.fixture
def executed_list(archivist, department_head, leadership, due, people):
    return executed(archivist, department_head, leadership, "XH-2026-0002", [due["agency"], due["client"]],
                    witnesses=people)


@pytest.fixture
def weeding(archivist, department_head, filed_record):
    disposal_list = make_list(archivist, "XH-2026-0003", kind=ListKind.WEEDING, state=ListState.EXECUTED,
                              **signed(department_head))
    kept = filed_record(title="重复的会议通知")
    struck = filed_record(title="唯一的签字原件")
    on_list(disposal_list, kept, ItemAction.WEED, reason="重复件，无保存价值", carried_out_at=HEAD_SIGNED)
    on_list(disposal_list, struck, ItemAction.WEED, reason="草稿", struck_off=True, struck_reason="有领导签字，需保留",
            struck_by=department_head, struck_at=HEAD_SIGNED)
    return disposal_list, kept, struck


@pytest.fixture
def two_destructions(archivist, department_head, leadership, due, people, filed_record):
    later = filed_record(title="二〇〇一年广告投放合同", year=2001, retention_years=10, category=category("HTHW"))
    executed(archivist, department_head, leadership, "XH-2025-0007", [due["client"]], witnesses=people,
             date=datetime.date(2025, 12, 20), method=DestructionMethod.SECURE_DELETION)
    executed(archivist, department_head, leadership, "XH-2026-0002", [due["agency"], later], witnesses=people)
    return later


