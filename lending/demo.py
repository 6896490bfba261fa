"""Demo lending for `manage.py seed_demo_lending`, run after `seed_demo`.

Every request, signature, hand-out and return goes through
lending.services, so the rules (lending.policies), the one-open-loan
constraint, history and notices are the real ones. The demo shows each
state a visitor should meet:

- 张伟 (staff) asks to view a confidential record: waits for the head 刘洋
  (R-LEND-4);
- 李娜 (finance) asks to borrow: waits for both heads, 钱峰 first, then
  刘洋 (R-LEND-3, the IOU);
- 张伟 asks to borrow for longer than the loan period: 刘洋 signed
  (R-LEND-2), it waits for the archivist to hand it out;
- 张伟 has a loan due tomorrow; 李娜 has an overdue one, signed by both
  heads;
- 张伟 returned one loan complete and one damaged with pages missing: an
  open incident names him (R-LEND-5, R-LEND-6);
- 张伟 viewed a record in place (the register lists it, R-LEND-1);
- the two records `seed_demo` put on loan (records.demo_loans.DEMO_LOANS:
  records.demo calls records.services.record_check_out directly, with no
  Loan row) are taken back and lent again to the same people through the
  lending desk, so every record out has a loan with a borrower and a due
  date.

The services stamp the current time. Loans that should look older
(overdue, returned last week) are moved into the past afterwards, by saving
each row with the reason DATES_MOVED: the history keeps the service's
entries and adds one saying the dates were moved for the demo, rather than
a silent QuerySet.update().

Records are chosen by archive number from the seeded data, so the demo is
the same on every machine. Running it again changes nothing: each request
is recognised by its requester and purpose.
"""
import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import demo as accounts_demo
from core.history import acting_as, save_with_history
from accounts.models import User
from lending import services
from lending.models import Incident, Loan, LoanRequest, RequestKind, RequestState
from lending.policies import next_approval
from records import demo as records_demo
from records.demo_loans import DEMO_LOANS
from records.models import Medium, Record, RecordStatus, SecurityLevel
from records.services import record_check_in

DATES_MOVED = accounts_demo.DemoReason.DATES_MOVED
LEGACY_CHECK_IN = accounts_demo.DemoReason.LEGACY_CHECK_IN
LEGACY_PURPOSE = "继续使用（演示数据：原借出记录补登借阅单）"

# The demo people, by username (accounts.demo).
STAFF, OUTSIDER, ARCHIVIST, HEAD, FINANCE_HEAD = "staff", "outsider", "archivist", "head", "cwhead"


@dataclass(frozen=True)
class Scenario:
    """One demo request and how far it goes.

    category_code, security_level: what kind of record is asked for;
    stage: "pending" (asked only), "signed" (every signature given),
    "out" (handed out), "returned", "damaged" (returned damaged, pages
    missing), "shown" (viewed in place).
    out_days_ago / returned_days_ago: where the dates are moved to."""

    key: str
    requester: str
    kind: str
    category_code: str
    security_level: str
    days: int
    purpose: str
    stage: str
    out_days_ago: float = 0
    returned_days_ago: float | None = None


