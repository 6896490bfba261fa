"""The archivist's distribution desk (R-CTRL-1..6): documents by state
with what waits for the archivist, registering a controlled document with
its approval papers, a document's page with every line of its
distribution register, and the distribution list. The department head
reads the desk and the documents' pages. The services are
documents.services.controlled.document_register and
documents.services.distribution.copies_distribute; the copies' own
actions are in documents.views.desk_copies."""
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import Department
from core.stored_files import open_streamed, stored_file_response
from core.views import gate, refusal_to_form
from documents import numbering, policies, selectors
from documents.exceptions import DocumentsRefused
from documents.forms_desk import (
    EMPTY_ROWS,
    MAX_ROWS,
    DeskFilterForm,
    DistributionConfirmForm,
    DistributionFormSet,
    DocumentRegisterForm,
    initial_from_correspondence,
    recipient_choices,
)
from documents.models import (
    ControlledDocument,
    CopyState,
    Correspondence,
    Direction,
    DocumentPaper,
    DocumentState,
    PaperKind,
)
from documents.services.controlled import document_register
from documents.services.distribution import copies_distribute
from documents.views.desk_copies import line_actions
from records.paging import capped_counts, page_of

GET_OR_POST = ["GET", "HEAD", "POST"]
# Rows of each "waiting for you" section shown on the desk.
WAITING_ROWS = 10


def may_read(user):
    """The desk and the documents' pages: the distributor (the archivist)
    and those who read the documents (the department head)."""
    return policies.may_view_documents(user) or policies.may_distribute(user)


def _waiting():
    """What waits for the archivist: lost copies to reissue (R-CTRL-3),
    outstanding recalls (R-CTRL-5), revisions awaiting countersignature
    (R-CTRL-6); counted in one statement, a few rows of each."""
    lost = selectors.desk_lost_copies()
    damaged = selectors.desk_damaged_copies()
    awaiting = selectors.desk_revisions_awaiting()
    counts = capped_counts(
        {"lost": lost, "damaged": damaged, "recalled": selectors.outstanding_recalls(), "awaiting": awaiting},
        limit=10_000,
    )
    return {
        "lost": {"count": counts["lost"], "rows": list(lost[:WAITING_ROWS]) if counts["lost"] else []},
        "damaged": {"count": counts["damaged"], "rows": list(damaged[:WAITING_ROWS]) if counts["damaged"] else []},
        "recalled": {"count": counts["recalled"]},
        "awaiting": {"count": counts["awaiting"], "rows": list(awaiting[:WAITING_ROWS]) if counts["awaiting"] else []},
    }


@require_safe
def desk(request):
    """The documents by state (ready, in force, awaiting countersignature,
    ended) with their counts, searched and paged, and what waits."""
    gate(may_read(request.user))
    form = DeskFilterForm(request.GET or None)
    group, query = form.selection()
    page = page_of(request, selectors.desk_documents(group=group, q=query))
    documents = list(page.object_list)
    for document in documents:
        document.past_end = policies.is_past_end(document)
    return render(request, "documents/desk_index.html", {
        "form": form,
        "group": group,
        "query": query,
        "counts": selectors.desk_group_counts(),
        "page_obj": page,
        "documents": documents,
        "waiting": _waiting(),
        "may_distribute": policies.may_distribute(request.user),
    })


def _correspondence(request):
    """The outgoing register line of ?correspondence=, or None."""
    pk = request.GET.get("correspondence", "")
    if not pk.isdigit():
        return None
    return Correspondence.objects.filter(pk=pk, direction=Direction.OUTGOING).select_related("record").first()


def _register(request, form):
    """Register the document and store its files in one transaction; the
    document, or None with the refusal on the form (nothing saved)."""
    data = form.cleaned_data
    try:
        return document_register(
            by=request.user,
            title=data["title"],
            drafting_department=data["drafting_department"],
            source=data["source"],
            approval_papers=data["approval_papers"],
            reference=data["reference"],
            valid_until=data["valid_until"],
            correspondence=data["correspondence"],
            record=form.record,
        )
    except DocumentsRefused as refusal:
        refusal_to_form(form, refusal)
    return None


@require_http_methods(GET_OR_POST)
def document_new(request):
    """The drafting department hands the document over with its approval
    papers; the archivist registers it as controlled (R-CTRL-1)."""
    gate(policies.may_distribute(request.user))
    if request.method == "POST":
        form = DocumentRegisterForm(request.POST, request.FILES, user=request.user)
        document = _register(request, form) if form.is_valid() else None
        if document is not None:
            messages.success(request, _("%(title)s is registered as a controlled document, ready to distribute.") % {
                "title": document.title})
            return redirect("documents_document_detail", document.pk)
        correspondence = form.cleaned_data.get("correspondence") if hasattr(form, "cleaned_data") else None
    else:
        correspondence = _correspondence(request)
        initial = initial_from_correspondence(correspondence) if correspondence else {}
        form = DocumentRegisterForm(initial=initial, user=request.user)
    return render(request, "documents/document_new.html", {"form": form, "correspondence": correspondence})


def _document_flags(user, document, chain, lines):
    """What the page offers the reader: the archivist's buttons by the
    document's state (R-CTRL-2, R-CTRL-5, R-CTRL-6)."""
    acts = policies.may_distribute(user)
    document.past_end = policies.is_past_end(document)
    open_state = document.state in policies.DISTRIBUTABLE_STATES and not document.past_end
    revision_pending = any(
        later.state == DocumentState.AWAITING_COUNTERSIGN for later in chain if later.revision > document.revision
    )
    return {
        "may_distribute": acts,
        "can_distribute": acts and open_state,
        "can_void": acts and document.state in policies.DISTRIBUTABLE_STATES,
        "can_revise": acts and open_state and not revision_pending,
        "can_remind": acts and any(line.state == CopyState.RECALLED for line in lines),
    }


