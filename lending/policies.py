"""Who may ask, sign and hand out, and which signatures a request needs.
Pure rule checks: they read users, departments, the policy and the record,
and change nothing. Screens, the admin, the services (again, under the row
lock) and the tests all ask here.

Signatures (the IOU's 借条 lines) come in a fixed order: the borrower's
own department head first (R-LEND-3), then the head of the archive's
department (R-LEND-2, R-LEND-3, R-LEND-4). The archive's head is
`Department.head` of the department that owns the archive; while no head
is named, any active member of that department holding
`lending.approve_loan` signs. The borrower's head is `Department.head` of
the borrower's department (or, while none is named, a member holding
`lending.approve_loan`). Nobody signs their own request: a head asking
for themselves needs no signature of their own department's line, and the
archive's line falls to another holder of `lending.approve_loan`.

What the rules read besides the request (the policy row, departments and
heads, permission holders, what a requester may see) they ask of an
ApprovalFacts (lending.facts), passed as `facts`: a page reads each fact
once, and `required_approvals_of` weighs many requests with the same rule
in a fixed number of queries (issue 11)."""
import datetime
from dataclasses import dataclass, field

from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from core.text import join_clauses
from lending.exceptions import LendingRefused
from lending.facts import APPROVE_PERMISSION, HANDLE_PERMISSION, ApprovalFacts, holders
from lending.models import ApprovalStep, LendingPolicy, LoanRequest, RequestKind, RequestState
from records.models import Medium, RecordStatus
from records.selectors import visible_records

# States in which a record can be asked for; ON_LOAN too, since a request
# may wait for the record to come back. Handing out asks for FILED.
REQUESTABLE_STATES = (RecordStatus.FILED, RecordStatus.ON_LOAN)
OPEN_REQUEST_STATES = (RequestState.PENDING, RequestState.APPROVED, RequestState.OUT)
STEP_ORDER = (ApprovalStep.BORROWER_HEAD, ApprovalStep.ARCHIVE_HEAD)


@dataclass(frozen=True)
class RequiredApproval:
    """One signature a request needs: the step, why (every rule that asks
    for it, joined), and the people who may sign it."""

    step: str
    reason: str
    approvers: list = field(default_factory=list)
    reasons: tuple = ()

    @property
    def label(self):
        return ApprovalStep(self.step).label


@dataclass
class RequestDraft:
    """A request not yet saved, to show its approvals before it is sent.
    An unsaved LoanRequest works as well."""

    requester: object
    record: object
    kind: str
    days: int = 1


def is_active_user(user):
    return bool(user is not None and user.is_authenticated and user.is_active)


def may_handle(user):
    """The archivist hands out and takes back (R-LEND-1)."""
    return is_active_user(user) and user.has_perm(HANDLE_PERMISSION)


