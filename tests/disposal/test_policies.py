"""Who may draft, sign, strike, return and execute (disposal.policies), as
tables: one row per case, the rule in the test name (R-DISP-1..3)."""
import pytest

from accounts.roles import Role
from disposal import policies
from disposal.models import DisposalList, ItemAction, ListKind, ListState, Witness
from tests.conftest import make_user

ROLES = list(Role)


@pytest.fixture
def people(role_users):
    return dict(role_users)


def _list(people, state, **fields):
    """An unsaved list drafted by the archivist, in `state`."""
    return DisposalList(
        number="XH-2026-0001", kind=ListKind.APPRAISAL, year=2024, state=state,
        drafted_by=people[Role.ARCHIVIST], **fields,
    )


@pytest.mark.parametrize(
    "role, allowed",
    [(Role.ARCHIVIST, True)] + [(role, False) for role in ROLES if role != Role.ARCHIVIST],
)
def test_r_disp_1_2_only_the_archivist_drafts(people, role, allowed):
    assert policies.may_draft(people[role]) is allowed


@pytest.mark.parametrize(
    "state, step",
    [
        (ListState.DRAFT, policies.STEP_DRAFTER),
        (ListState.RETURNED, policies.STEP_DRAFTER),
        (ListState.SUBMITTED, policies.STEP_HEAD),
        (ListState.LEADERSHIP_APPROVED, policies.STEP_EXECUTION),
        (ListState.EXECUTED, None),
    ],
)
def test_next_step_by_state(people, state, step):
    assert policies.next_step(_list(people, state)) == step


@pytest.mark.parametrize(
    "destroys, step",
    [(True, policies.STEP_LEADERSHIP), (False, policies.STEP_EXECUTION)],
    ids=["destroys: leadership signs", "only transfers: executed next"],
)
def test_r_disp_2_only_destruction_needs_leadership(people, destroys, step):
    disposal_list = _list(people, ListState.HEAD_APPROVED, head_approved_by=people[Role.DEPARTMENT_HEAD])
    assert policies.next_step(disposal_list, has_live_destroy=destroys) == step


@pytest.mark.parametrize(
    "state, role, allowed",
    [
        (ListState.SUBMITTED, Role.DEPARTMENT_HEAD, True),
        (ListState.SUBMITTED, Role.LEADERSHIP, False),
        (ListState.SUBMITTED, Role.ARCHIVIST, False),
        (ListState.SUBMITTED, Role.STAFF, False),
        (ListState.SUBMITTED, Role.SYSADMIN, False),
        (ListState.HEAD_APPROVED, Role.LEADERSHIP, True),
        (ListState.HEAD_APPROVED, Role.DEPARTMENT_HEAD, False),
        (ListState.HEAD_APPROVED, Role.ARCHIVIST, False),
        (ListState.DRAFT, Role.DEPARTMENT_HEAD, False),
        (ListState.LEADERSHIP_APPROVED, Role.LEADERSHIP, False),
        (ListState.EXECUTED, Role.DEPARTMENT_HEAD, False),
    ],
)
def test_r_disp_2_who_signs_which_step(people, state, role, allowed):
    other_head = make_user(Role.DEPARTMENT_HEAD, "other_head")
    disposal_list = _list(people, state, head_approved_by=other_head if state != ListState.SUBMITTED else None)
    step = policies.next_step(disposal_list, has_live_destroy=True)
    assert policies.may_approve(people[role], disposal_list, step) is allowed


def test_r_disp_2_nobody_approves_a_list_they_drafted(people):
    """Even one who holds every approval permission (a superuser)."""
    boss = make_user(Role.DEPARTMENT_HEAD, "boss")
    boss.is_superuser = True
    boss.save()
    drafted = DisposalList(number="XH-2026-0002", kind=ListKind.WEEDING, year=2026, state=ListState.SUBMITTED,
                           drafted_by=boss)
    assert not policies.may_approve(boss, drafted)


def test_r_disp_2_nobody_signs_both_steps(people):
    boss = make_user(Role.DEPARTMENT_HEAD, "boss")
    boss.is_superuser = True
    boss.save()
    disposal_list = _list(people, ListState.HEAD_APPROVED, head_approved_by=boss)
    assert not policies.may_approve(boss, disposal_list, policies.STEP_LEADERSHIP)
    assert policies.may_approve(people[Role.LEADERSHIP], disposal_list, policies.STEP_LEADERSHIP)


def test_an_inactive_approver_signs_nothing(people):
    head = people[Role.DEPARTMENT_HEAD]
    head.is_active = False
    head.save()
    assert not policies.may_approve(head, _list(people, ListState.SUBMITTED))


@pytest.mark.parametrize(
    "state, role, drafter, allowed",
    [
        (ListState.DRAFT, Role.ARCHIVIST, True, True),
        (ListState.RETURNED, Role.ARCHIVIST, True, True),
        (ListState.DRAFT, Role.ARCHIVIST, False, False),  # another archivist's draft
        (ListState.DRAFT, Role.DEPARTMENT_HEAD, False, False),
        (ListState.SUBMITTED, Role.ARCHIVIST, True, False),
        (ListState.SUBMITTED, Role.DEPARTMENT_HEAD, False, True),  # R-DISP-1: the head strikes items off
        (ListState.SUBMITTED, Role.LEADERSHIP, False, False),
        (ListState.LEADERSHIP_APPROVED, Role.ARCHIVIST, False, True),  # a record that can no longer go
        (ListState.LEADERSHIP_APPROVED, Role.DEPARTMENT_HEAD, False, False),
        (ListState.EXECUTED, Role.ARCHIVIST, True, False),
    ],
)
def test_r_disp_1_2_who_strikes_items_off(people, state, role, drafter, allowed):
    drafted_by = people[role] if drafter else make_user(Role.ARCHIVIST, "other_archivist")
    disposal_list = DisposalList(number="XH-2026-0003", kind=ListKind.APPRAISAL, year=2024, state=state,
                                 drafted_by=drafted_by)
    assert policies.may_strike(people[role], disposal_list) is allowed


@pytest.mark.parametrize(
    "state, role, allowed",
    [
        (ListState.SUBMITTED, Role.DEPARTMENT_HEAD, True),
        (ListState.SUBMITTED, Role.ARCHIVIST, False),
        (ListState.LEADERSHIP_APPROVED, Role.ARCHIVIST, True),
        (ListState.LEADERSHIP_APPROVED, Role.LEADERSHIP, False),
        (ListState.DRAFT, Role.DEPARTMENT_HEAD, False),
        (ListState.EXECUTED, Role.ARCHIVIST, False),
    ],
)
def test_who_returns_a_list(people, state, role, allowed):
    drafter = make_user(Role.ARCHIVIST, "drafter")
    disposal_list = DisposalList(number="XH-2026-0004", kind=ListKind.APPRAISAL, year=2024, state=state,
                                 drafted_by=drafter)
    assert policies.may_return(people[role], disposal_list) is allowed


def test_witness_confirms_for_themselves_only(people):
    witness = Witness(user=people[Role.STAFF])
    assert policies.may_confirm(people[Role.STAFF], witness)
    assert not policies.may_confirm(people[Role.ARCHIVIST], witness)


def test_kinds_propose_their_own_actions():
    assert policies.ACTIONS_BY_KIND[ListKind.WEEDING] == (ItemAction.WEED,)
    assert ItemAction.WEED not in policies.ACTIONS_BY_KIND[ListKind.APPRAISAL]
