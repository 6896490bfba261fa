"""Client names are found with the records filed about the client (R-FILE-4):
this app gives their text to the records search index and asks for a re-index
when it changes. Contacts' names are found too; their phone numbers, e-mails
and ID numbers never reach the index (R-CLIENT)."""
from django.db.models.signals import m2m_changed, post_delete, post_save

from clients.models import Client, ClientContact
from records.search import index_records, register_text_provider


def client_names(record_ids):
    texts = {}
    links = Client.records.through.objects.filter(record_id__in=record_ids)
    for record_id, name in links.values_list("record_id", "client__name"):
        texts.setdefault(record_id, []).append(name)
    contacts = ClientContact.objects.filter(client__records__in=record_ids)
    for record_id, name in contacts.values_list("client__records", "name"):
        texts.setdefault(record_id, []).append(name)
    return texts


def _contact_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        index_records(Client.records.through.objects.filter(client_id=instance.client_id).values_list("record_id", flat=True))


def _client_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        index_records(instance.records.values_list("pk", flat=True))


def _links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # record.clients changed: instance is the record
        index_records([instance.pk])
    elif pk_set:
        index_records(pk_set)
    elif action == "post_clear":
        # After a clear the links are gone; _remember_cleared kept their ids.
        index_records(getattr(instance, "_search_cleared_ids", []))


def _remember_cleared(sender, instance, action, reverse, **kwargs):
    if action == "pre_clear" and not reverse:
        instance._search_cleared_ids = list(instance.records.values_list("pk", flat=True))


def connect():
    register_text_provider(client_names)
    post_save.connect(_client_saved, sender=Client, dispatch_uid="clients.search.client")
    post_save.connect(_contact_changed, sender=ClientContact, dispatch_uid="clients.search.contact")
    post_delete.connect(_contact_changed, sender=ClientContact, dispatch_uid="clients.search.contact_deleted")
    m2m_changed.connect(_remember_cleared, sender=Client.records.through, dispatch_uid="clients.search.pre_clear")
    m2m_changed.connect(_links_changed, sender=Client.records.through, dispatch_uid="clients.search.links")