def may_approve_anything(user, *, cheap=False):
    """Approvers: the archive's department head (lending.approve_loan) and
    every department head, who signs for their people (R-LEND-3).
    `cheap` (for the navigation bar on every page) skips the query for a
    head of a department they are not a member of."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.has_perm(APPROVE_PERMISSION):
        return True
    if user.department_id and user.department.head_id == user.pk:
        return True
    return not cheap and user.departments_headed.exists()


def may_print_lending_register(user):
    """The archivist keeps the register (R-LEND-1); the department heads who
    sign loans read it too."""
    return user.is_active and (user.has_perm(HANDLE_PERMISSION) or user.has_perm(APPROVE_PERMISSION))


def can_see(user, record):
    """Whether `user` sees the record now (records.selectors decides)."""
    return visible_records(user).filter(pk=record.pk).exists()


def handlers():
    """The archivists: everyone holding `lending.handle_loan`."""
    return list(holders(HANDLE_PERMISSION).order_by("pk"))


def _signers_of(department, *, exclude_pk, facts):
    """The named head of `department`, or while none is named (or the head
    is the one asking, `exclude_pk`) the members holding `lending.approve_loan`."""
    if department is None:
        return []
    head = department.head
    if head is not None and head.is_active and head.pk != exclude_pk:
        return [head]
    return [user for user in facts.approvers_in(department) if user.pk != exclude_pk]


def archive_head_signers(*, exclude, facts=None):
    facts = facts or ApprovalFacts()
    return _signers_of(facts.archive_department, exclude_pk=exclude.pk, facts=facts)


def _is_outsider(user):
    return not user.is_archive_department_member


def required_approvals(request_or_draft, facts=None):
    """The signatures a request needs, in signing order (see the module
    docstring). Each rule adds its reason:

    - borrower outside the archive's department: both heads sign the IOU
      (R-LEND-3); for viewing only when the record is not open to them
      (R-ACCESS);
    - confidential record, to view or borrow: the archive's head (R-LEND-4),
      except those who may see confidential records viewing it;
    - a loan longer than LendingPolicy.loan_period_days: the archive's head
      (R-LEND-2);
    - viewing in place a record the requester already sees, not
      confidential: nothing.

    `facts` (lending.facts.ApprovalFacts) holds what the page has read."""
    facts = facts or ApprovalFacts()
    requester = request_or_draft.requester
    reasons = _reasons_by_step(request_or_draft, facts)
    department = facts.department(requester.department_id)
    if reasons[ApprovalStep.BORROWER_HEAD] and department is not None and department.head_id == requester.pk:
        # The head asking for themselves is their own department's line of
        # the IOU; the archive's head still signs.
        reasons[ApprovalStep.BORROWER_HEAD] = []

    required = []
    for step in STEP_ORDER:
        if not reasons[step]:
            continue
        if step == ApprovalStep.BORROWER_HEAD:
            approvers = _signers_of(department, exclude_pk=requester.pk, facts=facts)
        else:
            approvers = archive_head_signers(exclude=requester, facts=facts)
        required.append(
            RequiredApproval(
                step=step, reason=join_clauses(reasons[step]), approvers=approvers, reasons=tuple(reasons[step])
            )
        )
    return required


def required_approvals_of(requests, facts=None):
    """required_approvals of many saved requests, {pk: [RequiredApproval]}:
    the same rule, with the facts read for all of them together
    (ApprovalFacts.for_requests), so weighing 1,000 requests asks the
    database as often as weighing 10."""
    facts = facts or ApprovalFacts.for_requests(requests)
    return {request.pk: required_approvals(request, facts) for request in requests}


def _reasons_by_step(request_or_draft, facts):
    """{step: [reason, …]}: every rule of required_approvals that asks for
    a signature adds its reason to that step (R-ACCESS, R-LEND-2, R-LEND-3,
    R-LEND-4)."""
    requester, record = request_or_draft.requester, request_or_draft.record
    days = request_or_draft.days or 0
    reasons = {step: [] for step in STEP_ORDER}

    if request_or_draft.kind == RequestKind.VIEW:
        confidential_needs_head = record.is_confidential and not facts.sees_confidential(requester)
        if _is_outsider(requester) and not facts.sees(requester, record):
            # R-ACCESS, R-LEND-3
            outside_reason = _("Not open to your department")
            reasons[ApprovalStep.BORROWER_HEAD].append(outside_reason)
            reasons[ApprovalStep.ARCHIVE_HEAD].append(outside_reason)
    else:
        confidential_needs_head = record.is_confidential
        if _is_outsider(requester):
            # R-LEND-3
            outside_reason = _("Borrower from another department")
            reasons[ApprovalStep.BORROWER_HEAD].append(outside_reason)
            reasons[ApprovalStep.ARCHIVE_HEAD].append(outside_reason)
        period = facts.policy.loan_period_days
        if days > period:
            # R-LEND-2
            reasons[ApprovalStep.ARCHIVE_HEAD].append(
                _("Longer than the loan period of %(days)d days") % {"days": period}
            )
    if confidential_needs_head:
        # R-LEND-4
        reasons[ApprovalStep.ARCHIVE_HEAD].append(_("Confidential record"))
    return reasons


def approval_summary(request, facts=None):
    """What the requester is shown, e.g. 需部门负责人审批：机密档案."""
    required = required_approvals(request, facts)
    if not required:
        return _("No approval needed")
    who = get_text_list([item.label for item in required], _("and"))
    reasons = []
    for item in required:
        reasons.extend(reason for reason in item.reasons if reason not in reasons)
    return _("Needs approval of %(who)s: %(reasons)s") % {"who": who, "reasons": join_clauses(reasons)}


def signed_steps(request):
    """The steps signed (from the approvals read with the request, if any)."""
    return {approval.step for approval in request.approvals.all() if approval.approved}


def missing_approvals(request, required=None, facts=None, signed=None):
    """The required signatures the request does not have yet, in order.
    `required` and `signed` (its signed steps) when already read."""
    required = required_approvals(request, facts) if required is None else required
    if signed is None:
        signed = signed_steps(request) if request.pk else set()
    return [item for item in required if item.step not in signed]


def next_approval(request, required=None, facts=None, signed=None):
    missing = missing_approvals(request, required, facts, signed)
    return missing[0] if missing else None


def may_request(user, record, kind, days=None, facts=None):
    """Raise LendingRefused with the reason when `user` may not ask to view
    or borrow `record` for `days`; return None when they may."""
    if not is_active_user(user):
        raise LendingRefused(_("Sign in to ask for a record."))
    if kind not in RequestKind.values:
        raise LendingRefused(_("Choose whether to view the record in place or to borrow it."))
    if record.status not in REQUESTABLE_STATES:
        raise LendingRefused(
            _("«%(record)s» is %(status)s and cannot be viewed or borrowed.")
            % {"record": record, "status": record.get_status_display()}
        )
    facts = facts or ApprovalFacts()
    policy = facts.policy
    if kind == RequestKind.BORROW:
        if record.medium == Medium.ELECTRONIC:
            raise LendingRefused(
                _("«%(record)s» exists only electronically, so there is nothing to borrow; ask to view it.")
                % {"record": record}
            )
        if days is not None:
            if days < 1:
                raise LendingRefused(_("Days: at least one."))
            if days > policy.max_loan_days:
                # R-LEND-2
                raise LendingRefused(
                    _("Days: at most %(days)d, the longest loan even with approval.")
                    % {"days": policy.max_loan_days}
                )
    open_request = (
        LoanRequest.objects.filter(requester=user, record=record, kind=kind, state__in=OPEN_REQUEST_STATES)
        .order_by("pk")
        .first()
    )
    if open_request is not None:
        raise LendingRefused(
            _("You already have an open request for «%(record)s» (%(state)s).")
            % {"record": record, "state": open_request.get_state_display()}
        )
    if kind == RequestKind.BORROW and not user.department_id:
        # R-LEND-3
        raise LendingRefused(_("You belong to no department, so no head can sign your IOU."))
    draft = RequestDraft(requester=user, record=record, kind=kind, days=days or policy.loan_period_days)
    for item in required_approvals(draft, facts):
        if not item.approvers:
            raise LendingRefused(
                _("Nobody can sign as %(step)s for this request; ask the administrator to name the head.")
                % {"step": item.label}
            )


def may_cancel(user, request):
    """Only the requester, only before the record is handed out."""
    return (
        is_active_user(user)
        and request.requester_id == user.pk
        and request.state in (RequestState.PENDING, RequestState.APPROVED)
    )


def may_approve(user, request, step, facts=None):
    """Whether `user` may sign (or refuse) `step` of `request` now: the
    request waits for that step, it is the next one, and `user` is one of
    its signers. Never the requester."""
    if not is_active_user(user) or request.requester_id == user.pk:
        return False
    if request.state != RequestState.PENDING:
        return False
    pending = next_approval(request, facts=facts)
    if pending is None or pending.step != step:
        return False
    return any(approver.pk == user.pk for approver in pending.approvers)


def extension_approvers(loan, facts=None):
    """The archive's head decides extensions (R-LEND-2); never the borrower."""
    facts = facts or ApprovalFacts()
    return _signers_of(facts.archive_department, exclude_pk=loan.borrower_id, facts=facts)


def may_decide_extension(user, extension, facts=None):
    if not is_active_user(user) or user.pk in (extension.loan.borrower_id, extension.requested_by_id):
        return False
    return any(approver.pk == user.pk for approver in extension_approvers(extension.loan, facts))


def may_request_extension(user, loan):
    """A loan is extended (R-LEND-2); a view in place is handed back, its
    access lasting at most LendingPolicy.view_grant_hours (R-LEND-4)."""
    if loan.request.kind != RequestKind.BORROW:
        return False
    return is_active_user(user) and loan.is_open and (loan.borrower_id == user.pk or may_handle(user))


def latest_due_at(loan):
    """No loan or extension goes beyond LendingPolicy.max_loan_days from hand-out."""
    return loan.out_at + datetime.timedelta(days=LendingPolicy.current().max_loan_days)
