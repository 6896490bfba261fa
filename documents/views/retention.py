"""The distribution register's retention (R-CTRL-7): lines kept 3 years
after a document is voided and 1 year after a time-limited one lapses (the
policy's values), then listed as due for disposal; never deleted silently.

- documents_retention: the lines due (documents.selectors.
  lines_due_for_disposal), ticked or all proposed on a purge list by the
  archivist (documents.services.retention.purge_propose); the purge lists,
  those awaiting the head first. The head reads it.
- documents_purge_detail: a purge list's lines; the head approves (after a
  confirmation) or refuses with a reason (purge_approve, purge_refuse),
  never their own proposal; an approved list links to its certificate.

Views stay thin: gate, form, service, refusal to the form or a message
(core.views)."""
from django.contrib import messages
from django.db.models import Case, Count, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from core.views import gate, refusal_to_form
from documents import policies, selectors
from documents.exceptions import DocumentsRefused
from documents.forms_lifecycle import PurgeDecisionForm, PurgeProposeForm
from documents.models import DocumentsPolicy, PurgeState, RegisterPurge
from documents.services import retention
from records.paging import page_of

GET_OR_POST = ["GET", "HEAD", "POST"]
_LINE_RELATIONS = ("document", "recipient_user", "recipient_department", "holder")


def _may_read(user):
    return policies.may_distribute(user) or policies.may_decide_purges(user)


def _purges():
    waiting_first = Case(When(state=PurgeState.PROPOSED, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (
        RegisterPurge.objects.select_related("proposed_by", "decided_by")
        .annotate(line_count=Count("proposed_lines"))
        .order_by(waiting_first, "-proposed_at", "-pk")
    )


def _retention_page(request, form):
    due = selectors.lines_due_for_disposal().select_related(*_LINE_RELATIONS).order_by(
        "document__ended_at", "document_id", "copy_number"
    )
    lines = page_of(request, due)
    purges = page_of(request, _purges(), page_param="purges")
    policy = DocumentsPolicy.current()
    return render(request, "documents/retention_index.html", {
        "form": form, "lines_page": lines, "lines": list(lines.object_list),
        "purges_page": purges, "purges": list(purges.object_list),
        "after_void": policy.register_retention_after_void_years,
        "after_lapse": policy.register_retention_after_lapse_years,
        "may_propose": policies.may_distribute(request.user),
    })


@require_http_methods(GET_OR_POST)
def retention_index(request):
    """Register lines due for disposal and the purge lists (R-CTRL-7)."""
    gate(_may_read(request.user))
    if request.method != "POST":
        return _retention_page(request, None)
    gate(policies.may_distribute(request.user))
    form = PurgeProposeForm(request.POST, due=selectors.lines_due_for_disposal())
    if form.is_valid():
        try:
            purge = retention.purge_propose(by=request.user, lines=form.chosen_lines())
        except DocumentsRefused as refusal:
            refusal_to_form(form, refusal)
        else:
            count = purge.proposed_lines.count()
            messages.success(request, ngettext(
                "Purge list %(number)s of %(count)d register line waits for the department head.",
                "Purge list %(number)s of %(count)d register lines waits for the department head.", count,
            ) % {"number": purge.number, "count": count})
            return redirect("documents_purge_detail", purge.pk)
    return _retention_page(request, form)


def _purge_page(request, purge, form):
    lines = page_of(request, purge.proposed_lines.select_related(*_LINE_RELATIONS).order_by(
        "document__year", "document__serial", "copy_number"))
    return render(request, "documents/retention_purge.html", {
        "purge": purge, "form": form, "lines_page": lines, "lines": list(lines.object_list),
        "page_obj": lines,
        "may_decide": purge.state == PurgeState.PROPOSED and policies.may_decide_purge(request.user, purge),
        "own": purge.proposed_by_id == request.user.pk,
    })


def _decide(request, purge, form):
    """Approve or refuse as the button pressed says; True when done."""
    data = form.cleaned_data
    try:
        if data["decision"] == PurgeDecisionForm.APPROVE:
            retention.purge_approve(purge=purge, by=request.user)
            messages.success(request, _("Purge list %(number)s is approved: its lines leave the register.") % {
                "number": purge.number})
        else:
            retention.purge_refuse(purge=purge, by=request.user, reason=data["reason"])
            messages.success(request, _("Purge list %(number)s is refused.") % {"number": purge.number})
    except DocumentsRefused as refusal:
        refusal_to_form(form, refusal)
        return False
    return True


@require_http_methods(GET_OR_POST)
def purge_detail(request, pk):
    """A purge list: its lines, and the head's decision (R-CTRL-7)."""
    gate(_may_read(request.user))
    purge = get_object_or_404(RegisterPurge.objects.select_related("proposed_by", "decided_by"), pk=pk)
    if request.method != "POST":
        return _purge_page(request, purge, PurgeDecisionForm())
    gate(policies.may_decide_purges(request.user))
    form = PurgeDecisionForm(request.POST)
    if form.is_valid() and _decide(request, purge, form):
        return redirect("documents_purge_detail", purge.pk)
    return _purge_page(request, purge, form)
