"""Keeps `SearchEntry` rows and the index in step with records (on save, on
attachment upload, on import) and rebuilds the whole index in batches."""
from django.db import transaction
from django.db.models.signals import post_save

from records.models import Attachment, Category, Location, Record, RecordStatus
from records.search import storage
from records.search.providers import provided_texts
from records.search.tokens import indexed_text, marker

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


def read_trees():
    """The class and location trees index_records reads (pass them to it
    when indexing many batches)."""
    categories = _Tree(Category.objects.values_list("pk", "parent_id", "code"))
    locations = _Tree(Location.objects.values_list("pk", "parent_id", "pk"))
    return categories, locations


def document_texts(record, *, extra_texts=(), categories, locations):
    """What one record is indexed by, as indexed text (tokens.indexed_text):
    (its title, the rest of its text followed by its facets' markers). Each
    field is normalised on its own: two fields never join into one phrase."""
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
    return indexed_text(record.title), indexed_text(*texts, markers=markers)


def _attachment_texts(record_ids):
    texts = {}
    # A destroyed file's text is emptied (record_destroy), so it is left out
    # here too. No other test: migration 0015 indexes with this code before
    # the destroyed_at column exists.
    rows = Attachment.objects.filter(record_id__in=record_ids).exclude(extracted_text="")
    for record_id, text in rows.values_list("record_id", "extracted_text").iterator():
        budget = MAX_ATTACHMENT_CHARS - sum(len(t) for t in texts.get(record_id, []))
        if budget > 0:
            texts.setdefault(record_id, []).append(text[:budget])
    return texts


def index_records(record_ids, *, trees=None):
    """(Re)index the given records; return how many entries changed. Call
    inside the transaction that changed them, so the index never disagrees
    with committed data."""
    record_ids = list(record_ids)
    if not record_ids:
        return 0
    records = Record.objects.filter(pk__in=record_ids).only(
        "pk", "security_level", "status", "year", "medium", "retention_years",
        "submitted_by_id", "category_id", "location_id", *_RECORD_FIELDS,
    )
    return storage.save_entries(_texts(records, record_ids, trees))


def index_new_records(records, *, trees=None):
    """Index records just created (an import's bulk_create), in the same
    transaction: from the instances in hand, not read again, and written
    without comparing with stored entries (they have none). Nothing can
    yet refer to them, so no attachment or other app's text is looked for.
    Returns how many entries were written."""
    categories, locations = trees or read_trees()
    texts = {
        record.pk: document_texts(record, categories=categories, locations=locations) for record in records
    }
    return storage.save_entries(texts, new=True)


def _texts(records, record_ids, trees):
    categories, locations = trees or read_trees()
    attachment_texts = _attachment_texts(record_ids)
    other_texts = provided_texts(record_ids)
    return {
        record.pk: document_texts(
            record,
            extra_texts=attachment_texts.get(record.pk, []) + other_texts.get(record.pk, []),
            categories=categories,
            locations=locations,
        )
        for record in records
    }


def rebuild_index(*, batch_size=BATCH_SIZE, progress=None, from_scratch=False, after=0, on_batch=None):
    """Index every record, in batches of `batch_size` ids; `progress(done,
    total)` is called after each batch. Memory stays flat: one batch of
    records and texts at a time. Each batch commits on its own: the index
    is derived data, and a stopped rebuild is finished by running it again;
    `after` resumes it after that record id, and `on_batch(last_id)` is
    called once each batch is committed (rebuild_search_index keeps it as
    a checkpoint). Only entries whose text changed are rewritten, and the
    index is compacted at the end (storage.compact), so its size stays the
    same over any number of rebuilds. `from_scratch` empties the index first
    (after a change of how text becomes tokens that the index's legacy
    reading does not cover); searches find less until it ends."""
    if from_scratch:
        with transaction.atomic():
            storage.clear()
    total = Record.objects.count()
    trees = read_trees()
    done = Record.objects.filter(pk__lte=after).count() if after else 0
    rewritten = unreclaimed = 0
    last_pk = after
    while True:
        ids = list(
            Record.objects.filter(pk__gt=last_pk).order_by("pk").values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            break
        with transaction.atomic():
            changed = index_records(ids, trees=trees)
        rewritten, unreclaimed = rewritten + changed, unreclaimed + changed
        if unreclaimed >= storage.COMPACT_SHARE * total:
            storage.reclaim()
            unreclaimed = 0
        done += len(ids)
        last_pk = ids[-1]
        if on_batch:
            on_batch(last_pk)
        if progress:
            progress(done, total)
    storage.compact(rewritten=rewritten, total=total)
    return done


def _record_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index_records([instance.pk])


def _attachment_saved(sender, instance, raw=False, **kwargs):
    # A tombstone has no text to add: records.services.disposition.
    # record_destroy re-indexes the record itself, once, after its files.
    if not raw and instance.destroyed_at is None:
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
    admin, import), updates the index in the same transaction. On SQLite
    the index's triggers need the tokens function on every connection."""
    storage.register_tokens_function()
    post_save.connect(_record_saved, sender=Record, dispatch_uid="records.search.record")
    post_save.connect(_attachment_saved, sender=Attachment, dispatch_uid="records.search.attachment")
    post_save.connect(_tree_node_saved("category"), sender=Category, dispatch_uid="records.search.category", weak=False)
    post_save.connect(_tree_node_saved("location"), sender=Location, dispatch_uid="records.search.location", weak=False)
