"""What the write matrix posts: a plausible body per URL (one that would
change something if the view let it through), and for the views that only
take POST, the page whose refusal means the action must be refused too."""
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter

from accounts.roles import Role

NEW_PASSWORD = "Matrix-New-Pass-9"


def _pks(world, label):
    return [obj.pk for _name, obj in world.objects_of(label)]


def _submission(world, title):
    return {
        "title": title,
        "category": world.records["internal"].category_id,
        "document_date": "2024-05-01",
        "responsible_party": "市场部",
        "security_level": "internal",
        "retention": "30",
        "medium": "paper",
        "copies": "1",
        "pages": "1",
    }


def _password_change(world):
    return {"old_password": "pass-for-tests-1", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}


def _hold_terms():
    return {"reason": "矩阵冻结", "ends_on": "", "confirm": "1", "expected": "1"}


def _pdf_upload(name):
    """A one-page PDF upload (life-screens: a revision's source and papers)."""
    writer, buffer = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), "application/pdf")


# The portal's actions, by URL name: world -> body.
PORTAL = {
    "password_change": _password_change,
    "submission_create": lambda world: _submission(world, "矩阵新提交"),
    "submission_edit": lambda world: _submission(world, "矩阵篡改提交"),
    "record_return": lambda world: {"reason": "矩阵退回"},
    "record_correct": lambda world: {
        "title": "矩阵篡改标题", "pages": "9", "copies": "1", "medium": "paper", "reason": "矩阵更正",
    },
    "handover_receive": lambda world: {"records": _pks(world, "records.record")},
    "attachment_upload": lambda world: {
        "file": SimpleUploadedFile("矩阵上传.txt", b"matrix upload", "text/plain"),
    },
    "client_create": lambda world: {"name": "矩阵新客户", "client_type": "agent"},
    "client_edit": lambda world: {"name": "矩阵改名客户", "client_type": "agent", "is_active": "on"},
    "client_contact_add": lambda world: {"name": "矩阵新联系人", "phone": "13955556666"},
    "client_contact_edit": lambda world: {"name": "矩阵改名联系人", "phone": "13955557777", "is_active": "on"},
    "client_event_add": lambda world: {"kind": "visit", "date": "2024-05-02", "summary": "矩阵来访"},
    "lending_request": lambda world: {
        "archive_number": world.records["public"].archive_number, "kind": "borrow", "days": "1", "purpose": "矩阵借阅",
    },
    "lending_extension_request": lambda world: {"new_due_date": "2030-01-01", "reason": "矩阵延期"},
    "lending_bulk_approve": lambda world: {
        "requests": _pks(world, "lending.loanrequest"), "extensions": _pks(world, "lending.extension"),
    },
    "lending_request_decide": lambda world: {"approve": "1", "reason": "矩阵同意"},
    "lending_extension_decide": lambda world: {"approve": "1", "reason": "矩阵同意"},
    "lending_return": lambda world: {"pages_returned": "1", "copies_returned": "1"},
    "lending_lost": lambda world: {"description": "矩阵丢失"},
    "lending_incident_resolve": lambda world: {"resolution": "矩阵处理"},
    # Holds: each place screen confirmed as if its check had shown one record.
    "disposal_hold_place_record": lambda world: {
        "archive_number": world.records["public"].archive_number, **_hold_terms(),
    },
    "disposal_hold_place_class": lambda world: {
        "category": world.records["public"].category_id, "year": world.records["public"].year, **_hold_terms(),
    },
    "disposal_hold_place_scope": lambda world: {
        "target": f"client:{world.objects_of('clients.client')[0][1].pk}", **_hold_terms(),
    },
    "disposal_hold_release": lambda world: {"release_reason": "矩阵解除冻结"},
    # The disposal lists' screens: each step as its page would post it.
    "disposal_appraisal": lambda world: {"scope": "all", "target": "new", "action": "destroy"},
    "disposal_list_create": lambda world: {"kind": "weeding", "opinion": "矩阵新清册"},
    "disposal_list_opinion": lambda world: {"opinion": "矩阵篡改意见"},
    "disposal_list_add": lambda world: {
        "archive_numbers": world.records["public"].archive_number, "action": "destroy", "reason": "矩阵剔除",
    },
    "disposal_list_submit": lambda world: {"state": "draft"},
    "disposal_list_return": lambda world: {"reason": "矩阵退回", "state": "submitted"},
    "disposal_list_approve": lambda world: {"state": "submitted", "confirm": "1"},
    "disposal_destruction_record": lambda world: {
        "date": timezone.localdate().isoformat(), "place": "矩阵销毁地点", "method": "shredding",
        "executor": world.users[Role.ARCHIVIST].pk, "witness_1": world.users[Role.STAFF].pk,
        "witness_2": world.colleague.pk,
    },
    "disposal_list_execute": lambda world: {"state": "leadership_approved", "confirm": "1"},
    "disposal_item_edit": lambda world: {"action": "extend", "extend_years": "5", "reason": "矩阵延长"},
    "disposal_item_strike": lambda world: {"reason": "矩阵划去"},
    "disposal_weed_record": lambda world: {"target": "new", "reason": "矩阵剔除"},
    "disposal_witness_confirm": lambda world: {"confirm": "1"},
    # stocktake-screens: open a stocktake of everything, scan the confidential record, mark a box counted, close.
    "inventory_stocktake_open": lambda world: {"year": "2024", "scope": "whole", "confirmed": "1"},
    "inventory_stocktake_close": lambda world: {"confirm": "1"},
    "inventory_unit_scan": lambda world: {
        "code": world.records["confidential"].archive_number, "condition": "damaged", "note": "矩阵盘点",
    },
    "inventory_unit_mark_counted": lambda world: {"confirm": "1"},
    # reconcile-screens: accept the damaged difference, ask for a write-off with evidence, decide it.
    "inventory_difference_resolve": lambda world: {
        "record": world.records["confidential"].pk, "kind": "damaged", "resolution": "accepted", "note": "矩阵接受",
    },
    "inventory_write_off_new": lambda world: {
        "archive_number": world.records["public"].archive_number, "kind": "loss", "reason": "矩阵核销",
        "evidence": SimpleUploadedFile("矩阵证据.txt", "矩阵证据".encode(), content_type="text/plain"),
    },
    "inventory_write_off_approve": lambda world: {"confirm": "1"},
    "inventory_write_off_refuse": lambda world: {"reason": "矩阵不批"},
    # repair-screens: a copy task of the public record, a task done with one copy, a found record filed again.
    "inventory_repair_new": lambda world: {
        "archive_number": world.records["public"].archive_number, "kind": "copy",
        "due_on": timezone.localdate().isoformat(), "note": "矩阵修复",
    },
    "inventory_repair_done": lambda world: {"done_note": "矩阵完成", "copies": "1"},
    "inventory_record_restore": lambda world: {"reason": "矩阵找回"},
    # life-screens (documents.views.lifecycle, revisions, retention).
    "documents_void": lambda world: {"reason": "矩阵作废", "confirm": "1"},
    "documents_copy_destroy": lambda world: {"confirm": "1"},
    "documents_revise": lambda world: {
        "reason": "矩阵修订", "source": _pdf_upload("矩阵修订.pdf"), "papers": [_pdf_upload("矩阵修订依据.pdf")],
    },
    "documents_countersign": lambda world: {"decision": "approve", "note": "矩阵会签"},
    "documents_retention": lambda world: {"every": "1"},
    "documents_purge_detail": lambda world: {"decision": "approve"},
}

