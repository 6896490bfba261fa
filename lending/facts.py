"""What lending's rules read besides the request in front of them: the
policy values, the departments with their heads, who holds
lending.approve_loan, and what a requester may see (records' rules).

The rules (lending.policies) ask an ApprovalFacts for each of these, never
the database, so a page reads each fact once (issue 11):

- `ApprovalFacts()` reads a fact when a rule first asks for it and keeps it
  for the rest of the page: a request form, the record page, a service call.
- `ApprovalFacts.for_requests(requests)` reads the facts of many requests
  together (the approvals inbox, the navigation counter, 我的借阅): the
  policy row, the archive's department, the requesters' departments with
  their heads and the holders of lending.approve_loan in them, in four
  queries however many requests there are. What the people asking to view
  may see is records' question: asked of records for all of them together
  when a rule first needs it (records.selectors.confidential_readers, one
  query; records.selectors.visible_pairs, three), however many different
  people ask.

Facts are read again for each page: heads and permissions are changed in
the back office, and the rules follow them as they stand."""
import collections
from functools import cached_property

from django.contrib.auth import get_user_model

from accounts.models import Department
from lending.models import LendingPolicy, RequestKind
from records.selectors import can_see_confidential, confidential_readers, visible_pairs, visible_records

APPROVE_PERMISSION = "lending.approve_loan"
HANDLE_PERMISSION = "lending.handle_loan"

# Who holds a permission is read from the role groups (ModelBackend); the
# sign-in throttling backend (django-axes) knows no permissions.
PERMISSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


def holders(permission):
    """Active users holding `permission` through their roles or themselves."""
    User = get_user_model()
    return User.objects.with_perm(permission, include_superusers=False, backend=PERMISSION_BACKEND)


def _departments_with_heads(pks):
    return {department.pk: department for department in Department.objects.select_related("head").filter(pk__in=pks)}


class ApprovalFacts:
    """The facts one page's rules read, each read once (see the module
    docstring)."""

    def __init__(self):
        self._departments = {}  # pk → Department with its head, or None
        self._approvers = {}  # department pk → [holders of approve_loan]
        self._sees_confidential = {}  # user pk → bool
        self._sees = {}  # (user pk, record pk) → bool
        # The requests to view of for_requests, asked of records together on first need.
        self._viewers = set()  # user pks
        self._asked_to_view = set()  # (user pk, record pk)

    @cached_property
    def policy(self):
        """LendingPolicy's values in force."""
        return LendingPolicy.current()

    @cached_property
    def archive_department(self):
        """The department owning the archive, with its head, or None."""
        department = Department.objects.filter(owns_archive=True).select_related("head").first()
        if department is not None:
            self._departments[department.pk] = department
        return department

    def department(self, pk):
        """Department `pk` with its head, or None (no department)."""
        if pk is None:
            return None
        if pk not in self._departments:
            self._departments[pk] = _departments_with_heads([pk]).get(pk)
        return self._departments[pk]

    def approvers_in(self, department):
        """Active members of `department` holding lending.approve_loan, by pk."""
        if department.pk not in self._approvers:
            self._approvers[department.pk] = list(
                holders(APPROVE_PERMISSION).filter(department=department).order_by("pk")
            )
        return self._approvers[department.pk]

    def sees_confidential(self, user):
        """Whether `user` sees confidential records (records' rule, R-LEND-4).
        Everyone asking to view in for_requests is asked about together."""
        if user.pk not in self._sees_confidential:
            if self._viewers:
                people, self._viewers = self._viewers | {user.pk}, set()
                readers = confidential_readers(people)
                self._sees_confidential.update({pk: pk in readers for pk in people})
            else:
                self._sees_confidential[user.pk] = can_see_confidential(user)
        return self._sees_confidential[user.pk]

    def sees(self, user, record):
        """Whether `user` may see `record` now (records' rule, R-ACCESS).
        Every request to view in for_requests is asked about together."""
        key = (user.pk, record.pk)
        if key not in self._sees:
            if self._asked_to_view:
                pairs, self._asked_to_view = self._asked_to_view | {key}, set()
                seen = visible_pairs(pairs)
                self._sees.update({pair: pair in seen for pair in pairs})
            else:
                self._sees[key] = visible_records(user).filter(pk=record.pk).exists()
        return self._sees[key]

    @classmethod
    def for_requests(cls, requests):
        """The facts for weighing `requests` (saved requests or drafts, with
        their requester and record loaded) together."""
        facts = cls()
        facts.policy
        archive = facts.archive_department
        department_ids = {request.requester.department_id for request in requests} - {None}
        if archive is not None:
            department_ids.add(archive.pk)
        found = _departments_with_heads(department_ids - facts._departments.keys())
        facts._departments.update({pk: found.get(pk, facts._departments.get(pk)) for pk in department_ids})
        approvers = collections.defaultdict(list)
        for user in holders(APPROVE_PERMISSION).filter(department_id__in=department_ids).order_by("pk"):
            approvers[user.department_id].append(user)
        facts._approvers.update({pk: approvers[pk] for pk in department_ids})
        for request in requests:
            if request.kind == RequestKind.VIEW:
                facts._viewers.add(request.requester.pk)
                facts._asked_to_view.add((request.requester.pk, request.record.pk))
        return facts
