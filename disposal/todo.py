"""What disposal has waiting for the viewer, on the home page's to-do list
(records.todo; registered in DisposalConfig.ready()):

- the department head: lists to sign (R-DISP-1, R-DISP-2);
- leadership: destructions waiting for their approval (R-DISP-2);
- the archivist: lists to execute, lists returned to them, their drafts
  (R-DISP-1..3);
- witnesses: destructions to confirm (R-DISP-3);
- those who release holds: holds past their end date, still on the books
  (issue 12), to release or extend."""
from django.urls import reverse
from django.utils.translation import gettext as _

from disposal import policies, queries, selectors
from disposal.models import DisposalList, ListState
from records.policies import may_release_hold
from records.todo import item_if, register_todo


def signature_items(request):
    """Lists waiting for the viewer's signature: the head signs submitted
    lists, leadership the destructions the head approved."""
    user = request.user
    if not policies.may_view(user):
        return []
    waiting = selectors.lists_waiting_for(user)
    inbox = reverse("disposal_inbox")
    return [
        *item_if(
            user.has_perm(policies.APPROVE_DISPOSAL),
            _("Disposal lists waiting for your signature"),
            waiting.filter(state=ListState.SUBMITTED),
            inbox,
        ),
        *item_if(
            user.has_perm(policies.APPROVE_DESTRUCTION),
            _("Destructions waiting for your approval"),
            waiting.filter(state=ListState.HEAD_APPROVED),
            inbox,
            tone="warning",
        ),
    ]


def drafter_items(request):
    """The archivist's lists in work."""
    user = request.user
    if not (policies.may_draft(user) and policies.may_view(user)):
        return []
    inbox = reverse("disposal_inbox")
    drafts = DisposalList.objects.filter(drafted_by=user, state=ListState.DRAFT)
    return [
        *item_if(True, _("Approved disposal lists to carry out"), queries.lists_to_execute(), inbox),
        *item_if(True, _("Disposal lists returned to you"), queries.returned_lists(user), inbox, tone="warning"),
        *item_if(True, _("Disposal lists in draft"), drafts, inbox),
    ]


def witness_items(request):
    user = request.user
    return item_if(
        True,
        _("Destructions waiting for your confirmation as witness"),
        selectors.confirmations_waiting_for(user),
        reverse("disposal_witness_list"),
    )


def hold_items(request):
    """Holds whose end date passed: they no longer freeze their record,
    but stay listed until someone releases them (disposal.views_holds)."""
    user = request.user
    if not may_release_hold(user):
        return []
    ended = selectors.visible_holds(user).past_end()
    return item_if(
        True,
        _("Holds past their end date, to release"),
        ended,
        reverse("disposal_holds") + "?state=ended",
        tone="warning",
    )


def register_todos():
    register_todo("disposal.signatures", signature_items, order=30)
    register_todo("disposal.drafter", drafter_items, order=35)
    register_todo("disposal.witness", witness_items, order=36)
    register_todo("disposal.holds", hold_items, order=38)
