"""The holds screens (冻结, issue 12 point 4): the department head and
leadership freeze records against weeding, listing and destruction, on one
record, a class and year, or the records of a client or a contract
(records.hold_scopes), with a reason and an optional end date; and release
a hold with a reason. Placing shows first how many records and which, and
writes nothing until confirmed.

Who may is records.policies.may_place_hold / may_release_hold; the hold
itself is written by records.services.holds (reason, end date, history),
whose refusals reach the form through core.views.refusal_to_form."""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from core.views import gate, refusal_to_form
from disposal.forms_holds import PLACE_FORMS, HoldFilterForm, ReleaseForm
from disposal.selectors import visible_holds
from records import policies
from records.exceptions import RecordActionRefused
from records.models import Hold
from records.paging import page_of
from records.services.holds import hold_place, hold_release, holds_place

GET_OR_POST = ["GET", "HEAD", "POST"]
# The confirmation lists this many of the records a hold would freeze.
SHOWN_ON_CONFIRMATION = 50


def _may_see_holds(user):
    return policies.may_place_hold(user) or policies.may_release_hold(user)


@require_safe
def hold_list(request):
    """Holds in force (or past their end date, released, all), newest
    first, 20 a page, searchable by archive number, reason or scope."""
    user = request.user
    gate(_may_see_holds(user))
    form = HoldFilterForm(request.GET or None)
    holds = form.filter(visible_holds(user)).select_related("record", "placed_by", "released_by")
    page = page_of(request, holds)
    return render(
        request,
        "disposal/holds_list.html",
        {
            "form": form,
            "page_obj": page,
            "holds": list(page.object_list),
            "may_place": policies.may_place_hold(user),
            "may_release": policies.may_release_hold(user),
        },
    )


def _place(request, kind):
    """One place screen: the form, then the confirmation (how many records
    and the first of them), then the holds."""
    gate(policies.may_place_hold(request.user))
    posted = request.POST if request.method == "POST" else None
    form = PLACE_FORMS[kind](posted, user=request.user)
    if posted is None or "edit" in posted or not form.is_valid():
        return _form_page(request, kind, form)
    records = form.target_records()
    count = records.count()
    if not count:
        form.add_error(None, _("There is no record left to freeze there that you may see."))
        return _form_page(request, kind, form)
    if "confirm" in posted:
        if posted.get("expected") == str(count):
            return _confirmed(request, kind, form, records)
        messages.warning(request, _("The records changed since you checked them; check them again."))
    return _confirmation_page(request, kind, form, records, count)


def _confirmed(request, kind, form, records):
    terms = form.hold_terms()
    try:
        if kind == "record":
            holds = [hold_place(record=form.record, by=request.user, **terms)]
        else:
            holds = holds_place(records=records.values_list("pk", flat=True), by=request.user, **terms)
    except RecordActionRefused as refusal:
        refusal_to_form(form, refusal)
        return _form_page(request, kind, form)
    messages.success(
        request,
        ngettext("%(count)d record was frozen.", "%(count)d records were frozen.", len(holds)) % {"count": len(holds)},
    )
    return redirect("disposal_holds")


def _form_page(request, kind, form):
    return render(request, "disposal/holds_place.html", {"form": form, "kind": kind, "kinds": _kinds()})


def _confirmation_page(request, kind, form, records, count):
    shown = list(records.select_related("category").order_by("archive_number", "pk")[:SHOWN_ON_CONFIRMATION])
    frozen = set(Hold.objects.active().filter(record__in=shown).values_list("record_id", flat=True))
    for record in shown:
        record.already_frozen = record.pk in frozen
    return render(
        request,
        "disposal/holds_confirm.html",
        {
            "form": form,
            "kind": kind,
            "count": count,
            "records": shown,
            "more": count - len(shown),
            "scope_text": form.scope_text(),
        },
    )


def _kinds():
    """The place screens, for the tabs above each of them."""
    return [
        ("record", "disposal_hold_place_record", _("One record")),
        ("class", "disposal_hold_place_class", _("A class and year")),
        ("scope", "disposal_hold_place_scope", _("A client or a contract")),
    ]


@require_http_methods(GET_OR_POST)
def hold_place_record(request):
    return _place(request, "record")


@require_http_methods(GET_OR_POST)
def hold_place_class(request):
    return _place(request, "class")


@require_http_methods(GET_OR_POST)
def hold_place_scope(request):
    return _place(request, "scope")


@require_http_methods(GET_OR_POST)
def hold_release_view(request, pk):
    """Release a hold with a reason; the page shows the hold first."""
    gate(policies.may_release_hold(request.user))
    hold = get_object_or_404(
        visible_holds(request.user).select_related("record", "placed_by", "released_by"), pk=pk
    )
    form = ReleaseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            hold_release(hold=hold, by=request.user, reason=form.cleaned_data["release_reason"])
        except RecordActionRefused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(
                request, _("The hold on %(record)s was released.") % {"record": hold.record.archive_number}
            )
            return redirect("disposal_holds")
    return render(request, "disposal/holds_release.html", {"hold": hold, "form": form})
