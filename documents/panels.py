"""What the documents app shows on the home page (registered with
records.panels in DocumentsConfig.ready(); records never imports
documents):

- for everyone: the copies waiting for their signature and the recalled
  copies they must hand back to the archivist (R-CTRL-2, R-CTRL-5);
- for the archivist: lost copies awaiting a new copy (R-CTRL-3), copies
  reported damaged (R-CTRL-4), outstanding recalls (R-CTRL-5) and the
  documents ready to distribute (R-CTRL-1);
- for the department head: revisions awaiting their countersignature
  (R-CTRL-6) and purge lists awaiting their approval (R-CTRL-7).

A fixed number of queries whatever the number of copies or documents; the
panel is shown only when something waits for the viewer."""
from documents import policies, selectors
from records.paging import capped_counts

# Rows the panel names in each section; beyond, a count.
HOME_LIMIT = 5
# Counted no further: a count past it reads "1000+".
COUNT_CAP = 1000


def _holder_sections(user):
    copies = {
        "to_sign": selectors.copies_to_sign(user),
        "to_return": selectors.copies_to_return(user),
    }
    return {name: queryset.select_related("document").order_by("issued_at", "pk") for name, queryset in copies.items()}


def _archivist_sections():
    copies = {
        "lost": selectors.lost_copies_to_reissue(),
        "damaged": selectors.desk_damaged_copies(),
        "recalls": selectors.outstanding_recalls(),
    }
    sections = {
        name: queryset.select_related("document", "recipient_user", "recipient_department").order_by("issued_at", "pk")
        for name, queryset in copies.items()
    }
    sections["to_distribute"] = selectors.documents_to_distribute().order_by("marked_at", "pk")
    return sections


def _head_sections(user):
    sections = {}
    if policies.may_countersign(user):
        sections["countersign"] = (
            selectors.revisions_to_countersign(user).select_related("marked_by").order_by("marked_at", "pk")
        )
    if policies.may_decide_purges(user):
        purges = selectors.purges_to_decide(user).select_related("proposed_by")
        sections["purges"] = purges.order_by("proposed_at", "pk")
    return sections


def _sections_of(user):
    """{name: queryset} of what may wait for `user`, by their role."""
    sections = _holder_sections(user)
    if policies.may_distribute(user):
        sections.update(_archivist_sections())
    sections.update(_head_sections(user))
    return sections


def home_panel(request):
    """Context of templates/documents/_home_panel.html, or None when
    nothing waits for the viewer: every count in one statement, then the
    first rows of each section that has any."""
    user = request.user
    if not (user.is_authenticated and user.is_active):
        return None
    sections = _sections_of(user)
    counts = capped_counts(sections, COUNT_CAP)
    if not any(counts.values()):
        return None
    context = {
        name: {"rows": list(queryset[:HOME_LIMIT]) if counts[name] else [], "count": counts[name]}
        for name, queryset in sections.items()
    }
    for section in context.values():
        section["capped"] = section["count"] >= COUNT_CAP
    return {**context, "may_view_documents": policies.may_view_documents(user)}
