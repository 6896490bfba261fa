"""The controlled document registers' pages: the distribution register
(受控文件发放登记表) of a document or a year, the list of documents in
force (受控文件清单) and the certificate of an approved purge list. Each
shows its selection form; its buttons download the register as PDF or
Excel (a background job when it is long, records.register_jobs); invalid
input shows the form again. The archivist and the department head read
the distribution register and the certificates
(documents.policies.may_view_documents); the list of documents in force
names no holder and is for every active user."""
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET

from core.views import gate
from documents import policies
from documents.models import PurgeState, RegisterPurge
from records.register_jobs import register_page

DISTRIBUTION = "documents_distribution"
VALID = "documents_valid"
PURGE_CERTIFICATE = "documents_purge_certificate"
TEMPLATE = "documents/registers_form.html"


def _register_page(request, name, context, initial=None):
    return register_page(request, name, template=TEMPLATE, context=context,
                         initial={**(initial or {}), **request.GET.dict()})


@require_GET
def distribution_register(request):
    """受控文件发放登记表 of a document or a year (R-CTRL-1..5)."""
    gate(policies.may_view_documents(request.user))
    context = {
        "title": pgettext_lazy("documents register", "Controlled document distribution register"),
        "intro": _("One line per copy: the date, the document, its controlled number, the recipient, how it was "
                   "signed for and the remark (lost, replaced, recalled, destroyed). Choose a document, or a year "
                   "for every copy issued in it."),
    }
    return _register_page(request, DISTRIBUTION, context)


@require_GET
def valid_register(request):
    """受控文件清单: the documents in force today, for every active user."""
    gate(request.user.is_active)
    context = {
        "title": pgettext_lazy("documents register", "List of controlled documents in force"),
        "intro": _("The controlled documents in force today: number, title, document number, revision, drafting "
                   "department, end date and copies out."),
    }
    return _register_page(request, VALID, context)


@require_GET
def purge_certificate(request, pk):
    """The certificate of an approved purge list (R-CTRL-7)."""
    gate(policies.may_view_documents(request.user))
    purge = get_object_or_404(RegisterPurge, pk=pk, state=PurgeState.APPROVED)
    # The list is in the address; the form, and a background job that builds
    # the certificate from the same query, read it from the query.
    query = request.GET.copy()
    query["purge"] = str(purge.pk)
    request.GET = query
    context = {
        "title": pgettext_lazy("documents register", "Certificate of disposed distribution register lines"),
        "intro": _("The distribution register lines this approved list disposed of, who proposed and who approved "
                   "it, and when."),
        "purge": purge,
    }
    return _register_page(request, PURGE_CERTIFICATE, context, {"purge": purge.pk})
