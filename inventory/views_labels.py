"""Printing label sheets (issue 13 point 1): box labels picked from the
location tree, record labels of a record search's current filter. Only the
archivist prints them (records.file_record), as they file and count.
Printing changes nothing, so every view answers GET (and HEAD) only."""
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from core.limits import bounded_integer
from core.views import gate
from inventory.labels import MAX_LABELS, PER_SHEET, box_labels, boxes_under, labels_pdf, record_labels
from inventory.policies import may_run_stocktake
from records.access_log import log_access_many
from records.filters import PlainSelect
from records.forms_search import RecordSearchForm
from records.models import AccessAction, Location, LocationKind
from records.printing.http import PDF_CONTENT_TYPE, file_response
from records.search import has_criteria, search_records
from records.selectors import visible_records


def may_print_labels(user):
    """The archivist, who files the records and counts the boxes, prints
    their labels (R-INV-1): the same rule as running a stocktake."""
    return may_run_stocktake(user)


def _skip_field():
    return bounded_integer(
        gettext_lazy("Labels already used on the first sheet"),
        0,
        PER_SHEET - 1,
        required=False,
        help_text=gettext_lazy("Left empty on the first sheet, so a partly used sheet can be printed on."),
    )


class LocationLabelChoiceField(forms.ModelChoiceField):
    widget = PlainSelect

    def label_from_instance(self, obj):
        return f"{obj.full_code} {obj.name}".strip()


class BoxLabelsForm(forms.Form):
    location = LocationLabelChoiceField(
        label=gettext_lazy("Room, cabinet, shelf or box"),
        queryset=Location.objects.filter(is_active=True).order_by("full_code"),
        empty_label=gettext_lazy("Choose a location"),
    )
    skip = _skip_field()

    def clean(self):
        data = super().clean()
        location = data.get("location")
        if location is None:
            return data
        count = boxes_under(location).count()
        if not count:
            self.add_error("location", _("No box in use is at or below this location."))
        elif count > MAX_LABELS:
            self.add_error(
                "location",
                _("%(count)s boxes are at or below this location; print at most %(limit)s at a time: choose a cabinet or shelf.")
                % {"count": count, "limit": MAX_LABELS},
            )
        return data


def _box_counts(locations):
    """{location id: boxes in use at or below it}, from the boxes' full
    codes (a box's code starts with each of its ancestors' codes)."""
    by_code = {location.full_code: location.pk for location in locations}
    counts = dict.fromkeys(by_code.values(), 0)
    boxes = Location.objects.filter(kind=LocationKind.BOX, is_active=True).values_list("full_code", flat=True)
    for full_code in boxes:
        parts = full_code.split("-")
        for end in range(1, len(parts)):
            pk = by_code.get("-".join(parts[:end]))
            if pk is not None:
                counts[pk] += 1
    return counts


def _location_tree():
    """The rooms, cabinets and shelves in use, in tree order, with how deep
    each stands and how many boxes it holds."""
    locations = list(Location.objects.filter(is_active=True).exclude(kind=LocationKind.BOX).order_by("full_code"))
    counts = _box_counts(locations)
    return [
        {"location": location, "depth": location.full_code.count("-"), "boxes": counts[location.pk]}
        for location in locations
    ]


def _picker(request, form, status=200):
    return render(
        request,
        "inventory/labels_index.html",
        {"form": form, "tree": _location_tree(), "max_labels": MAX_LABELS, "per_sheet": PER_SHEET},
        status=status,
    )


@require_safe
def labels_index(request):
    """The location tree: pick a room, cabinet or shelf to print its boxes' labels."""
    gate(may_print_labels(request.user))
    return _picker(request, BoxLabelsForm())


@require_safe
def box_labels_view(request):
    """The labels of the boxes at or below the chosen location, as PDF."""
    gate(may_print_labels(request.user))
    form = BoxLabelsForm(request.GET or None)
    if not form.is_valid():
        return _picker(request, form, status=200 if not request.GET else 400)
    location = form.cleaned_data["location"]
    labels = box_labels(boxes_under(location))
    pdf = labels_pdf(labels, title=_("Box labels"), skip=form.cleaned_data["skip"] or 0)
    filename = f"{_('Box labels')} {location.full_code}.pdf"
    return file_response(pdf, content_type=PDF_CONTENT_TYPE, filename=filename, as_attachment=False)


class RecordLabelsForm(RecordSearchForm):
    skip = _skip_field()


def _back_to_search(request, message):
    messages.error(request, message)
    query = urlencode([(key, value) for key, value in request.GET.items() if key not in ("skip", "page")])
    return redirect(f"{reverse('record_list')}?{query}" if query else reverse("record_list"))


def _searched(user, form):
    """The records of the search form's current filter, as the record list
    shows them (only what `user` may see), at most MAX_LABELS + 1."""
    text, filters, order = form.criteria()
    if has_criteria(text, filters):
        results = search_records(user, text, filters, order)
    else:
        results = visible_records(user).select_related("category", "location").order_by("-pk")
    return list(results[: MAX_LABELS + 1])


@require_safe
def record_labels_view(request):
    """The labels of the records the record list shows for the same filter,
    as PDF; more than MAX_LABELS are refused with a message."""
    gate(may_print_labels(request.user))
    form = RecordLabelsForm(request.GET or None)
    records = _searched(request.user, form)
    if len(records) > MAX_LABELS:
        return _back_to_search(
            request,
            _("More than %(limit)s records match this search: narrow it (a class, a year, a location) to print at most %(limit)s labels at a time.")
            % {"limit": MAX_LABELS},
        )
    labels = record_labels(records)
    if not labels:
        return _back_to_search(request, _("No record of this search has an archive number: there is no label to print."))
    printed = [record for record in records if record.archive_number]
    # The confidential records printed leave a line each (R-ACCESS).
    log_access_many(user=request.user, records=printed, action=AccessAction.PRINTED, where=_("Record labels"))
    skip = getattr(form, "cleaned_data", {}).get("skip") or 0
    pdf = labels_pdf(labels, title=_("Record labels"), skip=skip)
    return file_response(pdf, content_type=PDF_CONTENT_TYPE, filename=f"{_('Record labels')}.pdf", as_attachment=False)
