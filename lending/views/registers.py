"""The lending register page: a date range form whose buttons download the
register as PDF or Excel; invalid input shows the form again."""
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.views import gate, refusal_to_form
from lending.forms_registers import LendingRegisterForm
from lending.policies import may_print_lending_register
from lending.registers import lending_register
from records.printing import RegisterTooLarge


@require_GET
def lending_register_view(request):
    """借阅登记表 for a date range (R-LEND-1), for the archivist and the
    department heads; it lists only loans of records they may see."""
    gate(may_print_lending_register(request.user))
    form = LendingRegisterForm(request.GET if "format" in request.GET else None)
    if form.is_valid():
        register = lending_register(
            request.user, date_from=form.cleaned_data["date_from"], date_to=form.cleaned_data["date_to"]
        )
        try:
            return register.response(form.cleaned_data["format"])
        except RegisterTooLarge as refusal:
            refusal_to_form(form, refusal)
    return render(request, "lending/register_form.html", {"form": form})
