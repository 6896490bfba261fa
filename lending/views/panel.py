"""The lending panel of the record page (registered with records.panels in
LendingConfig.ready()). Everyone who may see the record sees who has it and
until when, and its open incidents (R-LEND-1, R-LEND-5); who may ask for it
gets the request form with the approvals each choice needs, before sending
(R-LEND-2, R-LEND-3, R-LEND-4), or the reason why they cannot ask."""
from django.utils import timezone

from lending import policies, selectors
from lending.exceptions import LendingRefused
from lending.facts import ApprovalFacts
from lending.forms import RequestForm
from lending.models import LoanRequest, RequestKind
from lending.policies import OPEN_REQUEST_STATES, may_approve_anything
from lending.views.common import draft_options


def requestable_kinds(user, record, facts=None):
    """The kinds `user` may request for `record`, and the refusals
    (LendingRefused) of the others, one per message (policies.may_request).
    `facts`: what the page has read (lending.facts)."""
    facts = facts or ApprovalFacts()
    kinds, refusals = [], []
    for kind in RequestKind:
        try:
            policies.may_request(user, record, kind, facts=facts)
        except LendingRefused as refusal:
            if all(refusal.message != other.message for other in refusals):
                refusals.append(refusal)
        else:
            kinds.append(kind)
    return kinds, refusals


def record_panel(request, record):
    """Context of templates/lending/_record_panel.html for a record the user
    may see (records.views.portal checked). None for an item not yet filed:
    nothing is lent before it has an archive number."""
    if not record.archive_number:
        return None
    user = request.user
    # The policy row, the departments and their heads are read once for
    # the whole panel.
    facts = ApprovalFacts()
    kinds, refusals = requestable_kinds(user, record, facts)
    # Newest first, as selectors.requests_of, but only what the panel
    # shows (kind and state): no requester, record or signatures joined.
    own_requests = list(
        LoanRequest.objects.filter(requester=user, record=record, state__in=OPEN_REQUEST_STATES).order_by(
            "-created_at", "-pk"
        )
    )
    form = None
    if kinds:
        form = RequestForm(
            initial={"archive_number": record.archive_number}, kinds=kinds, auto_id="panel_%s", policy=facts.policy
        )
    waiting = selectors.waiting_for(user, record=record).requests if may_approve_anything(user) else []
    waiting = selectors.with_details(waiting) if waiting else []
    return {
        "loan": selectors.open_loan_for(record),
        "waiting": waiting,
        "incidents": list(selectors.open_incidents(record=record)),
        "own_requests": own_requests,
        "form": form,
        "options": draft_options(user, record, kinds, facts) if kinds else [],
        "refusals": [] if kinds else refusals,
        "may_handle": policies.may_handle(user),
        "now": timezone.now(),
    }
