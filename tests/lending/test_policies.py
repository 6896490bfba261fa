"""Which signatures a request needs, and who may ask, sign and hand out
(lending.policies; R-LEND-2, R-LEND-3, R-LEND-4, R-ACCESS)."""
import pytest
from django.utils import translation

from accounts.models import Department
from accounts.roles import Role
from lending import policies, services
from lending.exceptions import LendingRefused
from lending.models import ApprovalStep, LendingPolicy, LoanRequest, RequestKind
from records.models import Medium, RecordStatus, SecurityLevel
from records.selectors import visible_records
from tests.conftest import make_user
from tests.lending.support import make_outside_head

AH, BH = ApprovalStep.ARCHIVE_HEAD, ApprovalStep.BORROWER_HEAD
R2, R3, R4, RA = "R-LEND-2", "R-LEND-3", "R-LEND-4", "R-ACCESS"
# The words of each reason a signature is asked for, and the rules it stands
# for; the rule ids themselves are never shown to the requester.
RULES_BY_REASON = {
    "Not open to your department": {RA, R3},
    "Borrower from another department": {R3},
    "Longer than the loan period of": {R2},
    "Confidential record": {R4},
}
PUBLIC, INTERNAL, CONFIDENTIAL = SecurityLevel.PUBLIC, SecurityLevel.INTERNAL, SecurityLevel.CONFIDENTIAL
VIEW, BORROW = RequestKind.VIEW, RequestKind.BORROW
WITHIN, OVER = 2, 3  # the default loan period is 2 days


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def people(staff, outside_staff, leadership, department_head):
    return {
        "staff": staff,
        "outsider": outside_staff,
        "leadership": leadership,
        "archive_head": department_head,
        "outside_head": make_outside_head(),
    }


def _rules_of(item):
    """The rules behind a step's reasons; every reason is one of RULES_BY_REASON."""
    rules = set()
    for reason in item.reasons:
        [words] = [words for words in RULES_BY_REASON if str(reason).startswith(words)]
        rules |= RULES_BY_REASON[words]
    assert "R-" not in item.reason
    return rules


def _signers(expected_step, people):
    return [people["archive_head"]] if expected_step == AH else [people["outside_head"]]


# requester, security level, kind, days -> the steps in signing order, each
# with the rules its reasons stand for.
REQUIRED_APPROVALS = [
    # Department staff (R-LEND-2, R-LEND-4).
    ("staff", PUBLIC, VIEW, WITHIN, []),
    ("staff", PUBLIC, VIEW, OVER, []),
    ("staff", INTERNAL, VIEW, WITHIN, []),
    ("staff", INTERNAL, VIEW, OVER, []),
    ("staff", CONFIDENTIAL, VIEW, WITHIN, [(AH, {R4})]),
    ("staff", CONFIDENTIAL, VIEW, OVER, [(AH, {R4})]),
    ("staff", PUBLIC, BORROW, WITHIN, []),
    ("staff", PUBLIC, BORROW, OVER, [(AH, {R2})]),
    ("staff", INTERNAL, BORROW, WITHIN, []),
    ("staff", INTERNAL, BORROW, OVER, [(AH, {R2})]),
    ("staff", CONFIDENTIAL, BORROW, WITHIN, [(AH, {R4})]),
    ("staff", CONFIDENTIAL, BORROW, OVER, [(AH, {R2, R4})]),
    # Other-department staff: both heads sign the IOU (R-LEND-3); viewing
    # only when the record is not open to them (R-ACCESS).
    ("outsider", PUBLIC, VIEW, WITHIN, []),
    ("outsider", PUBLIC, VIEW, OVER, []),
    ("outsider", INTERNAL, VIEW, WITHIN, [(BH, {RA, R3}), (AH, {RA, R3})]),
    ("outsider", INTERNAL, VIEW, OVER, [(BH, {RA, R3}), (AH, {RA, R3})]),
    ("outsider", CONFIDENTIAL, VIEW, WITHIN, [(BH, {RA, R3}), (AH, {RA, R3, R4})]),
    ("outsider", CONFIDENTIAL, VIEW, OVER, [(BH, {RA, R3}), (AH, {RA, R3, R4})]),
    ("outsider", PUBLIC, BORROW, WITHIN, [(BH, {R3}), (AH, {R3})]),
    ("outsider", PUBLIC, BORROW, OVER, [(BH, {R3}), (AH, {R3, R2})]),
    ("outsider", INTERNAL, BORROW, WITHIN, [(BH, {R3}), (AH, {R3})]),
    ("outsider", INTERNAL, BORROW, OVER, [(BH, {R3}), (AH, {R3, R2})]),
    ("outsider", CONFIDENTIAL, BORROW, WITHIN, [(BH, {R3}), (AH, {R3, R4})]),
    ("outsider", CONFIDENTIAL, BORROW, OVER, [(BH, {R3}), (AH, {R3, R2, R4})]),
    # Leadership views directly; borrowing follows the loan rules (R-LEND-4).
    ("leadership", PUBLIC, VIEW, WITHIN, []),
    ("leadership", PUBLIC, VIEW, OVER, []),
    ("leadership", INTERNAL, VIEW, WITHIN, []),
    ("leadership", INTERNAL, VIEW, OVER, []),
    ("leadership", CONFIDENTIAL, VIEW, WITHIN, []),
    ("leadership", CONFIDENTIAL, VIEW, OVER, []),
    ("leadership", PUBLIC, BORROW, WITHIN, []),
    ("leadership", PUBLIC, BORROW, OVER, [(AH, {R2})]),
    ("leadership", INTERNAL, BORROW, WITHIN, []),
    ("leadership", INTERNAL, BORROW, OVER, [(AH, {R2})]),
    ("leadership", CONFIDENTIAL, BORROW, WITHIN, [(AH, {R4})]),
    ("leadership", CONFIDENTIAL, BORROW, OVER, [(AH, {R2, R4})]),
]