SCENARIOS = [
    Scenario("confidential_view", STAFF, RequestKind.VIEW, "NBHY", SecurityLevel.CONFIDENTIAL, 1,
             "核对季度价格策略调整幅度，准备代理商沟通材料", "pending"),
    Scenario("outsider_borrow", OUTSIDER, RequestKind.BORROW, "XCBZ", SecurityLevel.PUBLIC, 3,
             "财务部核对检测费用，需查阅标准原文", "pending"),
    Scenario("long_loan", STAFF, RequestKind.BORROW, "NBTJ", SecurityLevel.INTERNAL, 5,
             "编写年度营销工作总结，需对照统计报表原件", "signed"),
    Scenario("due_tomorrow", STAFF, RequestKind.BORROW, "XCPX", SecurityLevel.INTERNAL, 1,
             "准备代理商培训课件", "out"),
    Scenario("overdue", OUTSIDER, RequestKind.BORROW, "XCZH", SecurityLevel.PUBLIC, 2,
             "核对展会样稿与参展费用报销凭据", "out", out_days_ago=4),
    Scenario("returned", STAFF, RequestKind.BORROW, "WLSW", SecurityLevel.INTERNAL, 2,
             "查阅来文原件，答复财务部询问", "returned", out_days_ago=9, returned_days_ago=8),
    Scenario("damaged", STAFF, RequestKind.BORROW, "NBHY", SecurityLevel.INTERNAL, 2,
             "复印会议纪要附件", "damaged", out_days_ago=3, returned_days_ago=1.1),
    Scenario("viewed", STAFF, RequestKind.VIEW, "NBZD", SecurityLevel.INTERNAL, 1,
             "核对通知原件的签发日期", "shown"),
]
DAMAGE_NOTES = "封面撕裂，缺少两页"


class DemoNotReady(Exception):
    """`seed_demo` has not been run."""


def _people():
    usernames = [STAFF, OUTSIDER, ARCHIVIST, HEAD, FINANCE_HEAD]
    people = {user.username: user for user in User.objects.filter(username__in=usernames)}
    if len(people) != len(usernames):
        raise DemoNotReady(_("The demo people are missing: run manage.py seed_demo first."))
    return people


def is_ready():
    return accounts_demo.is_seeded() and records_demo.is_seeded()


def _demo_requests():
    return LoanRequest.objects.filter(purpose__in=[scenario.purpose for scenario in SCENARIOS])


def is_seeded():
    done = set(_demo_requests().values_list("requester__username", "purpose"))
    return all((scenario.requester, scenario.purpose) in done for scenario in SCENARIOS)


def _legacy_loans():
    """Records on loan with no open Loan row: put out by records.demo."""
    open_loans = Loan.objects.filter(returned_at__isnull=True).values("record_id")
    return Record.objects.filter(status=RecordStatus.ON_LOAN).exclude(pk__in=open_loans).order_by("archive_number")


def _legacy_borrower(record, fallback):
    """The person records.demo lent the record to (records.demo_loans),
    or `fallback` for a record out on loan that the demo did not lend."""
    username = DEMO_LOANS.get(record.archive_number)
    borrower = User.objects.filter(username=username).first() if username else None
    return borrower or fallback


def _candidates(security_level, used):
    """Filed paper records of the seeded classes, in archive-number order."""
    open_loans = Loan.objects.filter(returned_at__isnull=True).values("record_id")
    return (
        Record.objects.filter(
            status=RecordStatus.FILED,
            security_level=security_level,
            medium__in=[Medium.PAPER, Medium.BOTH],
            category__scope__in=records_demo.RECORD_SCOPES,
            pages__gte=4,
        )
        .exclude(pk__in=open_loans)
        .exclude(pk__in=used)
        .exclude(loan_requests__isnull=False)
        .order_by("archive_number")
    )


def _pick(scenario, used):
    """The first suitable record of the scenario's class, or of any class."""
    candidates = _candidates(scenario.security_level, used)
    preferred = candidates.filter(category__code=scenario.category_code)
    if scenario.security_level == SecurityLevel.CONFIDENTIAL:
        # Pricing strategy minutes: the case R-LEND-4 is written for.
        preferred = preferred.filter(Q(title__contains="价格") | Q(title__contains="返利"))
    record = preferred.first() or candidates.first()
    if record is None:
        raise DemoNotReady(
            _("No filed record is left for the demo request %(key)s.") % {"key": scenario.key}
        )
    used.add(record.pk)
    return record


def _sign_all(request, people):
    """Each head signs their step, in the order the rules ask (R-LEND-3:
    the borrower's head first, then the archive's head)."""
    while request.state == RequestState.PENDING:
        request = services.request_decide(request=request, approver=_next_signer(request, people), approve=True)
    return request


