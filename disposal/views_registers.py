"""The disposal registers' pages (R-DISP-1..3): each shows its selection
form, and its buttons download the register as PDF or Excel (a background
job when it is long, records.register_jobs); invalid input shows the form
again. Only the archivist, the department head and leadership print them
(disposal.policies.may_print_registers)."""
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET

from core.views import gate
from disposal.policies import may_print_registers
from records.register_jobs import register_page

# Source name -> (page title, what the page says the register is).
PAGES = {
    "disposal_report": (
        pgettext_lazy("disposal register", "Appraisal and disposal report"),
        _("The year-end report to leadership of an appraisal list: the items counted by class and retention, "
          "then each item with its proposal and the appraisal opinion, and the signature lines."),
    ),
    "disposal_weeding": (
        pgettext_lazy("disposal register", "Weeding list"),
        _("A weeding list with the reason for each item and the department head's decision and signature."),
    ),
    "disposal_certificate": (
        pgettext_lazy("disposal register", "Destruction list and certificate"),
        _("The records an executed list destroyed, with the date, place and method, the executor, the two "
          "witnesses and when they confirmed, and the signature lines."),
    ),
    "disposal_destroyed": (
        pgettext_lazy("disposal register", "Destruction register"),
        _("Every record ever destroyed, with its list and how it was destroyed. Leave the fields empty to "
          "print all of it."),
    ),
    "disposal_holds": (
        pgettext_lazy("disposal register", "Holds register"),
        _("The holds placed on records: on what, why, by whom and until when, and who released them."),
    ),
}


def _register_page(request, name, url_name):
    gate(may_print_registers(request.user))
    title, intro = PAGES[name]
    context = {"title": title, "intro": intro, "url_name": url_name}
    # A link may preselect the list (?list=<pk>) or the selection.
    return register_page(
        request, name, template="disposal/register_form.html", context=context, initial=request.GET.dict(),
    )


@require_GET
def report_register(request):
    """档案鉴定销毁报告 of an appraisal list (R-DISP-2)."""
    return _register_page(request, "disposal_report", "disposal_report_register")


@require_GET
def weeding_register(request):
    """剔除清册 of a weeding list (R-DISP-1)."""
    return _register_page(request, "disposal_weeding", "disposal_weeding_register")


@require_GET
def certificate_register(request):
    """档案销毁清册 / 销毁证明 of an executed list (R-DISP-3)."""
    return _register_page(request, "disposal_certificate", "disposal_certificate_register")


@require_GET
def destroyed_register(request):
    """销毁登记簿: every record ever destroyed (R-DISP-3)."""
    return _register_page(request, "disposal_destroyed", "disposal_destroyed_register")


@require_GET
def holds_register(request):
    """冻结登记簿: holds in force, or all."""
    return _register_page(request, "disposal_holds", "disposal_holds_register")