@pytest.mark.parametrize("who, level, kind, days, expected", REQUIRED_APPROVALS)
def test_r_lend_2_3_4_required_approvals(people, filed_record, who, level, kind, days, expected):
    record = filed_record(security_level=level)
    draft = LoanRequest(requester=people[who], record=record, kind=kind, days=days)
    required = policies.required_approvals(draft)
    assert [(item.step, _rules_of(item)) for item in required] == expected
    for item in required:
        assert item.approvers == _signers(item.step, people)
    # The unsaved request and the draft dataclass give the same answer.
    assert policies.required_approvals(policies.RequestDraft(people[who], record, kind, days)) == required


def test_r_lend_4_summary_names_the_signer_and_the_reason(staff, department_head, filed_record):
    draft = LoanRequest(requester=staff, record=filed_record(security_level=CONFIDENTIAL), kind=BORROW, days=2)
    assert policies.approval_summary(draft) == (
        "Needs approval of Head of the archive's department: Confidential record"
    )
    plain = LoanRequest(requester=staff, record=filed_record(), kind=BORROW, days=2)
    assert policies.approval_summary(plain) == "No approval needed"


def test_r_lend_3_summary_joins_both_heads_and_all_reasons(outside_staff, department_head, filed_record):
    make_outside_head()
    draft = LoanRequest(requester=outside_staff, record=filed_record(security_level=CONFIDENTIAL), kind=BORROW, days=5)
    assert policies.approval_summary(draft) == (
        "Needs approval of Head of the borrower's department and Head of the archive's department: "
        "Borrower from another department; Longer than the loan period of 2 days; "
        "Confidential record"
    )


def test_r_lend_2_loan_period_is_a_policy_value(staff, department_head, filed_record):
    policy = LendingPolicy.current()
    policy.loan_period_days = 5
    policy.save()
    record = filed_record()
    assert policies.required_approvals(LoanRequest(requester=staff, record=record, kind=BORROW, days=5)) == []
    [item] = policies.required_approvals(LoanRequest(requester=staff, record=record, kind=BORROW, days=6))
    assert item.step == AH and "5 days" in item.reason


def test_r_lend_4_named_head_of_the_archive_signs(staff, department_head, filed_record):
    other_head = make_user(Role.DEPARTMENT_HEAD, "head2")
    archive = Department.objects.get(owns_archive=True)
    archive.head = other_head
    archive.save()
    draft = LoanRequest(requester=staff, record=filed_record(security_level=CONFIDENTIAL), kind=BORROW, days=1)
    [item] = policies.required_approvals(draft)
    assert item.approvers == [other_head]


