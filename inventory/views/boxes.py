"""What a storage location holds (issue 16, "a box's contents"): every
record in a box, or in a shelf, cabinet or room and the places inside it,
with its status, reachable from the record page's location and the
handover page. Only the records the reader may see are listed
(records.selectors.visible_records, R-LEND-4); the confidential ones shown
leave an access-log line each (R-ACCESS)."""
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.views import gate
from records.access_log import log_access_many
from records.models import AccessAction, Location
from records.paging import page_of
from records.selectors import visible_records


def may_view_location(user):
    """Anyone signed in: the page lists only records the reader may see
    anyway, and where a record is kept is on its own page already."""
    return user.is_authenticated and user.is_active


def records_in(user, location):
    """The records `user` may see kept at `location` or anywhere inside it,
    by archive number."""
    return (
        visible_records(user)
        .filter(location_id__in=location.descendant_ids())
        .select_related("category", "location")
        .order_by("archive_number", "pk")
    )


@require_safe
def location_contents(request, pk):
    gate(may_view_location(request.user))
    location = get_object_or_404(Location.objects.select_related("parent"), pk=pk)
    page = page_of(request, records_in(request.user, location))
    records = list(page.object_list)
    log_access_many(
        user=request.user,
        records=records,
        action=AccessAction.LISTED,
        where=f"{_('Contents of %(place)s') % {'place': location.full_code}} · {request.get_full_path()}",
    )
    return render(
        request,
        "inventory/location_contents.html",
        {
            "location": location,
            "ancestors": location.ancestors(),
            "children": location.children.filter(is_active=True).order_by("full_code"),
            "records": records,
            "page_obj": page,
        },
    )
