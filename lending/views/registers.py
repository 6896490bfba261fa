"""The lending register page: a date range form whose buttons download the
register as PDF or Excel (a background job when it is long); invalid input
shows the form again."""
from django.views.decorators.http import require_GET

from core.views import gate
from lending.policies import may_print_lending_register
from records.register_jobs import register_page


@require_GET
def lending_register_view(request):
    """借阅登记表 for a date range (R-LEND-1), for the archivist and the
    department heads; it lists only loans of records they may see."""
    gate(may_print_lending_register(request.user))
    return register_page(request, "lending", template="lending/register_form.html")
