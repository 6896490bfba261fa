"""Client files (R-SCOPE 2, R-CLIENT): the list with name search, the
"due for review" list, the profile with contacts masked unless unmasked on
request (logged), linked records the user may see, the timeline, and the
forms for profiles and contacts."""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clients import policies, selectors, services
from clients.exceptions import ClientRefused
from clients.forms import (
    ClientContactEditForm,
    ClientContactForm,
    ClientEventForm,
    ClientProfileEditForm,
    ClientProfileForm,
    ClientSearchForm,
)
from clients.models import Client, ClientContact, ClientPolicy
from core.views import gate, refusal_to_form, refusal_to_message
from records.access_log import log_access_many
from records.models import AccessAction
from records.paging import capped_count, page_of

# The "due for review" button counts no further ("999+").
DUE_COUNT_CAP = 999
# A client's page pages its linked records and its timeline separately.
RECORDS_PAGE = "records_page"
EVENTS_PAGE = "events_page"


@require_safe
def client_list(request):
    gate(policies.may_view_clients(request.user))
    form = ClientSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = page_of(request, selectors.client_list(request.user, query))
    return render(request, "clients/client_list.html", {
        "form": form,
        "query": query,
        "clients": page.object_list,
        "page_obj": page,
        "due_count": capped_count(selectors.clients_due_for_review(request.user), DUE_COUNT_CAP + 1),
        "due_count_cap": DUE_COUNT_CAP,
        "may_add_profile": policies.may_add_profile(request.user),
    })


@require_safe
def review_due(request):
    gate(policies.may_view_clients(request.user))
    page = page_of(request, selectors.clients_due_for_review(request.user))
    clients = list(page.object_list)
    for client in clients:
        client.may_review = policies.may_mark_reviewed(request.user, client)
    return render(request, "clients/review_due.html", {
        "clients": clients,
        "page_obj": page,
        "interval_days": ClientPolicy.current().client_review_interval_days,
    })


def _detail(request, client, *, unmasked=False, event_form=None):
    user = request.user
    # The linked records and the timeline are paged each by its own parameter.
    events_page = page_of(request, selectors.client_events(client), page_param=EVENTS_PAGE)
    records_page = page_of(request, selectors.linked_records(user, client), page_param=RECORDS_PAGE)
    events = selectors.timeline(user, events_page.object_list)
    records = list(records_page.object_list)
    # The confidential records the page names leave a line each (R-ACCESS).
    named = {record.pk: record for record in records}
    named.update((event.visible_record.pk, event.visible_record) for event in events if event.visible_record)
    log_access_many(user=user, records=named.values(), action=AccessAction.LISTED, where=request.get_full_path())
    return render(request, "clients/client_detail.html", {
        "client_profile": client,
        "contacts": selectors.contacts_for_display(client, unmasked=unmasked),
        "unmasked": unmasked,
        "may_unmask": policies.may_see_personal_data(user),
        "may_review": policies.may_mark_reviewed(user, client),
        "may_add_event": policies.may_add_event(user),
        "may_edit_profile": policies.may_edit_profile(user),
        "may_add_contact": policies.may_add_contact(user, client),
        "may_edit_contact": policies.may_edit_contact(user),
        "records": records,
        "records_page": records_page,
        "records_page_param": RECORDS_PAGE,
        "events": events,
        "events_page": events_page,
        "events_page_param": EVENTS_PAGE,
        "review_due": selectors.is_due_for_review(client),
        "event_form": event_form or ClientEventForm(user=user, client=client),
    })


