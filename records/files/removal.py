"""The bytes of destroyed files leave the storage (R-DISP-3: destruction is
total), after the destruction has committed.

record_destroy turns a record's attachments into tombstones (the row stays
with the file's name, size and SHA-256) and asks for their bytes to be
removed once its transaction commits (`remove_after_commit`): a rolled back
destruction keeps every file. A file whose removal fails is logged and left
for `remove_destroyed_files()` to try again: the daily task and
`manage.py remove_destroyed_files` run it and report what failed; nothing is
left silently. A removed file's storage name is cleared, so backups and the
file check pass over it; its row keeps bytes_removed_at."""
import logging
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.utils import timezone

from records.models import Attachment, Hold

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


@dataclass(frozen=True)
class FailedRemoval:
    attachment_id: int
    archive_number: str
    file_name: str
    error: str


def to_remove():
    """Tombstones whose bytes are still stored, unless a hold freezes their
    record (a hold keeps its files, whatever happened). Only record_destroy
    sets destroyed_at, in the transaction that makes the record DESTROYED."""
    return Attachment.objects.filter(destroyed_at__isnull=False, bytes_removed_at__isnull=True).exclude(
        record_id__in=Hold.objects.active().values("record_id")
    )


def remove_destroyed_files(ids=None):
    """Remove the stored bytes of destroyed attachments (all of them, or
    those of `ids`) and note when; returns (removed count, [FailedRemoval]).
    A failure is logged, never raised: the next run tries again."""
    pending = to_remove().select_related("record").only(
        "pk", "file", "ocr_copy", "original_name", "record__archive_number"
    )
    if ids is not None:
        ids = sorted(set(ids))
        batches = (pending.filter(pk__in=ids[start : start + BATCH_SIZE]) for start in range(0, len(ids), BATCH_SIZE))
    else:
        batches = _all_in_batches(pending)
    removed, failed = 0, []
    for batch in batches:
        done, problems = _remove_batch(list(batch.order_by("pk")))
        removed += done
        failed.extend(problems)
    return removed, failed


def _all_in_batches(pending):
    last = 0
    while True:
        batch = pending.filter(pk__gt=last).order_by("pk")[:BATCH_SIZE]
        ids = list(batch.values_list("pk", flat=True))
        if not ids:
            return
        last = ids[-1]
        yield pending.filter(pk__in=ids)


def _remove_batch(attachments):
    removed, failed = [], []
    for attachment in attachments:
        try:
            # A file already gone counts as removed: Django's storage ignores it.
            # The searchable copy of a scan (records.ocr) goes with its original.
            for stored in (attachment.file, attachment.ocr_copy):
                if stored.name:
                    stored.storage.delete(stored.name)
        except Exception as error:  # the storage's failure, whatever it is, is reported
            logger.exception(
                "Could not remove the stored file of destroyed attachment %s (%s).", attachment.pk, attachment.file.name
            )
            number = attachment.record.archive_number or ""
            failed.append(FailedRemoval(attachment.pk, number, attachment.original_name, str(error)))
        else:
            removed.append(attachment.pk)
    if removed:
        # Bookkeeping of the storage, not a change a reader follows: the
        # field is left out of the history, which has the destruction itself.
        Attachment.objects.filter(pk__in=removed).update(bytes_removed_at=timezone.now(), file="", ocr_copy="")
    return len(removed), failed


class _PendingRemoval:
    """The attachments one transaction destroyed; removed once, on commit."""

    def __init__(self, using):
        self.using = using
        self.ids = []

    def run(self):
        removed, failed = remove_destroyed_files(self.ids)
        if failed:
            logger.error(
                "%d of %d destroyed files could not be removed; manage.py remove_destroyed_files retries them.",
                len(failed),
                len(self.ids),
            )


def remove_after_commit(attachment_ids, using=None):
    """Remove the bytes of `attachment_ids` after the current transaction
    commits; nothing is removed if it rolls back. One callback a
    transaction, however many records it destroys."""
    using = using or router.db_for_write(Attachment) or DEFAULT_DB_ALIAS
    connection = connections[using]
    pending = getattr(connection, "_records_pending_removal", None)
    if pending is not None and _still_registered(connection, pending):
        pending.ids.extend(attachment_ids)
        return
    pending = _PendingRemoval(using)
    pending.ids.extend(attachment_ids)
    connection._records_pending_removal = pending
    # Outside a transaction this runs at once.
    transaction.on_commit(pending.run, using=using, robust=True)


def _still_registered(connection, pending):
    """Whether `pending`'s callback waits for this transaction's commit (a
    rollback, or a commit that ran it, drops it)."""
    return any(getattr(callback, "__self__", None) is pending for _sids, callback, *_rest in connection.run_on_commit)
