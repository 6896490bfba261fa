"""The witnesses' pages (监销人, R-DISP-3): each witness sees the
destructions they are asked to confirm and confirms in the application,
for themselves only. A witness may be anyone with an active account: the
page names only the records the witness may see (records.selectors), and
counts the others."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.views import refusal_to_form
from disposal import policies, queries
from disposal.exceptions import DisposalRefused
from disposal.forms import ConfirmForm
from disposal.models import ItemAction, Witness
from disposal.services import witness_confirm
from disposal.views.common import GET_OR_POST, ITEMS_PER_PAGE, log_listed, posted, with_labels
from records.selectors import visibility_condition


@require_safe
def witness_list(request):
    """The destructions the user witnesses, those waiting for their
    confirmation first."""
    witnessings = list(queries.witnessed_by(request.user)[:100])
    return render(request, "disposal/witness_list.html", {"witnessings": witnessings})


def _items_seen(user, disposal_list):
    """The list's records to destroy that `user` may see, and how many
    others there are."""
    items = disposal_list.items.filter(struck_off=False, action=ItemAction.DESTROY)
    condition = visibility_condition(user, through="record__")
    seen = items.none() if condition is None else items.filter(condition)
    seen = seen.select_related("record__category", "record__location").order_by("record__archive_number", "pk")
    return seen, items.count()


@require_http_methods(GET_OR_POST)
def witness_confirm_view(request, pk):
    """One witness's page: what was destroyed, when, where and how, by
    whom; and the confirmation. Someone else's page is not found."""
    witness = get_object_or_404(
        Witness.objects.select_related(
            "destruction__disposal_list", "destruction__executor", "user"
        ).filter(user=request.user),
        pk=pk,
    )
    destruction = witness.destruction
    disposal_list = destruction.disposal_list
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            witness_confirm(witness=witness, by=request.user)
        except DisposalRefused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("You confirmed the destruction under list %(number)s.") % {
                "number": disposal_list.number
            })
            return redirect("disposal_witness_list")
    seen, total = _items_seen(request.user, disposal_list)
    page = Paginator(seen, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    page.items = with_labels(page.object_list)
    log_listed(request, [item.record for item in page.items], _("Witness"))
    others = [other for other in queries.current_witnesses(destruction) if other.pk != witness.pk]
    return render(
        request,
        "disposal/witness_confirm.html",
        {
            "witness": witness,
            "destruction": destruction,
            "disposal_list": disposal_list,
            "others": others,
            "page_obj": page,
            "total": total,
            "hidden": total - page.paginator.count,
            "form": form,
            "may_confirm": witness.is_current and witness.confirmed_at is None,
            "may_view_list": policies.may_view(request.user),
        },
    )
