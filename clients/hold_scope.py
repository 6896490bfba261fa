"""The records of a client, as a scope a hold can be placed on (issue 12:
a dispute with a client freezes what was filed about it). Registered in
ClientsConfig.ready() with records.hold_scopes."""
from django.db.models import Q

from clients.models import Client, ClientEvent
from clients.selectors import client_list
from records.models import Record


def client_choices(user):
    """The client files `user` may see (clients.selectors.client_list), by
    name: (pk as text, "KH-00001 name")."""
    return [(str(pk), f"{code} {name}") for pk, code, name in client_list(user).values_list("pk", "code", "name")]


def client_records(value):
    """The records linked to the client's file and those its timeline names,
    whatever their state."""
    linked = Client.records.through.objects.filter(client_id=value).values("record_id")
    named = ClientEvent.objects.filter(client_id=value, record__isnull=False).values("record_id")
    return Record.objects.filter(Q(pk__in=linked) | Q(pk__in=named))
