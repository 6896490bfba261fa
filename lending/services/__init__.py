"""Every write of lending: requests, signatures, hand-out, return,
extensions and incidents (R-LEND-1..6, R-ACCESS). Each service runs in one
transaction, re-reads and locks its rows (select_for_update; on SQLite the
IMMEDIATE transaction serialises writers instead), asks lending.policies
again, saves through core.history.save_with_history with a reason
(lending.reasons.LendingReason) and sends its notices after commit
(lending.notices). A refusal raises LendingRefused with a message for the
user, and changes nothing.

One module per concern; callers import from lending.services:

- requests: request_create, request_by_number, request_cancel,
  request_decide (R-LEND-2, R-LEND-3, R-LEND-4, R-ACCESS)
- loans: loan_check_out, view_hand_over, loan_return (R-LEND-1, R-LEND-5, R-LEND-6)
- extensions: extension_request, extension_decide (R-LEND-2)
- reminders: loan_remind, the archivist's 催还 of an overdue loan (R-LEND-5)
- incidents: incident_open, incident_resolve (R-LEND-5)
- _common: locking, input checks

Where this differs from the shared contract (the contract's names all work;
the points that belong to one concern are in that module's docstring):

- A refusal (request_decide, extension_decide) needs a reason; incident_open
  needs a description and incident_resolve a resolution; each refuses with a
  message when it is empty.
- Approvers come from Department.head (see lending.policies); a step that
  nobody but the requester could sign is refused when the request is made.
"""
from lending.services._common import TEXT_MAX_LENGTH
from lending.services.extensions import extension_decide, extension_request
from lending.services.incidents import incident_open, incident_resolve
from lending.services.loans import loan_check_out, loan_return, view_hand_over
from lending.services.reminders import loan_remind
from lending.services.requests import request_by_number, request_cancel, request_create, request_decide

__all__ = [
    "TEXT_MAX_LENGTH",
    "extension_decide",
    "extension_request",
    "incident_open",
    "incident_resolve",
    "loan_check_out",
    "loan_remind",
    "loan_return",
    "request_by_number",
    "request_cancel",
    "request_create",
    "request_decide",
    "view_hand_over",
]