def _next_signer(request, people):
    step = next_approval(request)
    signers = {user.pk: user for user in step.approvers}
    for username in (FINANCE_HEAD, HEAD):
        if people[username].pk in signers:
            return people[username]
    return step.approvers[0]


def _move_back(loan, *, out_days_ago, returned_days_ago, archivist):
    """Move a loan, its request, signatures and incidents into the past,
    keeping their order; each row gets a history entry saying so."""
    now = timezone.now()
    delta = loan.out_at - (now - datetime.timedelta(days=out_days_ago))
    request = loan.request
    with acting_as(archivist):
        request.created_at -= delta
        if request.decided_at:
            request.decided_at -= delta
        save_with_history(request, reason=DATES_MOVED)
        for approval in request.approvals.all():
            approval.at -= delta
            save_with_history(approval, reason=DATES_MOVED)
        loan.out_at -= delta
        loan.due_at -= delta
        if loan.returned_at is not None:
            loan.returned_at = now - datetime.timedelta(days=returned_days_ago)
        save_with_history(loan, reason=DATES_MOVED)
        for incident in Incident.objects.filter(loan=loan):
            incident.opened_at = loan.returned_at or loan.out_at
            save_with_history(incident, reason=DATES_MOVED)
    return loan


def _play(scenario, record, people):
    requester, archivist = people[scenario.requester], people[ARCHIVIST]
    request = services.request_create(
        requester=requester, record=record, kind=scenario.kind, days=scenario.days, purpose=scenario.purpose
    )
    if scenario.stage == "pending":
        return request
    request = _sign_all(request, people)
    if scenario.stage == "signed":
        return request
    if scenario.stage == "shown":
        return services.view_hand_over(request=request, by=archivist)
    loan = services.loan_check_out(request=request, by=archivist)
    if scenario.stage == "returned":
        loan = services.loan_return(
            loan=loan, by=archivist, pages_returned=record.pages, copies_returned=record.copies
        )
    elif scenario.stage == "damaged":
        loan = services.loan_return(
            loan=loan, by=archivist, pages_returned=record.pages - 2, copies_returned=record.copies,
            damaged=True, notes=DAMAGE_NOTES,
        )
    if scenario.out_days_ago:
        loan = _move_back(
            loan, out_days_ago=scenario.out_days_ago, returned_days_ago=scenario.returned_days_ago,
            archivist=archivist,
        )
    return loan


def _relend_legacy(people):
    """Take back the records records.demo put on loan without a Loan row
    and lend them again to the same people through the desk (R-LEND-1).
    A record that exists only electronically cannot be lent on paper: it
    just goes back on the shelf."""
    archivist, count = people[ARCHIVIST], 0
    for record in _legacy_loans():
        borrower = _legacy_borrower(record, fallback=people[STAFF])
        with acting_as(archivist):
            record = record_check_in(record=record, reason=LEGACY_CHECK_IN)
        if record.medium == Medium.ELECTRONIC:
            continue
        request = services.request_create(
            requester=borrower, record=record, kind=RequestKind.BORROW, days=2, purpose=LEGACY_PURPOSE
        )
        request = _sign_all(request, people)
        services.loan_check_out(request=request, by=archivist)
        count += 1
    return count


def seed_lending(log=print):
    """Play SCENARIOS (see the module docstring). Call inside a transaction."""
    if is_seeded():
        log(_("Lending: demo requests exist, skipped."))
        return False
    people = _people()
    accounts_demo.seed_department_heads(log)
    relent = _relend_legacy(people)
    used, played = set(), 0
    for scenario in SCENARIOS:
        if _demo_requests().filter(requester__username=scenario.requester, purpose=scenario.purpose).exists():
            continue
        _play(scenario, _pick(scenario, used), people)
        played += 1
    log(
        _("Lending: %(played)d demo requests played through the lending services, %(relent)d records on loan "
          "given their loan.")
        % {"played": played, "relent": relent}
    )
    return True

