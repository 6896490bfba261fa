"""A distribution register world for the registers' tests
(tests/documents/test_registers_*.py), built through the ORM
(tests/documents/support.py), and readers of the files they print."""
import datetime
import io
import re

import openpyxl
from django.utils import timezone
from pypdf import PdfReader

from documents.models import CopyState, DocumentState, PurgeState, RegisterPurge
from tests.documents.support import make_copy, make_document
from tests.factories import UserFactory, marketing_department

TODAY = timezone.localdate()
YEAR = TODAY.year


def pdf_pages(content):
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages]


def pdf_text(content):
    """The PDF's text without white space: pypdf breaks Chinese at line ends."""
    return re.sub(r"\s+", "", "\n".join(pdf_pages(content)))


def flat(text):
    return "".join(str(text).split())


def sheet_rows(content):
    return [tuple(row) for row in openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]


def cells(rows):
    return [str(value) for row in rows for value in row if value is not None]


def in_force(**overrides):
    fields = {"title": "市场推广费用管理规定", "reference": "市场发〔2026〕3号", "state": DocumentState.IN_FORCE,
              "distributed_at": timezone.now(), **overrides}
    return make_document(**fields)


def distributed(archivist, department_head, staff):
    """A document in force with five lines: signed in the application by
    `staff`; addressed to the marketing department and signed on paper by
    the head; lost (丢失 and the day) and reissued on a new line under a new
    number (R-CTRL-3); replaced after damage under the same number
    (R-CTRL-4)."""
    document = in_force(marked_by=archivist)
    now = timezone.now()
    lines = {
        "signed": make_copy(document, recipient_user=staff, state=CopyState.SIGNED, issued_by=archivist),
        "department": make_copy(
            document, recipient_department=marketing_department(), state=CopyState.SIGNED, holder=department_head,
            signed_at=now, signed_on_paper=True, signature_recorded_by=archivist, issued_by=archivist,
        ),
    }
    loser = UserFactory(username="zhaomin", full_name="赵敏")
    lost = make_copy(document, recipient_user=loser, state=CopyState.LOST, lost_on=TODAY, issued_by=archivist)
    reissued = make_copy(document, recipient_user=loser, replaces=lost, issued_by=archivist,
                         remark=f"{TODAY.isoformat()} 补发，原受控号 {lost.control_number}")
    lost.remark = f"{TODAY.isoformat()} 丢失，换发 {reissued.control_number}"
    lost.save()
    damaged = make_copy(document, recipient_user=UserFactory(username="sunhao", full_name="孙浩"),
                        state=CopyState.SIGNED, times_replaced=1, issued_by=archivist,
                        remark=f"{TODAY.isoformat()} 破损，原件已销毁，同号换发")
    lines.update(lost=lost, reissued=reissued, damaged=damaged)
    return document, lines


def purged(archivist, department_head, *, lines=2):
    """A document voided four years ago whose `lines` destroyed copies an
    approved purge list disposed of (R-CTRL-7)."""
    long_ago = timezone.now() - datetime.timedelta(days=4 * 366)
    document = make_document(title="旧版客户接待办法", reference="市场发〔2021〕9号", state=DocumentState.VOID,
                             ended_at=long_ago, ended_by=archivist, end_reason="已废止", marked_by=archivist,
                             year=long_ago.year)
    purge = RegisterPurge.objects.create(
        number=f"XH-{YEAR}-0001", state=PurgeState.APPROVED, proposed_by=archivist, proposed_at=timezone.now(),
        decided_by=department_head, decided_at=timezone.now(),
    )
    copies = [
        make_copy(document, state=CopyState.DESTROYED, issued_at=long_ago, issued_by=archivist,
                  destroyed_at=long_ago, destroyed_by=archivist, remark=f"{long_ago.date().isoformat()} 已销毁",
                  purge=purge)
        for _n in range(lines)
    ]
    purge.proposed_lines.set(copies)
    return document, purge, copies
