"""Helpers shared by the lending tests: the other department's head, a
request taken through all its signatures, and a snapshot of every row a
lending action could touch (to show that a refusal changed nothing)."""
from django.core import mail
from django_tasks_db.models import DBTaskResult

from accounts.models import Department, Notice
from accounts.roles import Role, assign_role
from lending import policies, services
from lending.models import Approval, Extension, Incident, Loan, LoanRequest, ReminderSent
from records.models import AccessGrant, Record
from tests.factories import UserFactory

SNAPSHOT_MODELS = (LoanRequest, Approval, Loan, Extension, Incident, Notice, ReminderSent, AccessGrant, Record)


def make_outside_head(username="cwb_head"):
    """The head of the outsiders' department (财务部), named on the department."""
    department, _created = Department.objects.get_or_create(code="CWB", defaults={"name": "财务部"})
    head = UserFactory(username=username, department=department)
    assign_role(head, Role.OUTSIDE_STAFF)
    department.head = head
    department.save()
    return head


def snapshot():
    """Every row (and history row) a lending action could write, plus the mail sent."""
    rows = {}
    for model in SNAPSHOT_MODELS:
        rows[model.__name__] = list(model.objects.order_by("pk").values())
        history = getattr(model, "history", None)
        if history is not None:
            rows[f"{model.__name__}.history"] = history.count()
    # Mail is queued for the worker (core.mail): count what was sent and queued.
    rows["mail"] = len(mail.outbox) + DBTaskResult.objects.filter(task_path="core.mail.send_mail_task").count()
    return rows


def approve_all(request):
    """Sign every step the request needs, each by its first signer."""
    while True:
        request.refresh_from_db()
        pending = policies.next_approval(request)
        if pending is None or request.state != "pending":
            return request
        request = services.request_decide(request=request, approver=pending.approvers[0], approve=True)


def approved_request(requester, record, *, kind="borrow", days=2, purpose="市场分析"):
    request = services.request_create(requester=requester, record=record, kind=kind, days=days, purpose=purpose)
    return approve_all(request)
