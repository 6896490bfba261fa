"""What the write matrix posts: a plausible body per URL (one that would
change something if the view let it through), and for the views that only
take POST, the page whose refusal means the action must be refused too."""
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.roles import Role
from tests.access_matrix import bodies_documents, bodies_ledgers

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
}

# The documents app's (issue 14), in a module of their own.
PORTAL.update(bodies_documents.PORTAL)
GATES.update(bodies_documents.GATES)

# The ledger import wizard's (issue 15), in a module of their own.
PORTAL.update(bodies_ledgers.PORTAL)
GATES.update(bodies_ledgers.GATES)