def test_r_lend_4_head_asking_for_themselves_needs_another_signer(department_head, filed_record):
    archive = Department.objects.get(owns_archive=True)
    archive.head = department_head
    archive.save()
    record = filed_record(security_level=CONFIDENTIAL)
    # Nobody else can sign: the request is refused up front.
    with pytest.raises(LendingRefused, match="Nobody can sign as Head of the archive's department"):
        policies.may_request(department_head, record, BORROW, 1)
    deputy = make_user(Role.DEPARTMENT_HEAD, "deputy")
    [item] = policies.required_approvals(LoanRequest(requester=department_head, record=record, kind=BORROW, days=1))
    assert item.approvers == [deputy]
    policies.may_request(department_head, record, BORROW, 1)


def test_r_lend_3_outside_head_asking_for_themselves_signs_no_line_of_their_own(department_head, filed_record):
    outside_head = make_outside_head()
    [item] = policies.required_approvals(
        LoanRequest(requester=outside_head, record=filed_record(), kind=BORROW, days=1)
    )
    assert item.step == AH and item.reason == "Borrower from another department"


def test_r_lend_3_outsider_without_a_head_cannot_ask(outside_staff, department_head, filed_record):
    with pytest.raises(LendingRefused, match="Nobody can sign as Head of the borrower's department"):
        policies.may_request(outside_staff, filed_record(), BORROW, 1)


@pytest.mark.parametrize(
    "status",
    [RecordStatus.MISSING, RecordStatus.VOID, RecordStatus.WRITTEN_OFF, RecordStatus.DESTROYED,
     RecordStatus.WEEDED, RecordStatus.SUBMITTED],
)
def test_r_lend_1_record_off_the_shelf_cannot_be_asked_for(staff, department_head, filed_record, status):
    record = filed_record()
    record.status = status
    record.save()
    with pytest.raises(LendingRefused, match="cannot be viewed or borrowed"):
        policies.may_request(staff, record, BORROW, 1)


def test_r_lend_1_record_on_loan_may_be_asked_for(staff, filed_record):
    record = filed_record()
    record.status = RecordStatus.ON_LOAN
    record.save()
    assert policies.may_request(staff, record, BORROW, 1) is None


def test_r_lend_2_no_loan_beyond_the_longest_period(staff, department_head, filed_record):
    with pytest.raises(LendingRefused, match="Days: at most 30"):
        policies.may_request(staff, filed_record(), BORROW, 31)
    with pytest.raises(LendingRefused, match="Days: at least one"):
        policies.may_request(staff, filed_record(), BORROW, 0)


def test_r_lend_1_electronic_record_is_viewed_not_borrowed(staff, filed_record):
    record = filed_record(medium=Medium.ELECTRONIC)
    with pytest.raises(LendingRefused, match="only electronically"):
        policies.may_request(staff, record, BORROW, 1)
    assert policies.may_request(staff, record, VIEW, 1) is None


def test_r_lend_1_second_open_request_for_the_same_record_is_refused(staff, filed_record):
    record = filed_record()
    services.request_create(requester=staff, record=record, kind=BORROW, days=1, purpose="x")
    with pytest.raises(LendingRefused, match="already have an open request"):
        policies.may_request(staff, record, BORROW, 1)


def test_r_lend_3_may_approve_in_order_and_never_own(outside_staff, department_head, filed_record):
    outside_head = make_outside_head()
    request = services.request_create(requester=outside_staff, record=filed_record(), kind=BORROW, days=1, purpose="x")
    assert policies.may_approve(outside_head, request, BH)
    # The archive's head signs after the borrower's head.
    assert not policies.may_approve(department_head, request, AH)
    assert not policies.may_approve(outside_staff, request, BH)
    services.request_decide(request=request, approver=outside_head, approve=True)
    assert policies.may_approve(department_head, request, AH)
    assert not policies.may_approve(outside_head, request, AH)


def test_r_lend_1_only_the_archivist_handles(role_users):
    assert [role for role, user in role_users.items() if policies.may_handle(user)] == [Role.ARCHIVIST]


def test_r_access_leadership_sees_confidential_without_a_request(leadership, staff, filed_record):
    record = filed_record(security_level=CONFIDENTIAL)
    assert visible_records(leadership).filter(pk=record.pk).exists()
    assert not visible_records(staff).filter(pk=record.pk).exists()
