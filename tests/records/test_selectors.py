"""Who sees what (R-LEND-4, R-ACCESS): one selector decides, tested by role."""
import datetime

import pytest
from django.utils import timezone

from accounts.roles import Role
from records.models import AccessGrant, RecordStatus, SecurityLevel
from records.selectors import visible_records
from tests.factories import RecordFactory

P, I, C = SecurityLevel.PUBLIC, SecurityLevel.INTERNAL, SecurityLevel.CONFIDENTIAL


@pytest.mark.parametrize(
    "role, expected_levels",
    [
        (Role.STAFF, {P, I}),
        (Role.OUTSIDE_STAFF, {P}),
        (Role.ARCHIVIST, {P, I, C}),
        (Role.DEPARTMENT_HEAD, {P, I, C}),
        (Role.LEADERSHIP, {P, I, C}),
        (Role.SYSADMIN, {P}),
    ],
)
def test_r_lend_4_visible_levels_by_role(role, expected_levels, role_users, filed_record):
    for level in (P, I, C):
        filed_record(security_level=level)
    user = role_users[role]
    seen = set(visible_records(user).values_list("security_level", flat=True))
    assert seen == expected_levels
    assert visible_records(user).count() == len(expected_levels)


def test_r_lend_4_staff_count_excludes_confidential(staff, filed_record):
    for _ in range(3):
        filed_record(security_level=C)
    filed_record(security_level=I)
    assert visible_records(staff).count() == 1
    assert not visible_records(staff).filter(security_level=C).exists()


def test_r_access_active_grant_reveals_one_record_until_it_ends(staff, department_head, filed_record):
    secret, other_secret = filed_record(security_level=C), filed_record(security_level=C)
    grant = AccessGrant.objects.create(
        user=staff,
        record=secret,
        ends_at=timezone.now() + datetime.timedelta(hours=2),
        reason="合同核对",
        granted_by=department_head,
    )
    assert list(visible_records(staff).filter(security_level=C)) == [secret]
    assert other_secret not in visible_records(staff)

    grant.ends_at = timezone.now() - datetime.timedelta(seconds=1)
    grant.starts_at = grant.ends_at - datetime.timedelta(hours=1)
    grant.save()
    assert not visible_records(staff).filter(security_level=C).exists()


def test_revoked_grant_hides_the_record(staff, department_head, filed_record):
    secret = filed_record(security_level=C)
    AccessGrant.objects.create(
        user=staff,
        record=secret,
        ends_at=timezone.now() + datetime.timedelta(hours=2),
        reason="核对",
        granted_by=department_head,
        revoked_at=timezone.now(),
    )
    assert not visible_records(staff).filter(pk=secret.pk).exists()


def test_unfiled_items_are_seen_by_submitter_and_archivist_only(staff, archivist, department_head, db):
    from tests.conftest import make_user

    colleague = make_user(Role.STAFF, "colleague")
    submitted = RecordFactory(submitted_by=staff, status=RecordStatus.SUBMITTED)
    assert submitted in visible_records(staff)
    assert submitted in visible_records(archivist)
    assert submitted not in visible_records(colleague)
    assert submitted not in visible_records(department_head)


def test_inactive_or_anonymous_user_sees_nothing(staff, filed_record):
    from django.contrib.auth.models import AnonymousUser

    filed_record(security_level=P)
    assert visible_records(AnonymousUser()).count() == 0
    staff.is_active = False
    assert visible_records(staff).count() == 0