# The back office's, by the end of the URL name: (label of the model) -> body.
ADMIN = {
    # Django's "delete selected" action, confirmed.
    "_changelist": lambda world, label: {
        "action": "delete_selected", "_selected_action": _pks(world, label), "post": "yes",
    },
    "_delete": lambda world, label: {"post": "yes"},
    "_password_change": lambda world, label: {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
}


def body_for(page, world):
    name = page.pattern.name or ""
    if name in PORTAL:
        return PORTAL[name](world)
    if name == "admin:password_change":
        return _password_change(world)
    for suffix, make in ADMIN.items():
        if name.startswith("admin:") and name.endswith(suffix):
            app_label, _sep, rest = name.removeprefix("admin:").partition("_")
            model_name = rest.removesuffix(suffix)
            return make(world, f"{app_label}.{model_name}")
    return {}


# Views that take only POST, by URL name: the page (URL name, and whether it
# takes the same parameters) whose refusal means the action must be refused.
GATES = {
    "submission_submit": ("submission_edit", True),
    "disposal_list_submit": ("disposal_list_detail", True),
    # stocktake-screens: a scan is posted from the box's counting page.
    "inventory_unit_scan": ("inventory_unit_count", True),
    # reconcile-screens: a resolution is posted from the reconciliation.
    "inventory_difference_resolve": ("inventory_reconciliation", True),
    "attachment_upload": ("record_detail", True),
    "client_unmask": ("client_detail", True),
    "client_mark_reviewed": ("client_detail", True),
    "lending_request_decide": ("lending_inbox", False),
    "lending_extension_decide": ("lending_inbox", False),
    "lending_bulk_approve": ("lending_inbox", False),
    "lending_hand_out": ("lending_desk", False),
    "lending_view_shown": ("lending_desk", False),
    "lending_lost": ("lending_desk", False),
    "lending_incident_resolve": ("lending_desk", False),
    # life-screens: remind, return and keep are posted from the recall list.
    "documents_recall_remind": ("documents_recalls", False),
    "documents_copy_return": ("documents_recalls", False),
    "documents_copy_keep_reference": ("documents_recalls", False),
}

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
def _desk_pdf(name):
    writer, buffer = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), "application/pdf")


def _desk_distribution(world):
    from documents.models import ControlledDocument, DocumentState

    in_force = ControlledDocument.objects.filter(
        pk__in=_pks(world, "documents.controlleddocument"), state=DocumentState.IN_FORCE
    ).first()
    return {
        "rows-TOTAL_FORMS": "1", "rows-INITIAL_FORMS": "0", "rows-MIN_NUM_FORMS": "0", "rows-MAX_NUM_FORMS": "200",
        "rows-0-person": world.users[Role.STAFF].pk, "rows-0-department": "", "rows-0-copies": "1",
        "confirm": "True", "expected_last": in_force.last_copy_number if in_force else "",
    }


PORTAL["documents_document_new"] = lambda world: {
    "title": "矩阵新受控文件", "reference": "", "valid_until": "", "archive_number": "",
    "drafting_department": world.objects_of("documents.controlleddocument")[0][1].drafting_department_id,
    "source": _desk_pdf("矩阵新受控文件.pdf"), "approval_papers": [_desk_pdf("矩阵新审批单.pdf")],
}
PORTAL["documents_distribute"] = _desk_distribution
PORTAL["documents_copy_paper_signature"] = lambda world: {"signer": world.colleague.pk}
PORTAL["documents_copy_reissue"] = lambda world: {"confirm": "1"}
PORTAL["documents_copy_replace"] = lambda world: {"note": "矩阵换发", "confirm": "1"}
