"""The documents app's part of the matrix's world (issue 14): a register
line, a controlled document in force with its approval paper and a copy
signed for by staff and one addressed to a colleague, a void document with
a recalled and a returned copy and a purge list of its lines, and a
revision awaiting the head's countersignature. Built through the ORM, like
the rest of the world."""
import io

from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfWriter

from accounts.roles import Role
from documents.models import (
    ControlledCopy,
    ControlledDocument,
    CopyDownload,
    Correspondence,
    DocumentPaper,
    DocumentState,
    RegisterPurge,
)
from tests.factories import marketing_department


def _pdf():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _document(archivist, serial, title, state, **extra):
    document = ControlledDocument(
        year=2024, serial=serial, title=title, drafting_department=marketing_department(), state=state,
        source_name="矩阵受控文件.pdf", sha256=f"{serial:064d}", page_count=1, marked_by=archivist,
        marked_at=timezone.now(), **extra,
    )
    document.source_file.save(f"matrix-{serial}.pdf", ContentFile(_pdf()), save=False)
    document.save()
    return document


def _copy(document, number, by, state, **extra):
    return ControlledCopy.objects.create(
        document=document, copy_number=number, control_number=f"SK-MX-{document.serial}-{number:02d}",
        state=state, issued_by=by, issued_at=timezone.now(), **extra,
    )


def add_documents(world):
    archivist, staff, now = world.users[Role.ARCHIVIST], world.users[Role.STAFF], timezone.now()
    department = marketing_department()
    line = Correspondence.objects.create(
        direction="out", year=2024, serial=901, number="市场发〔2024〕矩阵901号", document_date=now.date(),
        title="矩阵发文标题", pages=2, sender=department, handler=archivist, registered_by=archivist,
        registered_at=now,
    )
    line.receivers.set([department])
    world.add("outgoing", line)
    in_force = world.add("in force", _document(archivist, 901, "矩阵受控文件甲", DocumentState.IN_FORCE,
                                               distributed_at=now))
    paper = DocumentPaper(document=in_force, kind="approval", original_name="矩阵审批单.pdf", size=10,
                          content_type="application/pdf", sha256="a" * 64, uploaded_by=archivist)
    paper.file.save("matrix-paper.pdf", ContentFile(_pdf()), save=False)
    paper.save()
    world.add("approval paper", paper)
    signed = world.add("signed for by staff", _copy(in_force, 1, archivist, "signed", recipient_user=staff,
                                                    holder=staff, signed_at=now))
    world.add("downloaded by staff", CopyDownload.objects.create(copy=signed, by=staff))
    world.add("addressed to a colleague", _copy(in_force, 2, archivist, "issued", recipient_user=world.colleague))
    world.add("addressed to the department", _copy(in_force, 3, archivist, "issued",
                                                   recipient_department=department))
    void = world.add("void", _document(archivist, 902, "矩阵受控文件乙", DocumentState.VOID, distributed_at=now,
                                       ended_by=archivist, ended_at=now, end_reason="矩阵作废"))
    recalled = world.add("recalled", _copy(void, 1, archivist, "recalled", recipient_user=staff, holder=staff,
                                           signed_at=now, recalled_at=now))
    returned = world.add("returned", _copy(void, 2, archivist, "returned", recipient_user=world.colleague,
                                           holder=world.colleague, signed_at=now, recalled_at=now,
                                           returned_at=now, returned_to=archivist))
    purge = world.add("proposed", RegisterPurge.objects.create(number="XH-MX-0001", proposed_by=archivist,
                                                               proposed_at=now))
    purge.proposed_lines.set([recalled, returned])
    world.add("awaiting countersignature", _document(
        archivist, 903, "矩阵受控文件甲（修订）", DocumentState.AWAITING_COUNTERSIGN, supersedes=in_force,
        revision=2, revision_reason="矩阵修订理由",
    ))
