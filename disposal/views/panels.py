"""What disposal shows on other apps' pages (registered with records.panels
in DisposalConfig.ready()) and its own inbox:

- the home page and the inbox: lists waiting for the viewer (the
  department head: submitted; leadership: approved by the head and
  destroying something; the archivist: approved lists to execute and lists
  returned to them) and destructions waiting for the viewer's confirmation
  as witness (R-DISP-1..3);
- the record page: "destroyed on …, destruction list XH-…" (R-DISP-3), or
  weeded, or transferred out, with a link to the list for those who read
  lists; the open list the record is on; and for the archivist, the form
  that puts a record on the shelf on a weeding list (R-DISP-1)."""
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.views import gate
from disposal import policies, queries, selectors
from disposal.models import DisposalList, ItemAction, ListState
from disposal.views.items import weeding_form
from records.models import RecordStatus

# Lists of each kind the home panel names; the inbox names them all (up to INBOX_LIMIT).
PANEL_LIMIT = 5
INBOX_LIMIT = 100


def _section(queryset, limit):
    rows = list(queryset[:limit])
    return {"rows": rows, "count": queryset.count() if len(rows) == limit else len(rows)}


def waiting(user, limit):
    """{section: {"rows", "count"}} of what waits for `user`; sections
    the user has no part in are left out."""
    sections = {}
    if user.has_perm(policies.APPROVE_DISPOSAL) or user.has_perm(policies.APPROVE_DESTRUCTION):
        sections["approve"] = _section(selectors.lists_waiting_for(user), limit)
    if policies.may_draft(user):
        sections["execute"] = _section(queries.lists_to_execute(), limit)
        sections["returned"] = _section(queries.returned_lists(user), limit)
        drafts = DisposalList.objects.filter(drafted_by=user, state=ListState.DRAFT).order_by("-created_at", "-pk")
        sections["drafts"] = _section(drafts, limit)
    sections["confirm"] = _section(selectors.confirmations_waiting_for(user), limit)
    return sections


def home_panel(request):
    """Context of templates/disposal/_home_panel.html, or None when nothing waits."""
    user = request.user
    if not (user.is_authenticated and user.is_active):
        return None
    sections = waiting(user, PANEL_LIMIT)
    if not any(section["count"] for section in sections.values()):
        return None
    return {"sections": sections, "may_view": policies.may_view(user)}


@require_safe
def inbox(request):
    """What waits for the viewer, with the ways into the year-end work."""
    user = request.user
    gate(policies.may_view(user))
    return render(
        request,
        "disposal/inbox.html",
        {"sections": waiting(user, INBOX_LIMIT), "may_draft": policies.may_draft(user)},
    )


# -- the record page -----------------------------------------------------------------

LINES = {
    ItemAction.DESTROY: lambda: _("Destroyed on %(date)s, destruction list %(number)s"),
    ItemAction.WEED: lambda: _("Weeded out on %(date)s, weeding list %(number)s"),
    ItemAction.TRANSFER: lambda: _("Transferred out on %(date)s to %(body)s, list %(number)s"),
}


def _day(item):
    destruction = getattr(item.disposal_list, "destruction", None) if item.action == ItemAction.DESTROY else None
    day = destruction.date if destruction is not None else timezone.localtime(item.carried_out_at).date()
    return formats.date_format(day, "DATE_FORMAT")


def _number(disposal_list, linked):
    if not linked:
        return conditional_escape(disposal_list.number)
    url = reverse("disposal_list_detail", args=[disposal_list.pk])
    return format_html('<a class="mono" href="{}">{}</a>', url, disposal_list.number)


def disposition_line(item, *, linked):
    """'销毁于 2026年12月3日，销毁清册 XH-2026-0001' (R-DISP-3), the number
    a link for those who read lists; None for what leaves no such line."""
    words = LINES.get(item.action)
    if words is None:
        return None
    values = {
        "date": conditional_escape(_day(item)),
        "number": _number(item.disposal_list, linked),
        "body": conditional_escape(item.receiving_body),
    }
    return mark_safe(conditional_escape(words()) % values)


def record_panel(request, record):
    """Context of templates/disposal/_record_panel.html for a record the
    user may see (records.views.portal checked), or None."""
    user = request.user
    items = queries.record_items(record)
    may_view = policies.may_view(user)
    done = next((item for item in items if item.carried_out_at and item.action in LINES), None)
    pending = next((item for item in items if item.carried_out_at is None), None)
    form = None
    if pending is None and record.status == RecordStatus.FILED and policies.may_draft(user):
        form = weeding_form(user, record)
    context = {
        "line": disposition_line(done, linked=may_view) if done else None,
        "pending": pending if may_view else None,
        "form": form,
        "record": record,
    }
    if not (context["line"] or context["pending"] or form):
        return None
    return context
