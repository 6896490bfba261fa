"""Printed registers. Each view validates its form and hands the register
to records.register_jobs.deliver (a download, or a background job when it
is long); invalid input shows the form again."""
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.views import refusal_to_form
from records.forms import CatalogueForm
from records.printing import RegisterTooLarge
from records.register_jobs import deliver, register_from_query


@require_GET
def catalogue(request):
    """归档文件目录 of one class and year. Anyone signed in may print it; it
    lists only what they may see (records.selectors.visible_records)."""
    if "format" not in request.GET:
        return render(request, "records/catalogue_form.html", {"form": CatalogueForm()})
    form, register = register_from_query("catalogue", request.user, request.GET)
    if register is not None:
        try:
            return deliver(request, name="catalogue", register=register, fmt=form.cleaned_data["format"])
        except RegisterTooLarge as refusal:
            refusal_to_form(form, refusal)
    return render(request, "records/catalogue_form.html", {"form": form})
