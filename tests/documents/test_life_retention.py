"""The distribution register's retention (R-CTRL-7): lines due for disposal
3 years after a document is voided (or superseded) and 1 year after a
time-limited one lapses, read from DocumentsPolicy; purge lists proposed by
the archivist and decided by the head (never their own); nothing deleted."""
import datetime

import pytest
from django.utils import timezone

from documents import selectors
from documents.exceptions import DocumentsRefused
from documents.models import ControlledCopy, CopyState, DocumentsPolicy, DocumentState, PurgeState, RegisterPurge
from documents.reasons import DocumentsReason
from documents.services import retention
from tests.documents.support import fresh, make_copy, make_document

pytestmark = pytest.mark.django_db


def years_ago(years, days=0):
    today = timezone.localdate()
    return today.replace(year=today.year - years) - datetime.timedelta(days=days)


def at_noon(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def ended(state, day, **kwargs):
    document = make_document(state=state, ended_at=at_noon(day), **kwargs)
    return document, make_copy(document, state=CopyState.DESTROYED)


def lapsed(last_valid_day, state=DocumentState.LAPSED):
    document = make_document(state=state, valid_until=last_valid_day)
    return document, make_copy(document, state=CopyState.LAPSED if state == DocumentState.LAPSED else CopyState.SIGNED)


def due_numbers(today=None):
    return sorted(selectors.lines_due_for_disposal(today).values_list("control_number", flat=True))


def snapshot():
    return {
        "copies": list(ControlledCopy.objects.order_by("pk").values()),
        "purges": list(RegisterPurge.objects.order_by("pk").values()),
        "proposed": list(RegisterPurge.proposed_lines.through.objects.order_by("pk").values()),
        "copy_history": ControlledCopy.history.count(),
        "purge_history": RegisterPurge.history.count(),
    }


@pytest.fixture
def lines(private_storage, archivist):
    """{name: copy} of documents ended at the edges of their retention."""
    return {
        "void_3y": ended(DocumentState.VOID, years_ago(3))[1],
        "void_3y_less_a_day": ended(DocumentState.VOID, years_ago(3, days=-1))[1],
        "superseded_3y": ended(DocumentState.SUPERSEDED, years_ago(3, days=10))[1],
        "lapsed_1y": lapsed(years_ago(1, days=1))[1],
        "lapsed_less_than_1y": lapsed(years_ago(1))[1],
        "lapse_job_not_run": lapsed(years_ago(2), state=DocumentState.IN_FORCE)[1],
        "in_force": make_copy(make_document(state=DocumentState.IN_FORCE), state=CopyState.SIGNED),
        "void_time_limited_2y": ended(DocumentState.VOID, years_ago(2), valid_until=years_ago(2, days=30))[1],
    }


def test_r_ctrl_7_lines_due_3_years_after_void_1_year_after_lapse(lines):
    expected = ["void_3y", "superseded_3y", "lapsed_1y", "lapse_job_not_run"]
    assert due_numbers() == sorted(lines[name].control_number for name in expected)


def test_r_ctrl_7_the_policy_values_are_read(lines):
    policy = DocumentsPolicy.current()
    policy.register_retention_after_void_years = 2
    policy.register_retention_after_lapse_years = 3
    policy.save()
    expected = ["void_3y", "void_3y_less_a_day", "superseded_3y", "void_time_limited_2y"]
    assert due_numbers() == sorted(lines[name].control_number for name in expected)


def test_r_ctrl_7_purge_proposed_approved_and_nothing_deleted(lines, archivist, department_head):
    due = list(selectors.lines_due_for_disposal())
    purge = retention.purge_propose(by=archivist, lines=due)
    assert purge.number.startswith(f"XH-{timezone.localdate().year}-")
    assert set(purge.proposed_lines.all()) == set(due)
    assert purge.history.latest().history_change_reason == DocumentsReason.PURGE_PROPOSED
    assert not selectors.lines_due_for_disposal().exists()  # proposed: not proposed twice

    before = ControlledCopy.objects.count()
    retention.purge_approve(purge=purge, by=department_head)
    purge = fresh(purge)
    assert (purge.state, purge.decided_by) == (PurgeState.APPROVED, department_head)
    assert ControlledCopy.objects.count() == before
    for line in due:
        line = fresh(line)
        assert line.purge == purge
        row = line.history.latest()
        assert (row.history_user, row.history_change_reason) == (department_head, DocumentsReason.PURGE_APPROVED)
    assert not selectors.lines_due_for_disposal().exists()


def test_r_ctrl_7_a_line_not_due_is_refused(lines, archivist):
    before = snapshot()
    with pytest.raises(DocumentsRefused, match=lines["in_force"].control_number) as refused:
        retention.purge_propose(by=archivist, lines=[lines["void_3y"], lines["in_force"]])
    assert refused.value.field == "lines"
    with pytest.raises(DocumentsRefused):
        retention.purge_propose(by=archivist, lines=[])
    assert snapshot() == before


def test_r_ctrl_7_a_line_is_in_one_waiting_list_at_a_time(lines, archivist):
    retention.purge_propose(by=archivist, lines=[lines["void_3y"]])
    before = snapshot()
    with pytest.raises(DocumentsRefused):
        retention.purge_propose(by=archivist, lines=[lines["void_3y"]])
    assert snapshot() == before


@pytest.mark.parametrize("who", ["staff", "department_head"])
def test_r_ctrl_7_only_the_archivist_proposes(lines, request, who):
    before = snapshot()
    with pytest.raises(DocumentsRefused):
        retention.purge_propose(by=request.getfixturevalue(who), lines=[lines["void_3y"]])
    assert snapshot() == before


def test_r_ctrl_7_decided_by_the_head_never_their_own(lines, archivist, department_head, staff):
    from accounts.roles import Role, assign_role

    assign_role(department_head, Role.ARCHIVIST)
    head = type(department_head).objects.get(pk=department_head.pk)
    own = retention.purge_propose(by=head, lines=[lines["void_3y"]])
    other = retention.purge_propose(by=archivist, lines=[lines["lapsed_1y"]])
    before = snapshot()
    for purge, by in ((own, head), (other, staff), (other, archivist)):
        with pytest.raises(DocumentsRefused):
            retention.purge_approve(purge=purge, by=by)
        with pytest.raises(DocumentsRefused):
            retention.purge_refuse(purge=purge, by=by, reason="不同意")
    assert snapshot() == before


def test_r_ctrl_7_refused_list_frees_its_lines(lines, archivist, department_head):
    purge = retention.purge_propose(by=archivist, lines=[lines["void_3y"]])
    before = snapshot()
    with pytest.raises(DocumentsRefused):
        retention.purge_refuse(purge=purge, by=department_head, reason="")
    assert snapshot() == before
    retention.purge_refuse(purge=purge, by=department_head, reason="审计未完成")
    purge = fresh(purge)
    assert (purge.state, purge.refusal_reason, purge.decided_by) == (PurgeState.REFUSED, "审计未完成", department_head)
    assert purge.history.latest().history_change_reason == DocumentsReason.PURGE_REFUSED
    assert fresh(lines["void_3y"]).purge is None
    assert lines["void_3y"].control_number in due_numbers()
    before = snapshot()
    with pytest.raises(DocumentsRefused):  # decided once
        retention.purge_approve(purge=purge, by=department_head)
    assert snapshot() == before


def test_r_ctrl_7_approval_refused_when_the_retention_was_lengthened(lines, archivist, department_head):
    purge = retention.purge_propose(by=archivist, lines=[lines["void_3y"]])
    policy = DocumentsPolicy.current()
    policy.register_retention_after_void_years = 5
    policy.save()
    before = snapshot()
    with pytest.raises(DocumentsRefused, match=lines["void_3y"].control_number):
        retention.purge_approve(purge=purge, by=department_head)
    assert snapshot() == before
