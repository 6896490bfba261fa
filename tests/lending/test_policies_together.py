"""The signatures of many requests weighed together (policies.
required_approvals_of, what the inbox, the navigation counter and 我的借阅
use) are those of each request weighed alone (policies.required_approvals,
what the services check under the row lock): one rule, read with the facts
of a whole page or of one request (lending.facts; R-LEND-2, R-LEND-3,
R-LEND-4, R-ACCESS). And what waits for an approver (selectors.waiting_for)
is exactly what they may sign (policies.may_approve)."""
import pytest

from accounts.models import Department
from accounts.roles import Role
from lending import policies, selectors
from lending.models import Approval, ApprovalStep, LoanRequest, RequestState
from records.models import SecurityLevel
from tests.conftest import make_user
from tests.factories import UserFactory, marketing_department
from tests.lending import volume
from tests.lending.support import make_outside_head
from tests.lending.test_policies import REQUIRED_APPROVALS


def _as_shown(required):
    """What a request's signatures are: step, reasons, signers."""
    return [
        (item.step, [str(reason) for reason in item.reasons], [user.pk for user in item.approvers]) for item in required
    ]


def _department(code, *, head_active=True, approvers=1):
    """A department whose named head is (in)active, with `approvers`
    members holding lending.approve_loan besides; head_active None: no head
    named."""
    department = Department.objects.create(code=code, name=f"部门{code}")
    for index in range(approvers):
        approver = make_user(Role.DEPARTMENT_HEAD, f"{code}-approver{index}")
        approver.department = department
        approver.save()
    if head_active is not None:
        department.head = UserFactory(username=f"{code}-head", department=department, is_active=head_active)
        department.save()
    return department


@pytest.fixture
def world(staff, outside_staff, leadership, department_head, filed_record):
    """People of every kind the rules tell apart, and a record of each level."""
    archive = marketing_department()
    archive.head = department_head
    archive.save()
    second_signer = make_user(Role.DEPARTMENT_HEAD, "deputy")  # signs what the head asks for
    people = {
        "staff": staff,
        "outsider": outside_staff,
        "leadership": leadership,
        "archive_head": department_head,
        "outside_head": make_outside_head(),
        "deputy": second_signer,
        # A head who left: the members holding approve_loan sign (R-LEND-3).
        "of_inactive_head": UserFactory(username="rsb-member", department=_department("RSB", head_active=False)),
        # No head named and nobody to sign: the step has no signer.
        "of_nobody": UserFactory(username="xsb-member", department=_department("XSB", head_active=None, approvers=0)),
        "of_no_department": UserFactory(username="loner", department=None),
    }
    records = {level: filed_record(security_level=level) for level in SecurityLevel}
    return people, records


def _pending(people, records):
    """Every row of test_policies.REQUIRED_APPROVALS as a waiting request,
    and the same asked by each of the other people."""
    rows = [(people[who], records[level], kind, days) for who, level, kind, days, _expected in REQUIRED_APPROVALS]
    for who in ("outside_head", "archive_head", "deputy", "of_inactive_head", "of_nobody", "of_no_department"):
        rows += [(people[who], records[level], kind, days) for _who, level, kind, days, _ in REQUIRED_APPROVALS[:12]]
    return [
        LoanRequest.objects.create(requester=user, record=record, kind=kind, days=days, purpose="对照")
        for user, record, kind, days in rows
    ]


def test_weighed_together_or_alone_the_signatures_are_the_same(world):
    people, records = world
    requests = _pending(people, records)
    saved = LoanRequest.objects.select_related("requester__department", "record")
    together = policies.required_approvals_of(list(saved))
    assert together.keys() == {request.pk for request in requests}
    for request in requests:
        alone = policies.required_approvals(LoanRequest.objects.get(pk=request.pk))
        assert _as_shown(together[request.pk]) == _as_shown(alone), (request.requester, request.record, request.kind)
    # The table's own expectations hold for the rows weighed together.
    for request, (_who, _level, _kind, _days, expected) in zip(requests, REQUIRED_APPROVALS):
        assert [item.step for item in together[request.pk]] == [step for step, _rules in expected]


def test_what_waits_for_each_person_is_what_they_may_sign(world, archivist, staff):
    people, records = world
    requests = _pending(people, records)
    # Some outsiders' first signature is given: the archive's head is next.
    for request in requests[::3]:
        step = policies.next_approval(request)
        if step is not None and step.step == ApprovalStep.BORROWER_HEAD and step.approvers:
            Approval.objects.create(request=request, step=step.step, approver=step.approvers[0], approved=True)
    extensions = volume.pending_extensions(volume.open_loans(2, borrowers=[staff], handed_out_by=archivist))
    # Each request weighed alone: its next step and who may sign it.
    next_steps = [
        (request, policies.next_approval(request))
        for request in LoanRequest.objects.filter(state=RequestState.PENDING).order_by("-created_at", "-pk")
    ]
    for user in [*people.values(), archivist]:
        waiting = selectors.waiting_for(user)
        may_sign = [
            (request.pk, step.step)
            for request, step in next_steps
            if step is not None and request.requester_id != user.pk and user in step.approvers
        ]
        assert [(request.pk, request.next_step.step) for request in waiting.requests] == may_sign, user
        assert all(policies.may_approve(user, request, request.next_step.step) for request in waiting.requests[:5])
        assert [extension.pk for extension in waiting.extensions] == [
            extension.pk
            for extension in sorted(extensions, key=lambda item: (item.created_at, item.pk), reverse=True)
            if policies.may_decide_extension(user, extension)
        ], user
    assert selectors.waiting_for(people["archive_head"]).requests, "the head has something to sign"
    assert selectors.waiting_for(people["outside_head"]).requests, "so has the other department's head"