@require_safe
def document_detail(request, pk):
    """A document: its state and facts, its papers, its revisions and every
    line of its distribution register with what may be done to each copy."""
    gate(may_read(request.user))
    document = get_object_or_404(
        ControlledDocument.objects.select_related(
            "drafting_department", "record", "correspondence", "marked_by", "countersigned_by", "ended_by",
        ),
        pk=pk,
    )
    lines = list(selectors.document_lines(document))
    chain = selectors.revision_history(document)
    flags = _document_flags(request.user, document, chain, lines)
    for line in lines:
        line.document = document  # the policies read its state: no query per line
        line.actions = line_actions(request.user, line) if flags["may_distribute"] else []
    papers = list(document.papers.select_related("uploaded_by"))
    return render(request, "documents/document_detail.html", {
        "document": document,
        "lines": lines,
        "chain": chain if len(chain) > 1 else [],
        "approval_papers": [paper for paper in papers if paper.kind == PaperKind.APPROVAL],
        "revision_papers": [paper for paper in papers if paper.kind == PaperKind.REVISION],
        "may_read_papers": may_read(request.user),
        **flags,
    })


@require_safe
def paper_download(request, pk):
    """An approval or supporting paper (R-CTRL-1, R-CTRL-6), for the
    archivist and the department head, as a download the browser neither
    renders nor sniffs."""
    gate(may_read(request.user))
    paper = get_object_or_404(DocumentPaper, pk=pk)
    try:
        # Streamed as it downloads from object storage; the open file on disk.
        handle = open_streamed(paper.file.storage, paper.file.name)
    except FileNotFoundError:
        raise Http404("The file is missing from storage.") from None
    response = stored_file_response(handle, filename=paper.original_name, content_type=paper.content_type)
    response["Content-Security-Policy"] = "sandbox"
    return response


def _recipients(rows):
    """[(User or Department, copies)] of the formset's rows, read in two queries."""
    people = get_user_model().objects.in_bulk([person for person, _department, _copies in rows if person])
    departments = Department.objects.in_bulk([department for _person, department, _copies in rows if department])
    return [(people[person] if person else departments[department], copies) for person, department, copies in rows]


def _number_range(document, recipients):
    """(first, last) controlled numbers the list would get now (R-CTRL-2)."""
    total = sum(copies for _recipient, copies in recipients)
    first = document.last_copy_number + 1
    return numbering.format_control_number(document, first), numbering.format_control_number(document, first + total - 1)


def _distribution_formset(request, document):
    people, departments = recipient_choices()
    kwargs = {"form_kwargs": {"people": people, "departments": departments}, "prefix": "rows"}
    if request.method != "POST":
        return DistributionFormSet(**kwargs)
    data = request.POST
    if "more_rows" in data:
        # More empty rows without script: the same list drawn again, longer.
        data = data.copy()
        data["rows-TOTAL_FORMS"] = str(min(int(data.get("rows-TOTAL_FORMS") or 0) + EMPTY_ROWS, MAX_ROWS))
    return DistributionFormSet(data, **kwargs)


def _distribute(request, document, recipients, confirm_form):
    """Issue the copies; the copies, or None with the refusal on the form
    (nothing issued)."""
    try:
        return copies_distribute(document=document, by=request.user, recipients=recipients)
    except DocumentsRefused as refusal:
        refusal_to_form(confirm_form, refusal)
    return None


@require_http_methods(GET_OR_POST)
def distribute(request, pk):
    """The distribution list: people or departments and how many copies
    each (R-CTRL-2). A first post shows the controlled numbers the list
    will get; the confirmed post issues them, all or none."""
    gate(policies.may_distribute(request.user))
    document = get_object_or_404(ControlledDocument.objects.select_related("drafting_department"), pk=pk)
    if document.state not in policies.DISTRIBUTABLE_STATES:
        messages.warning(request, _("%(title)s is not distributed any more: %(state)s.") % {
            "title": document.title, "state": document.get_state_display()})
        return redirect("documents_document_detail", document.pk)
    formset = _distribution_formset(request, document)
    confirm_form = DistributionConfirmForm(request.POST if request.method == "POST" else None)
    context = {"document": document, "formset": formset, "confirm_form": confirm_form}
    if request.method != "POST" or "more_rows" in request.POST or not formset.is_valid():
        return render(request, "documents/document_distribute.html", context)
    recipients = _recipients(formset.rows())
    context.update(recipients=recipients, numbers=_number_range(document, recipients))
    if not confirm_form.is_valid() or not confirm_form.confirmed(document):
        # First post, or copies were issued meanwhile: show (again) which numbers the list gets.
        context["moved"] = confirm_form.is_valid() and confirm_form.cleaned_data["confirm"]
        return render(request, "documents/document_distribute_confirm.html", context)
    issued = _distribute(request, document, recipients, confirm_form)
    if issued is None:
        return render(request, "documents/document_distribute.html", context)
    messages.success(request, _("%(count)s copies issued: %(first)s to %(last)s.") % {
        "count": len(issued), "first": issued[0].control_number, "last": issued[-1].control_number})
    return redirect("documents_document_detail", document.pk)
