"""visible_pairs answers, for many people and records at once, what
visible_records answers for one person (R-LEND-4, R-ACCESS, R-FILE-2): the
same rule (records.selectors), checked here against every combination of a
table of people × records (every security level in every state, submitted by
one of the people or by nobody), in a fixed number of queries."""
import datetime

import pytest
from django.utils import timezone

from accounts.roles import Role
from records.models import AccessGrant, RecordStatus, SecurityLevel
from records.selectors import can_see_confidential, confidential_readers, visible_pairs, visible_records
from tests.admin_support import staff_user_with_perms
from tests.conftest import make_user
from tests.factories import DepartmentFactory
from tests.query_counts import count_queries
from tests.records import volume

HOUR = datetime.timedelta(hours=1)


def _grant(user, record, *, by, ends_in=HOUR, revoked=False):
    now = timezone.now()
    return AccessGrant(
        user=user,
        record=record,
        starts_at=now - 2 * HOUR,
        ends_at=now + ends_in,
        reason="核对",
        granted_by=by,
        revoked_at=now if revoked else None,
    )


@pytest.fixture
def people(role_users, archivist):
    """Each role, and the people the rule treats apart: a holder of access
    grants (in force, lapsed, revoked), a submitter from outside the
    archive's department, a member of staff with unfiled items of their
    own, holders of the permissions given to them directly, a superuser,
    someone without a department and someone no longer active."""
    table = {role.name.lower(): user for role, user in role_users.items()}
    table["grant_holder"] = make_user(Role.OUTSIDE_STAFF, "grant_holder", outside=True)
    table["outside_submitter"] = make_user(Role.OUTSIDE_STAFF, "outside_submitter", outside=True)
    table["staff_submitter"] = make_user(Role.STAFF, "staff_submitter")
    table["direct_confidential"] = staff_user_with_perms(
        "direct_reader", "records.view_confidential", department=DepartmentFactory(code="CWB")
    )
    table["direct_filer"] = staff_user_with_perms("direct_filer", "records.file_record")
    table["superuser"] = staff_user_with_perms("root", is_superuser=True, department=None)
    table["no_department"] = staff_user_with_perms("nobody", department=None)
    table["inactive"] = make_user(Role.LEADERSHIP, "gone")
    table["inactive"].is_active = False
    table["inactive"].save()
    return table


@pytest.fixture
def records(people, archivist):
    """Every security level in every state, submitted by nobody or by one of
    the two submitters; grants for the grant holder on a third of them each:
    in force, lapsed, revoked."""
    made = []
    submitters = [None, people["outside_submitter"], people["staff_submitter"]]
    for level in SecurityLevel:
        for status in RecordStatus:
            for submitter in submitters:
                made += volume.records(1, status=status, submitted_by=submitter, levels=[level], index=False)
    shapes = [{}, {"ends_in": -HOUR}, {"revoked": True}]
    AccessGrant.objects.bulk_create(
        _grant(people["grant_holder"], record, by=archivist, **shapes[position % 3])
        for position, record in enumerate(made)
    )
    return made


def expected_pairs(people, records):
    """What visible_records says, person by person."""
    ids = [record.pk for record in records]
    return {
        (user.pk, pk)
        for user in people.values()
        for pk in visible_records(user).filter(pk__in=ids).values_list("pk", flat=True)
    }


def test_visible_pairs_agrees_with_visible_records_for_every_person_and_record(people, records):
    pairs = {(user.pk, record.pk) for user in people.values() for record in records}
    with count_queries() as counted:
        seen = visible_pairs(pairs)
    expected = expected_pairs(people, records)
    assert seen == expected
    assert counted.total == 3  # the people with their permissions, their grants, the records


def _seen_by(user, records, pairs):
    """(level, state, submitter id) of each record `user` sees, by `pairs`."""
    return [
        (record.security_level, record.status, record.submitted_by_id)
        for record in records
        if (user.pk, record.pk) in pairs
    ]


def test_the_table_reaches_every_part_of_the_rule(people, records):
    """The agreement above means something only if the table tells the
    rule's parts apart: levels by role and permission, grants in force only,
    one's own unfiled items, every state for those who file (R-LEND-4,
    R-ACCESS, R-FILE-2)."""
    P, I, C = SecurityLevel.PUBLIC, SecurityLevel.INTERNAL, SecurityLevel.CONFIDENTIAL
    unfiled = set(RecordStatus.before_filing())
    pairs = visible_pairs((user.pk, record.pk) for user in people.values() for record in records)
    seen = {name: _seen_by(user, records, pairs) for name, user in people.items()}

    def filed_levels(name):
        return {level for level, status, _by in seen[name] if status == RecordStatus.FILED}

    assert filed_levels("staff") == {P, I}
    assert filed_levels("outside_staff") == filed_levels("no_department") == {P}
    assert filed_levels("leadership") == filed_levels("direct_confidential") == filed_levels("superuser") == {P, I, C}
    assert seen["inactive"] == []

    # The grant holder sees internal and confidential records through the grants in force, and no others.
    grant_holder = people["grant_holder"]
    in_force = set(AccessGrant.objects.active().filter(user=grant_holder).values_list("record_id", flat=True))
    through_grants = {record.pk for record in records if (grant_holder.pk, record.pk) in pairs} - {
        record.pk for record in records if record.security_level == P
    }
    assert through_grants and through_grants < in_force  # in force, but not on unfiled items
    assert filed_levels("grant_holder") == {P, I, C}

    # A submitter sees their own unfiled items at every level, nobody else's.
    outside_submitter = people["outside_submitter"]
    own_unfiled = {(level, status) for level, status, by in seen["outside_submitter"] if status in unfiled}
    assert own_unfiled == {(level, status) for level in SecurityLevel for status in unfiled}
    assert {by for _level, status, by in seen["outside_submitter"] if status in unfiled} == {outside_submitter.pk}

    # Those who file see every state; the others no unfiled item but their own.
    for filer in ("archivist", "direct_filer", "superuser"):
        assert {status for _level, status, _by in seen[filer]} == set(RecordStatus)
    assert not {status for _level, status, _by in seen["leadership"]} & unfiled


def test_confidential_readers_agree_with_can_see_confidential(people):
    """R-LEND-4 for many people in one query, as for each alone."""
    with count_queries() as counted:
        readers = confidential_readers([user.pk for user in people.values()])
    assert counted.total == 1
    expected = {user.pk for user in people.values() if can_see_confidential(user)}
    assert readers == expected
    assert {people[name].pk for name in ("leadership", "direct_confidential", "superuser")} <= readers
    assert people["inactive"].pk not in readers


def test_visible_pairs_of_nothing_asks_nothing(db):
    with count_queries() as counted:
        assert visible_pairs([]) == set()
    assert counted.total == 0


def test_unknown_people_and_records_are_not_seen(staff, filed_record):
    record = filed_record(security_level=SecurityLevel.PUBLIC)
    assert visible_pairs({(staff.pk, record.pk), (staff.pk, record.pk + 1000), (staff.pk + 1000, record.pk)}) == {
        (staff.pk, record.pk)
    }
