"""What the write matrix posts to the documents app's URLs (issue 14), and
the page in front of each view that takes only POST; bodies.py merges them."""
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from accounts.roles import Role

PORTAL = {}
GATES = {}


def _pdf_upload(name):
    """A one-page PDF upload (a document's source, its papers, a revision's)."""
    writer, buffer = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), "application/pdf")


# life-screens (documents.views.lifecycle, revisions, retention).
PORTAL["documents_void"] = lambda world: {"reason": "矩阵作废", "confirm": "1"}
PORTAL["documents_copy_destroy"] = lambda world: {"confirm": "1"}
PORTAL["documents_revise"] = lambda world: {
    "reason": "矩阵修订", "source": _pdf_upload("矩阵修订.pdf"), "papers": [_pdf_upload("矩阵修订依据.pdf")],
}
PORTAL["documents_countersign"] = lambda world: {"decision": "approve", "note": "矩阵会签"}
PORTAL["documents_retention"] = lambda world: {"every": "1"}
PORTAL["documents_purge_detail"] = lambda world: {"decision": "approve"}

# life-screens: remind, return and keep are posted from the recall list.
GATES["documents_recall_remind"] = ("documents_recalls", False)
GATES["documents_copy_return"] = ("documents_recalls", False)
GATES["documents_copy_keep_reference"] = ("documents_recalls", False)


# holder (documents.views.copies): a copy reported lost; signing for one is posted from the copy's row,
# refused (not found) to whoever may not open the copy's report page.
PORTAL["documents_copy_report"] = lambda world: {"which": "lost", "lost_on": "", "note": "矩阵丢失"}
GATES["documents_copy_sign"] = ("documents_copy_report", True)


# corr (documents.views.correspondence): a new line, a correction with its reason, filing as a submission.
def _correspondence(world, title):
    department = world.objects_of("documents.correspondence")[0][1].sender_id
    return {
        "direction": "out", "document_date": "2024-05-01", "title": title, "sender": department,
        "receivers": [department], "pages": "1", "urgency": "normal",
        "handler": world.users[Role.ARCHIVIST].pk, "note": "",
    }


PORTAL["documents_correspondence_new"] = lambda world: _correspondence(world, "矩阵新发文")
PORTAL["documents_correspondence_edit"] = lambda world: {**_correspondence(world, "矩阵篡改发文"), "reason": "矩阵更正"}
PORTAL["documents_correspondence_file"] = lambda world: {"action": "file"}


# desk (documents.views.desk, desk_copies): a document registered with its approval paper, the document in
# force distributed to staff (confirmed with its current last number), a paper signature by the colleague
# a copy is addressed to, a lost copy reissued, a damaged one replaced.
def _desk_distribution(world):
    from documents.models import ControlledDocument, DocumentState

    in_force = ControlledDocument.objects.filter(
        pk__in=[document.pk for _name, document in world.objects_of("documents.controlleddocument")], state=DocumentState.IN_FORCE
    ).first()
    return {
        "rows-TOTAL_FORMS": "1", "rows-INITIAL_FORMS": "0", "rows-MIN_NUM_FORMS": "0", "rows-MAX_NUM_FORMS": "200",
        "rows-0-person": world.users[Role.STAFF].pk, "rows-0-department": "", "rows-0-copies": "1",
        "confirm": "True", "expected_last": in_force.last_copy_number if in_force else "",
    }


PORTAL["documents_document_new"] = lambda world: {
    "title": "矩阵新受控文件", "reference": "", "valid_until": "", "archive_number": "",
    "drafting_department": world.objects_of("documents.controlleddocument")[0][1].drafting_department_id,
    "source": _pdf_upload("矩阵新受控文件.pdf"), "approval_papers": [_pdf_upload("矩阵新审批单.pdf")],
}
PORTAL["documents_distribute"] = _desk_distribution
PORTAL["documents_copy_paper_signature"] = lambda world: {"signer": world.colleague.pk}
PORTAL["documents_copy_reissue"] = lambda world: {"confirm": "1"}
PORTAL["documents_copy_replace"] = lambda world: {"note": "矩阵换发", "confirm": "1"}
