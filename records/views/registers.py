"""Printed registers. Each view validates its form, asks records.registers
for the register and returns the file; invalid input shows the form again."""
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.views import refusal_to_form
from records.forms import CatalogueForm
from records.printing import RegisterTooLarge
from records.registers import catalogue_register


@require_GET
def catalogue(request):
    """归档文件目录 of one class and year. Anyone signed in may print it; it
    lists only what they may see (records.selectors.visible_records)."""
    form = CatalogueForm(request.GET if "format" in request.GET else None)
    if form.is_valid():
        register = catalogue_register(
            request.user, category=form.cleaned_data["category"], year=form.cleaned_data["year"]
        )
        try:
            return register.response(form.cleaned_data["format"])
        except RegisterTooLarge as refusal:
            refusal_to_form(form, refusal)
    return render(request, "records/catalogue_form.html", {"form": form})
