"""Printed registers. Each view validates its form and hands the register
to records.register_jobs.deliver (a download, or a background job when it
is long); invalid input shows the form again (register_page)."""
from django.views.decorators.http import require_GET

from records.register_jobs import register_page


@require_GET
def catalogue(request):
    """归档文件目录 of one class and year. Anyone signed in may print it; it
    lists only what they may see (records.selectors.visible_records)."""
    return register_page(request, "catalogue", template="records/catalogue_form.html")
