"""What waits for the viewer: the 待办 list at the top of the home page.

Like records.panels, a registry: records imports none of the apps built on
it (style.md), yet the home page names what each of them has waiting for
the person who signs in (to receive, to hand out, to sign, to count ...).
An app registers a function in its AppConfig.ready():

    register_todo("lending.to_hand_out", to_hand_out, order=20)

`function(request)` returns a list of TodoItem (empty when the user has no
part in it); each item's count is one cheap query (a COUNT), so the home
page asks a fixed number of queries however much waits. Only the items
with something to do are shown, in `order`, each a link to the screen
that does it."""
from dataclasses import dataclass
from typing import Callable

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.todo import LOCKOUT_ADMIN_URL_NAME, locked_sign_ins, sees_lockouts
from records.maintenance.fixity import latest_check, sees_fixity_warning
from records.models import Record, RecordStatus
from records.policies import may_receive, may_submit
from records.selectors import visible_records

TONES = ("normal", "warning", "danger")


@dataclass(frozen=True)
class TodoItem:
    """One line of the to-do list: "5 items to receive", linking to the
    receiving queue. `tone` marks what is late ("danger") or needs care
    soon ("warning")."""

    label: str
    count: int
    url: str
    tone: str = "normal"

    def __post_init__(self):
        if self.tone not in TONES:
            raise ValueError(f"TodoItem tone must be one of {TONES}, not {self.tone!r}")


@dataclass(frozen=True)
class _Registered:
    key: str
    function: Callable
    order: int


_todos = {}


def register_todo(key, function, order=100):
    """Add (or replace: ready() may run more than once) the to-do function
    named `key`. Lower `order` comes first."""
    _todos[key] = _Registered(key, function, order)


def unregister_todo(key):
    _todos.pop(key, None)


def todo_items(request):
    """The TodoItems with something to do for `request.user`, in order
    (by registration order, then in the order each function gave them)."""
    user = getattr(request, "user", None)
    if user is None or not (user.is_authenticated and user.is_active):
        return []
    items = []
    for registered in sorted(_todos.values(), key=lambda todo: (todo.order, todo.key)):
        items.extend(item for item in registered.function(request) if item.count > 0)
    return items


def item_if(allowed, label, queryset_or_count, url, **kwargs):
    """[TodoItem] when `allowed`, counted then (one COUNT query), else []:
    the usual shape of a to-do function's parts."""
    if not allowed:
        return []
    count = queryset_or_count if isinstance(queryset_or_count, int) else queryset_or_count.count()
    return [TodoItem(label, count, url, **kwargs)]


# --- what records itself has waiting ---------------------------------------------------
# Registered in RecordsConfig.ready(): the archivist receives what was handed
# in (R-FILE-3) and hears of stored files that fail their check (R-FILE-6);
# the submitter finishes drafts and fixes what came back (R-FILE-2).


def receiving(request):
    """Items handed in and waiting for the archivist (R-FILE-3)."""
    user = request.user
    return item_if(
        may_receive(user),
        _("Items handed in, waiting to be received"),
        visible_records(user).filter(status=RecordStatus.SUBMITTED),
        reverse("receiving_queue"),
    )


def own_submissions(request):
    """The submitter's drafts and the items returned to them (R-FILE-2)."""
    user = request.user
    if not may_submit(user):
        return []
    mine = Record.objects.filter(submitted_by=user)
    url = reverse("my_submissions")
    return [
        *item_if(
            True,
            _("Submissions returned to you, to correct and hand in again"),
            mine.filter(status=RecordStatus.RETURNED),
            url,
            tone="warning",
        ),
        *item_if(True, _("Drafts not yet handed in"), mine.filter(status=RecordStatus.DRAFT), url),
    ]


def file_check(request):
    """Stored files the newest check found damaged or missing (R-FILE-6)."""
    if not sees_fixity_warning(request.user):
        return []
    check = latest_check()
    if check is None or check.in_order:
        return []
    return [TodoItem(_("Stored files that failed their check"), check.problem_count, reverse("maintenance"), tone="danger")]


def locked_out(request):
    """Sign-ins locked after too many failures, for the system
    administrator (accounts.todo: accounts cannot register here itself)."""
    return item_if(
        sees_lockouts(request.user),
        _("Sign-ins locked after too many wrong passwords"),
        locked_sign_ins(),
        reverse(LOCKOUT_ADMIN_URL_NAME),
        tone="warning",
    )


def register_todos():
    register_todo("records.file_check", file_check, order=5)
    register_todo("records.receiving", receiving, order=10)
    register_todo("records.own_submissions", own_submissions, order=15)
    register_todo("accounts.locked_out", locked_out, order=90)
