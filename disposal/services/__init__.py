"""Every write of the disposal app. Each service locks the list row first
(then the records, in primary-key order), checks (disposal.policies: who
may; disposal.checks: which records), and saves with history
(core.history.save_with_history, reasons in disposal.reasons). A refusal
raises DisposalRefused (ItemsRefused when it is about some records, with
all of them in `problems`) with a message for the user, and changes
nothing. What happens to a record is done by records.services.disposition.

- lists: list_create, list_update, list_submit, list_return (R-DISP-1, R-DISP-2)
- items: list_add_items, item_update, item_strike
- approvals: list_approve (the head's, then leadership's signature)
- execution: destruction_record, witness_confirm, list_execute (R-DISP-3)
"""
from disposal.services.approvals import list_approve
from disposal.services.execution import destruction_record, list_execute, witness_confirm
from disposal.services.items import item_strike, item_update, list_add_items
from disposal.services.lists import list_create, list_return, list_submit, list_update

__all__ = [
    "destruction_record",
    "item_strike",
    "item_update",
    "list_add_items",
    "list_approve",
    "list_create",
    "list_execute",
    "list_return",
    "list_submit",
    "list_update",
    "witness_confirm",
]
