"""Who may do what at the filing desk (records.policies), one row per case."""
import pytest
from django.contrib.auth.models import Permission

from accounts.roles import Role
from records import policies
from records.models import Handover, RecordStatus
from tests.factories import RecordFactory

S, A, H, L, O, SYS = (
    Role.STAFF,
    Role.ARCHIVIST,
    Role.DEPARTMENT_HEAD,
    Role.LEADERSHIP,
    Role.OUTSIDE_STAFF,
    Role.SYSADMIN,
)


@pytest.mark.parametrize(
    "role, may_submit, may_receive",
    [
        (S, True, False),
        (A, True, True),  # the archivist is department staff too
        (H, False, False),
        (L, False, False),
        (O, False, False),
        (SYS, False, False),
    ],
)
def test_r_file_2_r_file_3_who_submits_and_who_receives(role_users, role, may_submit, may_receive):
    user = role_users[role]
    assert policies.may_submit(user) is may_submit
    assert policies.may_receive(user) is may_receive


def test_r_file_2_staff_of_another_department_with_the_permission_do_not_submit(outside_staff):
    outside_staff.user_permissions.add(Permission.objects.get(codename="add_record"))
    outside_staff = type(outside_staff).objects.get(pk=outside_staff.pk)  # fresh permission cache
    assert outside_staff.has_perm("records.add_record")
    assert not policies.may_submit(outside_staff)


# (who looks, whose record, status, actions offered on the record page)
ACTION_TABLE = [
    ("r_file_2_own_draft", S, "own", RecordStatus.DRAFT, ["edit", "submit"]),
    ("r_file_2_own_returned", S, "own", RecordStatus.RETURNED, ["edit", "submit"]),
    ("r_file_2_own_submitted_waits", S, "own", RecordStatus.SUBMITTED, []),
    ("r_file_3_own_filed_not_edited", S, "own", RecordStatus.FILED, []),
    ("r_file_2_someone_elses_draft", S, "other", RecordStatus.DRAFT, []),
    ("r_file_3_archivist_submitted", A, "other", RecordStatus.SUBMITTED, ["receive", "return"]),
    ("r_file_3_archivist_draft", A, "other", RecordStatus.DRAFT, []),
    ("r_file_3_archivist_filed", A, "other", RecordStatus.FILED, ["correct"]),
    ("r_file_3_archivist_on_loan", A, "other", RecordStatus.ON_LOAN, ["correct"]),
    ("r_file_3_archivist_destroyed", A, "other", RecordStatus.DESTROYED, []),
    ("r_file_3_head_filed", H, "other", RecordStatus.FILED, []),
    ("r_file_3_head_submitted", H, "other", RecordStatus.SUBMITTED, []),
    ("r_file_3_leadership_filed", L, "other", RecordStatus.FILED, []),
]


@pytest.mark.parametrize(
    "viewer, owner, status, expected", [row[1:] for row in ACTION_TABLE], ids=[row[0] for row in ACTION_TABLE]
)
def test_record_page_actions(role_users, viewer, owner, status, expected):
    user = role_users[viewer]
    if owner == "own":
        submitter = user
    else:
        submitter = role_users[A] if viewer == S else role_users[S]
    filed = status not in RecordStatus.before_filing()
    record = RecordFactory(status=status, submitted_by=submitter, archive_number="X-1" if filed else None)
    assert [action.code for action in policies.record_actions(user, record)] == expected


@pytest.mark.parametrize(
    "viewer, hands_over, may_print",
    [
        (A, False, True),
        (H, False, True),
        (S, True, True),  # the person who handed the items over
        (S, False, False),
        (L, False, False),
        (O, False, False),
        (SYS, False, False),
    ],
)
def test_r_file_3_who_prints_the_handover_list(role_users, archivist, viewer, hands_over, may_print):
    user = role_users[viewer]
    handover = Handover(number="JJ-2026-0001", handed_over_by=user if hands_over else archivist, received_by=archivist)
    assert policies.may_print_handover(user, handover) is may_print
    actions = [action.code for action in policies.record_actions(user, RecordFactory(), handover)]
    assert ("print_handover" in actions) is may_print


@pytest.mark.parametrize(
    "fields, refused",
    [
        (["title", "notes", "location", "security_level", "copies", "pages", "medium"], []),
        (["title", "category"], ["category"]),
        (["year", "retention_years", "status", "archive_number"], ["year", "retention_years", "status", "archive_number"]),
    ],
)
def test_r_file_3_which_fields_a_correction_may_change(fields, refused):
    assert policies.refused_correction_fields(fields) == refused


@pytest.mark.parametrize(
    "format_ok, remarks, needs_remark",
    [(True, "", False), (False, "", True), (False, "  ", True), (False, "装订不规范", False)],
)
def test_r_file_3_a_format_fault_needs_a_remark(format_ok, remarks, needs_remark):
    assert policies.format_check_needs_remark(format_ok, remarks) is needs_remark
