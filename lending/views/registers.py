"""The lending register page: a date range form whose buttons download the
register as PDF or Excel (a background job when it is long); invalid input
shows the form again."""
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.views import gate, refusal_to_form
from lending.forms_registers import LendingRegisterForm
from lending.policies import may_print_lending_register
from records.printing import RegisterTooLarge
from records.register_jobs import deliver, register_from_query


@require_GET
def lending_register_view(request):
    """借阅登记表 for a date range (R-LEND-1), for the archivist and the
    department heads; it lists only loans of records they may see."""
    gate(may_print_lending_register(request.user))
    if "format" not in request.GET:
        return render(request, "lending/register_form.html", {"form": LendingRegisterForm()})
    form, register = register_from_query("lending", request.user, request.GET)
    if register is not None:
        try:
            return deliver(request, name="lending", register=register, fmt=form.cleaned_data["format"])
        except RegisterTooLarge as refusal:
            refusal_to_form(form, refusal)
    return render(request, "lending/register_form.html", {"form": form})