def _save(request, form, service, **arguments):
    """Run `service` with the valid POSTed form's data; what it saved, or
    None when there is nothing to save or the service refused (its refusal
    is then shown on the form, which is displayed again)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return service(by=request.user, **arguments, **form.cleaned_data)
    except ClientRefused as refusal:
        refusal_to_form(form, refusal)
        return None


def _client(pk):
    return get_object_or_404(Client.objects.select_related("responsible", "last_reviewed_by"), pk=pk)


@require_safe
def client_detail(request, pk):
    gate(policies.may_view_clients(request.user))
    return _detail(request, _client(pk))


@require_POST
def client_unmask(request, pk):
    """The explicit "show" action: logged, then the profile unmasked in this
    response only (R-CLIENT)."""
    gate(policies.may_view_clients(request.user))
    client = _client(pk)
    gate(policies.may_see_personal_data(request.user))
    try:
        services.client_data_reveal(client=client, by=request.user)
    except ClientRefused as refusal:
        refusal_to_message(request, refusal)
        return redirect("client_detail", client.pk)
    response = _detail(request, client, unmasked=True)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def client_mark_reviewed(request, pk):
    gate(policies.may_view_clients(request.user))
    client = _client(pk)
    gate(policies.may_mark_reviewed(request.user, client))
    try:
        services.client_mark_reviewed(client=client, by=request.user)
    except ClientRefused as refusal:
        refusal_to_message(request, refusal)
    else:
        messages.success(request, _("«%(name)s» was marked as reviewed.") % {"name": client.name})
    if request.POST.get("next") == "due":
        return redirect("client_review_due")
    return redirect("client_detail", client.pk)


@require_http_methods(["GET", "HEAD", "POST"])
def event_add(request, pk):
    gate(policies.may_view_clients(request.user))
    client = _client(pk)
    gate(policies.may_add_event(request.user))
    form = ClientEventForm(request.POST or None, user=request.user, client=client)
    if _save(request, form, services.client_event_add, client=client):
        messages.success(request, _("The event was added to the timeline."))
        return redirect("client_detail", client.pk)
    return render(request, "clients/event_form.html", {"client_profile": client, "form": form})


@require_http_methods(["GET", "HEAD", "POST"])
def client_create(request):
    """The archivist opens a client file (R-CLIENT)."""
    gate(policies.may_view_clients(request.user))
    gate(policies.may_add_profile(request.user))
    form = ClientProfileForm(request.POST or None)
    client = _save(request, form, services.client_create)
    if client:
        messages.success(
            request, _("Client «%(name)s» was added as %(code)s.") % {"name": client.name, "code": client.code}
        )
        return redirect("client_detail", client.pk)
    return render(request, "clients/client_form.html", {"form": form, "client_profile": None})


@require_http_methods(["GET", "HEAD", "POST"])
def client_edit(request, pk):
    """The archivist keeps the profile up to date (R-CLIENT)."""
    gate(policies.may_view_clients(request.user))
    client = _client(pk)
    gate(policies.may_edit_profile(request.user))
    form = ClientProfileEditForm(request.POST or None, instance=client)
    if _save(request, form, services.client_update, client=client):
        messages.success(request, _("The profile of «%(name)s» was saved.") % {"name": form.cleaned_data["name"]})
        return redirect("client_detail", client.pk)
    # The form's instance takes the posted values; the page names the stored client.
    return render(request, "clients/client_form.html", {"form": form, "client_profile": _client(pk)})


@require_http_methods(["GET", "HEAD", "POST"])
def contact_add(request, pk):
    """The archivist or the responsible staff member adds a contact (R-CLIENT)."""
    gate(policies.may_view_clients(request.user))
    client = _client(pk)
    gate(policies.may_add_contact(request.user, client))
    form = ClientContactForm(request.POST or None)
    contact = _save(request, form, services.contact_add, client=client)
    if contact:
        messages.success(request, _("Contact «%(name)s» was added.") % {"name": contact.name})
        return redirect("client_detail", client.pk)
    return render(request, "clients/contact_form.html", {"form": form, "client_profile": client, "contact": None})


@require_http_methods(["GET", "HEAD", "POST"])
def contact_edit(request, pk, contact_pk):
    """Correct a contact or mark one who left as not current (R-CLIENT).
    The form holds personal data in clear: opening it is logged as an
    unmasking and no response is cached."""
    gate(policies.may_view_clients(request.user))
    client = _client(pk)
    contact = get_object_or_404(ClientContact, pk=contact_pk, client=client)
    gate(policies.may_edit_contact(request.user))
    if request.method == "POST":
        form = ClientContactEditForm(request.POST, instance=contact)
        if _save(request, form, services.contact_update, contact=contact):
            messages.success(request, _("Contact «%(name)s» was saved.") % {"name": form.cleaned_data["name"]})
            return redirect("client_detail", client.pk)
    else:
        try:
            services.contact_open_for_editing(contact=contact, by=request.user)
        except ClientRefused as refusal:
            refusal_to_message(request, refusal)
            return redirect("client_detail", client.pk)
        form = ClientContactEditForm(instance=contact)
    response = render(request, "clients/contact_form.html", {
        "form": form, "client_profile": client, "contact": ClientContact.objects.get(pk=contact.pk),
    })
    response["Cache-Control"] = "no-store"
    return response
