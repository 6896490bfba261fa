"""What every lending view shares: the way back after an action, form
errors of an inline form shown as messages, and the approval lines a
request shows (which steps it needs, why, and who signed). The access gate
and the refusals are core.views' (gate, refusal_to_form, refusal_to_message)."""
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext

from core.text import join_items
from lending import policies
from lending.facts import ApprovalFacts
from lending.models import ApprovalStep, LoanRequest, RequestKind, RequestState

GET_OR_POST = ["GET", "HEAD", "POST"]


def is_local(request, url):
    return url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())


def back(request, default, *args):
    """Redirect to the posted `next` (this site only), else to `default`."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and is_local(request, target):
        return redirect(target)
    return redirect(default, *args)


def form_errors_to_messages(request, form):
    """An inline form (in a list) that fails shows its errors as messages."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def approval_lines(loan_request, required=None):
    """The approvals of a request, one line per step: the step, why it is
    needed, the signature (or refusal) given, or who may still sign.
    While the request waits, the steps are computed again now (they are
    re-checked at every step; `required` when the page has weighed them
    already, policies.required_approvals_of); afterwards the signatures
    tell the story."""
    signed = {approval.step: approval for approval in loan_request.approvals.all()}
    lines = []
    if loan_request.state == RequestState.PENDING:
        if required is None:
            required = policies.required_approvals(loan_request)
        for item in required:
            lines.append(
                {
                    "step": ApprovalStep(item.step).label,
                    "reason": item.reason,
                    "approval": signed.pop(item.step, None),
                    "approvers": join_items(approver.display_name for approver in item.approvers),
                }
            )
    for approval in signed.values():
        lines.append({"step": approval.get_step_display(), "reason": "", "approval": approval, "approvers": ""})
    return lines


def draft_options(user, record, kinds, facts=None):
    """What a request by `user` for `record` would need, for each choice the
    requester can make, before anything is sent: view in place, borrow
    within the loan period, borrow longer (R-LEND-2, R-LEND-3, R-LEND-4).
    [(kind, label, summary)] for the kinds in `kinds`. `facts`: what the
    page has read (lending.facts)."""
    facts = facts or ApprovalFacts()
    policy = facts.policy
    period = policy.loan_period_days
    choices = [
        (RequestKind.VIEW, 1, RequestKind.VIEW.label),
        (
            RequestKind.BORROW,
            period,
            ngettext("Borrow for up to %(days)d day", "Borrow for up to %(days)d days", period) % {"days": period},
        ),
    ]
    if policy.max_loan_days > period:
        choices.append(
            (
                RequestKind.BORROW,
                period + 1,
                ngettext("Borrow for more than %(days)d day", "Borrow for more than %(days)d days", period)
                % {"days": period},
            )
        )
    options = []
    for kind, days, label in choices:
        if kind not in kinds:
            continue
        draft = LoanRequest(requester=user, record=record, kind=kind, days=days)
        options.append((kind, label, policies.approval_summary(draft, facts)))
    return options
