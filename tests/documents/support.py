"""Builders for the documents tests, straight through the ORM so screens and
registers can be tested before (or apart from) the services: a small real
PDF, an uploaded PDF, a controlled document with its stored source, a copy
with its controlled number, a correspondence line.

Files are written to the default storage: use the `private_storage`
fixture (tests/conftest.py) so they land in a temporary directory."""
import functools
import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.roles import Role, assign_role
from documents import numbering
from documents.models import (
    ControlledCopy,
    ControlledDocument,
    CopyState,
    Correspondence,
    Direction,
    DocumentPaper,
    DocumentState,
    PaperKind,
)
from tests.factories import UserFactory, marketing_department


@functools.lru_cache(maxsize=32)
def pdf_bytes(pages=3, text="受控文件测试"):
    """A small valid PDF of `pages` pages, each reading "<text> 第N页" in the
    shipped CJK font (pypdf extracts it back)."""
    from weasyprint import HTML

    font = settings.PDF_FONT_PATH.as_uri()
    body = "".join(
        f'<p style="page-break-after: always">{text} 第{number}页</p>' for number in range(1, pages)
    ) + f"<p>{text} 第{pages}页</p>"
    html = (
        f"<style>@font-face {{ font-family: cjk; src: url('{font}'); }} body {{ font-family: cjk; }}</style>{body}"
    )
    return HTML(string=html).write_pdf()


def uploaded_pdf(name="文件.pdf", pages=3, text="受控文件测试"):
    return SimpleUploadedFile(name, pdf_bytes(pages=pages, text=text), content_type="application/pdf")


def role_user(role, username, **kwargs):
    """A user of `role` (get or create by username, as the conftest fixtures)."""
    user = UserFactory(username=username, **kwargs)
    assign_role(user, role)
    return type(user).objects.get(pk=user.pk)


def archivist_user(username="archivist"):
    return role_user(Role.ARCHIVIST, username)


def make_document(*, pages=3, text=None, papers=1, **overrides):
    """A controlled document (state READY unless `state=` says otherwise)
    with a real stored source PDF, its year's next serial and `papers`
    approval papers. `overrides` set any model field."""
    with transaction.atomic():
        year = overrides.pop("year", timezone.localdate().year)
        title = overrides.pop("title", "市场活动管理规定")
        content = pdf_bytes(pages=pages, text=text or title)
        sha256 = hashlib.sha256(content).hexdigest()
        fields = {
            "year": year,
            "serial": numbering.allocate_document_serial(year),
            "title": title,
            "drafting_department": marketing_department(),
            "state": DocumentState.READY,
            "source_name": f"{title}.pdf",
            "sha256": sha256,
            "page_count": pages,
            "marked_at": timezone.now(),
            **overrides,
        }
        if "marked_by" not in fields and "marked_by_id" not in fields:
            fields["marked_by"] = archivist_user()
        document = ControlledDocument(**fields)
        document.source_file.save(fields["source_name"], ContentFile(content), save=False)
        document.save()
        for number in range(1, papers + 1):
            make_paper(document, name=f"审批单{number}.pdf")
        return document


def make_paper(document, *, name="审批单.pdf", kind=PaperKind.APPROVAL, by=None):
    content = pdf_bytes(pages=1, text=name)
    paper = DocumentPaper(
        document=document,
        kind=kind,
        original_name=name,
        size=len(content),
        content_type="application/pdf",
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=by or document.marked_by,
    )
    paper.file.save(name, ContentFile(content), save=False)
    paper.save()
    return paper


def make_copy(document, recipient_user=None, recipient_department=None, state=CopyState.ISSUED, **kw):
    """A copy of `document` with the next copy number and its controlled
    number; addressed to `recipient_user`, or `recipient_department`, or a
    new user. A SIGNED copy gets its holder and signed_at."""
    with transaction.atomic():
        if recipient_user is None and recipient_department is None:
            recipient_user = UserFactory()
        [(copy_number, control_number)] = numbering.allocate_copy_numbers(document, 1)
        now = timezone.now()
        fields = {
            "document": document,
            "copy_number": copy_number,
            "control_number": control_number,
            "recipient_user": recipient_user,
            "recipient_department": recipient_department,
            "state": state,
            "issued_at": now,
            **kw,
        }
        if "issued_by" not in fields and "issued_by_id" not in fields:
            fields["issued_by"] = document.marked_by
        if state == CopyState.SIGNED:
            fields.setdefault("holder", recipient_user)
            fields.setdefault("signed_at", now)
        return ControlledCopy.objects.create(**fields)


def make_correspondence(*, direction=Direction.OUTGOING, receivers=(), **kw):
    """A correspondence line with its year's next number after the policy's pattern."""
    with transaction.atomic():
        document_date = kw.pop("document_date", timezone.localdate())
        serial, number = numbering.allocate_correspondence_number(direction, document_date.year)
        fields = {
            "direction": direction,
            "year": document_date.year,
            "serial": serial,
            "number": number,
            "document_date": document_date,
            "title": "关于开展市场活动的通知",
            "pages": 2,
            "sender": marketing_department(),
            "registered_at": timezone.now(),
            **kw,
        }
        if "handler" not in fields and "handler_id" not in fields:
            fields["handler"] = UserFactory()
        if "registered_by" not in fields and "registered_by_id" not in fields:
            fields["registered_by"] = archivist_user()
        correspondence = Correspondence.objects.create(**fields)
        if receivers:
            correspondence.receivers.set(receivers)
        return correspondence


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)
