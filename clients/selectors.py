"""Reads of client files. Linked records always pass through
records.selectors.visible_records (R-LEND-4)."""
import datetime
from dataclasses import dataclass

from django.db.models import F, Q
from django.utils import timezone

from clients import policies
from clients.models import Client, ClientPolicy
from records.selectors import visible_records


def client_list(user, query=""):
    """Client files in pinyin order of their names (issue 15); equal names
    in a fixed order, so that no page repeats or skips one."""
    if not policies.may_view_clients(user):
        return Client.objects.none()
    clients = Client.objects.select_related("responsible", "last_reviewed_by").order_by("name_sort_key", "name", "pk")
    query = query.strip()
    if query:
        clients = clients.filter(Q(name__icontains=query) | Q(contacts__name__icontains=query)).distinct()
    return clients


def review_due_before(now=None):
    """Profiles reviewed before this moment are due (R-CLIENT: weekly)."""
    now = now or timezone.now()
    return now - datetime.timedelta(days=ClientPolicy.current().client_review_interval_days)


def _due_for_review(cutoff):
    """R-CLIENT weekly upkeep: an active profile never reviewed, or reviewed
    before `cutoff`, is due."""
    return Q(is_active=True) & (Q(last_reviewed_at__isnull=True) | Q(last_reviewed_at__lt=cutoff))


def is_due_for_review(client, now=None):
    return Client.objects.filter(_due_for_review(review_due_before(now)), pk=client.pk).exists()


def clients_due_for_review(user, now=None):
    """Active profiles never reviewed or reviewed longer ago than the policy's interval."""
    return (
        client_list(user)
        .filter(_due_for_review(review_due_before(now)))
        # Never reviewed first, on both databases (they sort NULL differently).
        .order_by(F("last_reviewed_at").asc(nulls_first=True), "name_sort_key", "name", "pk")
    )


def linked_records(user, client):
    return (
        visible_records(user, client.records.all())
        .select_related("category")
        .order_by("-year", "archive_number", "pk")
    )


@dataclass
class ContactView:
    name: str
    position: str
    phone: str
    email: str
    id_number: str
    pk: int = None
    is_active: bool = True


def contacts_for_display(client, *, unmasked):
    """Contacts, current ones first, with personal data masked unless
    `unmasked` (the caller has checked the permission and logged the access).
    Contacts who have left stay listed, marked as former (R-CLIENT)."""
    rows = []
    for contact in client.contacts.all():  # current first (ClientContact.Meta.ordering)
        if unmasked:
            phone, email, id_number = contact.phone, contact.email, contact.id_number
        else:
            phone = policies.mask_phone(contact.phone)
            email = policies.mask_email(contact.email)
            id_number = policies.mask_id_number(contact.id_number)
        rows.append(ContactView(
            contact.name, contact.position, phone, email, id_number, pk=contact.pk, is_active=contact.is_active,
        ))
    return rows


def client_events(client):
    """The client's events, newest first (ClientEvent.Meta.ordering)."""
    return client.events.select_related("record", "recorded_by")


def timeline(user, events):
    """`events` (a page of `client_events`) as a list; each carries
    `visible_record`, its record when `user` may see it, else None
    (R-LEND-4): one query for the page, whatever its length."""
    events = list(events)
    visible_ids = set(
        visible_records(user)
        .filter(pk__in=[event.record_id for event in events if event.record_id])
        .values_list("pk", flat=True)
    )
    for event in events:
        event.visible_record = event.record if event.record_id in visible_ids else None
    return events
