"""Keeps `SearchEntry` rows in step with records (on save, on attachment
upload, on import) and rebuilds the whole index in batches."""
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone

from records.models import Attachment, Category, Location, Record, RecordStatus, SearchEntry
from records.search.providers import provided_texts
from records.search.tokens import marker, text_tokens

# Bounds the index size of a record with long attachments: the first pages of
# a document carry its subject.
MAX_ATTACHMENT_CHARS = 100_000
BATCH_SIZE = 2000

_BODY_FIELDS = ("archive_number", "document_number", "responsible_party", "keywords", "notes")
_RECORD_FIELDS = ("title", *_BODY_FIELDS)


class _Tree:
    """Ancestor chains of a tree model (categories, locations), read once."""

    def __init__(self, rows):
        self.parent = {pk: parent for pk, parent, _label in rows}
        self.label = {pk: label for pk, _parent, label in rows}

    def chain(self, pk):
        seen = []
        while pk is not None and pk not in seen:
            seen.append(pk)
            pk = self.parent.get(pk)
        return seen


def _trees():
    categories = _Tree(Category.objects.values_list("pk", "parent_id", "code"))
    locations = _Tree(Location.objects.values_list("pk", "parent_id", "pk"))
    return categories, locations


def document_tokens(record, *, extra_texts=(), categories, locations):
    """The token strings indexed for one record: (its title, the rest of its
    text followed by its facets)."""
    texts = [getattr(record, field) or "" for field in _BODY_FIELDS]
    texts.extend(extra_texts)
    markers = [
        marker("id", record.pk),
        marker("lv", record.security_level),
        marker("st", record.status),
        marker("yr", record.year),
        marker("md", record.medium),
        marker("ret", "y" if record.retention_years is None else record.retention_years),
    ]
    if record.status in RecordStatus.before_filing():
        markers.append(marker("prefiling"))
        if record.submitted_by_id:
            markers.append(marker("sub", record.submitted_by_id))
    markers.extend(marker("cat", categories.label[pk]) for pk in categories.chain(record.category_id))
    markers.extend(marker("loc", pk) for pk in locations.chain(record.location_id))
    return " ".join(text_tokens(record.title)), " ".join(text_tokens(*texts) + markers)


def _attachment_texts(record_ids):
    texts = {}
    rows = Attachment.objects.filter(record_id__in=record_ids).exclude(extracted_text="")
    for record_id, text in rows.values_list("record_id", "extracted_text").iterator():
        budget = MAX_ATTACHMENT_CHARS - sum(len(t) for t in texts.get(record_id, []))
        if budget > 0:
            texts.setdefault(record_id, []).append(text[:budget])
    return texts


def index_records(record_ids, *, trees=None):
    """(Re)index the given records. Call inside the transaction that changed
    them, so the index never disagrees with committed data."""
    record_ids = list(record_ids)
    if not record_ids:
        return 0
    categories, locations = trees or _trees()
    attachment_texts = _attachment_texts(record_ids)
    other_texts = provided_texts(record_ids)
    now = timezone.now()
    entries = []
    records = Record.objects.filter(pk__in=record_ids).only(
        "pk", "security_level", "status", "year", "medium", "retention_years",
        "submitted_by_id", "category_id", "location_id", *_RECORD_FIELDS,
    )
    for record in records:
        title_tokens, tokens = document_tokens(
            record,
            extra_texts=attachment_texts.get(record.pk, []) + other_texts.get(record.pk, []),
            categories=categories,
            locations=locations,
        )
        entries.append(SearchEntry(record_id=record.pk, title_tokens=title_tokens, tokens=tokens, indexed_at=now))
    SearchEntry.objects.bulk_create(
        entries,
        update_conflicts=True,
        unique_fields=["record"],
        update_fields=["title_tokens", "tokens", "indexed_at"],
    )
    return len(entries)


def rebuild_index(*, batch_size=BATCH_SIZE, progress=None):
    """Index every record, in batches of `batch_size` ids; `progress(done,
    total)` is called after each batch. Memory stays flat: one batch of
    records and tokens at a time. Each batch commits on its own: the index
    is derived data, and a stopped rebuild is finished by running it again."""
    total = Record.objects.count()
    trees = _trees()
    done, last_pk = 0, 0
    while True:
        ids = list(
            Record.objects.filter(pk__gt=last_pk).order_by("pk").values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            break
        with transaction.atomic():
            index_records(ids, trees=trees)
        done += len(ids)
        last_pk = ids[-1]
        if progress:
            progress(done, total)
    return done


def _record_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index_records([instance.pk])


def _attachment_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index_records([instance.record_id])


def _tree_node_saved(field):
    # A class's code or a location's place changes the markers of every
    # record below it. Rare, and done in the same transaction.
    def handler(sender, instance, raw=False, created=False, **kwargs):
        if raw or created:
            return
        ids = instance.descendant_ids()
        affected = Record.objects.filter(**{f"{field}_id__in": ids}).values_list("pk", flat=True)
        for start in range(0, len(affected), BATCH_SIZE):
            index_records(affected[start : start + BATCH_SIZE])

    return handler


def connect_signals():
    """Index maintenance is derived data, not workflow: every save of a
    record, attachment, class or location, whatever path it took (service,
    admin, import), updates the index in the same transaction."""
    post_save.connect(_record_saved, sender=Record, dispatch_uid="records.search.record")
    post_save.connect(_attachment_saved, sender=Attachment, dispatch_uid="records.search.attachment")
    post_save.connect(_tree_node_saved("category"), sender=Category, dispatch_uid="records.search.category", weak=False)
    post_save.connect(_tree_node_saved("location"), sender=Location, dispatch_uid="records.search.location", weak=False)
