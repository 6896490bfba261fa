"""The irreversible steps, each behind a confirmation page that says what
will happen and to how many records: approving (the department head's
signature, then leadership's final approval of destruction, R-DISP-1,
R-DISP-2) and executing (R-DISP-3); and recording the destruction (date,
place, method, executor, two witnesses) before execution.

Each page checks the items again, read-only, as the service will under its
locks (disposal.checks.recheck_problems), and names the records that can no
longer be carried out with a way to strike them off; the service refuses
the same (ItemsRefused) if anything changed meanwhile, and nothing
changes."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.text import join_clauses
from core.views import refusal_to_form
from disposal import checks, policies, queries
from disposal.exceptions import DisposalRefused
from disposal.forms import ConfirmForm, DestructionForm
from disposal.models import ItemAction, ListKind
from disposal.services import destruction_record, list_approve, list_execute
from disposal.views.common import GET_OR_POST, as_seen, log_listed, posted, to_list, viewable_list, with_labels
from records.models import Record

# Records named in a table of problems, at most (the message counts the rest).
PROBLEMS_SHOWN = 200


def _problem_rows(items, problems):
    """[(item, reasons)] of the items whose record has a problem, by archive number."""
    rows = [(item, join_clauses(problems[item.record_id])) for item in items if item.record_id in problems]
    rows.sort(key=lambda row: row[0].record.archive_number or "")
    return rows[:PROBLEMS_SHOWN]


def _preview(disposal_list, *, executing=False):
    """(live items, {record id: [reasons]}): what the service would refuse
    now, read without locks."""
    items = list(queries.live_items(disposal_list))
    records = Record.objects.in_bulk([item.record_id for item in items])
    today = timezone.localdate() if executing else None
    return items, checks.recheck_problems(items, records, today=today)


def _what_happens(disposal_list, step, counts):
    """[(proposal, count, when it takes effect)] of the live items."""
    when = {
        ItemAction.WEED: _("The records become weeded now; they are destroyed from a later appraisal list."),
        ItemAction.EXTEND: _("Takes effect now: the new end of retention is recorded with history."),
        ItemAction.KEEP_PERMANENTLY: _("Takes effect now: the records are kept permanently."),
        ItemAction.TRANSFER: _("Carried out when the archivist executes the list."),
        ItemAction.DESTROY: _("Waits for leadership's final approval, then for execution with two witnesses.")
        if step == policies.STEP_HEAD
        else _("Destroyed when the archivist executes the list with two witnesses."),
    }
    return [(ItemAction(action).label, count, when[action]) for action, count in sorted(counts.items())]


def _confirmation(request, disposal_list, *, template, executing, confirm_form, extra):
    items, problems = _preview(disposal_list, executing=executing)
    shown = with_labels(items[: queries.SHOWN_ON_CONFIRMATION])
    log_listed(request, [item.record for item in shown], disposal_list.number)
    context = {
        "disposal_list": disposal_list,
        "count": len(items),
        "shown": shown,
        "more": len(items) - len(shown),
        "problems": _problem_rows(items, problems),
        "problem_count": len(problems),
        "confirm_form": confirm_form,
        **extra,
    }
    return render(request, template, context)


def _act(request, disposal_list, service, confirm_form):
    """Call the service with the list as the page showed it; True when done."""
    if not confirm_form.is_valid():
        return False
    try:
        service(disposal_list=as_seen(disposal_list, confirm_form.cleaned_data["state"]), by=request.user)
    except DisposalRefused as refusal:
        # ItemsRefused too: the page names the records again, read anew.
        refusal_to_form(confirm_form, refusal)
        return False
    return True


@require_http_methods(GET_OR_POST)
def list_approve_view(request, pk):
    """The signature the list waits for, after a page saying what it sets
    in motion and for how many records."""
    disposal_list = viewable_list(request, pk)
    step = policies.next_step(disposal_list)
    if request.method == "GET" and not policies.may_approve(request.user, disposal_list, step):
        return to_list(request, disposal_list, _("This list is not waiting for your approval."))
    confirm_form = ConfirmForm(posted(request), initial={"state": disposal_list.state})
    if request.method == "POST" and _act(request, disposal_list, list_approve, confirm_form):
        messages.success(request, _("You approved list %(number)s.") % {"number": disposal_list.number})
        return redirect("disposal_list_detail", disposal_list.pk)
    counts = queries.item_counts(disposal_list)["live"]
    return _confirmation(
        request,
        disposal_list,
        template="disposal/list_approve.html",
        executing=False,
        confirm_form=confirm_form,
        extra={
            "step": step,
            "is_head": step == policies.STEP_HEAD,
            "weeding": disposal_list.kind == ListKind.WEEDING,
            "what_happens": _what_happens(disposal_list, step, counts),
        },
    )


@require_http_methods(GET_OR_POST)
def list_execute_view(request, pk):
    """Carry the approved list out, all or nothing (R-DISP-3), after a page
    saying how many records are destroyed or transferred out and how many
    files removed; it cannot be undone."""
    disposal_list = viewable_list(request, pk)
    if request.method == "GET" and not policies.may_execute(request.user, disposal_list):
        return to_list(request, disposal_list, _("This list is not approved for execution, or you do not execute lists."))
    confirm_form = ConfirmForm(posted(request), initial={"state": disposal_list.state})
    if request.method == "POST" and _act(request, disposal_list, list_execute, confirm_form):
        messages.success(request, _("List %(number)s was executed.") % {"number": disposal_list.number})
        return redirect("disposal_list_detail", disposal_list.pk)
    destruction = queries.destruction_of_list(disposal_list)
    witnesses = queries.current_witnesses(destruction)
    counts = queries.item_counts(disposal_list)["live"]
    destroys = counts.get(ItemAction.DESTROY, 0)
    witnessed = len(witnesses) == 2 and all(witness.confirmed_at for witness in witnesses)
    return _confirmation(
        request,
        disposal_list,
        template="disposal/list_execute.html",
        executing=True,
        confirm_form=confirm_form,
        extra={
            "destroys": destroys,
            "transfers": counts.get(ItemAction.TRANSFER, 0),
            "files": queries.files_to_destroy(disposal_list) if destroys else 0,
            "destruction": destruction,
            "witnesses": witnesses,
            "ready": not destroys or (destruction is not None and witnessed),
        },
    )


def _destruction_initial(request, destruction):
    if destruction is None:
        return {"date": timezone.localdate(), "executor": request.user}
    witnesses = queries.current_witnesses(destruction)
    initial = {name: getattr(destruction, name) for name in ("date", "place", "method", "executor")}
    for number, witness in enumerate(witnesses[:2], start=1):
        initial[f"witness_{number}"] = witness.user
    return initial


@require_http_methods(GET_OR_POST)
def destruction_record_view(request, pk):
    """The archivist records (or corrects, before execution) how the list's
    destroy items were destroyed; the two witnesses are asked to confirm."""
    disposal_list = viewable_list(request, pk)
    if request.method == "GET" and not policies.may_execute(request.user, disposal_list):
        return to_list(request, disposal_list, _("This list is not approved for execution, or you do not execute lists."))
    destruction = queries.destruction_of_list(disposal_list)
    form = DestructionForm(posted(request), initial=_destruction_initial(request, destruction))
    if request.method == "POST" and form.is_valid():
        try:
            destruction_record(disposal_list=disposal_list, by=request.user, **form.facts())
        except DisposalRefused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The destruction was recorded; the two witnesses were asked to confirm it."))
            return redirect("disposal_list_detail", disposal_list.pk)
    counts = queries.item_counts(disposal_list)["live"]
    return render(
        request,
        "disposal/destruction_form.html",
        {"disposal_list": disposal_list, "form": form, "destroys": counts.get(ItemAction.DESTROY, 0)},
    )
