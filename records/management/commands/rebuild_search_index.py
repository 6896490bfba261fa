"""Rebuild the full-text search index (R-FILE-4), showing how far it is and
about how long is left, resumable: after each committed batch the last record
id indexed is kept in a small JSON file under VAR_DIR, and a rerun continues
after it (--restart starts over); a finished rebuild removes the file."""
import datetime
import json
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from records.models import Record
from records.search import BATCH_SIZE, rebuild_index

CHECKPOINT_NAME = "rebuild_search_index.json"


def checkpoint_path():
    return settings.VAR_DIR / CHECKPOINT_NAME


def _database():
    """Which database a checkpoint belongs to (VAR_DIR may serve several)."""
    return f"{connection.vendor}:{connection.settings_dict['NAME']}"


def read_checkpoint():
    """The stopped run's checkpoint for this database, or None."""
    try:
        saved = json.loads(checkpoint_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(saved, dict) or saved.get("database") != _database():
        return None
    if not isinstance(saved.get("last_record_id"), int):
        return None
    return saved


def write_checkpoint(last_record_id, *, from_scratch):
    path = checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_suffix(".tmp")
    state = {"database": _database(), "last_record_id": last_record_id, "from_scratch": from_scratch}
    staged.write_text(json.dumps(state), encoding="utf-8")
    staged.replace(path)  # never a half-written checkpoint


def remove_checkpoint():
    checkpoint_path().unlink(missing_ok=True)


def time_left(seconds):
    """'about 3 minutes left' (约剩 3 分钟) in the user's language."""
    if seconds < 60:
        return _("less than a minute left")
    now = datetime.datetime.now(datetime.timezone.utc)
    return _("about %(time)s left") % {"time": timesince(now, now + datetime.timedelta(seconds=seconds), depth=1)}


class Command(BaseCommand):
    help = (
        "Rebuild the full-text search index of every record, showing progress; only changed entries are "
        "rewritten, and the index is compacted at the end. A stopped rebuild continues where it stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        parser.add_argument(
            "--from-scratch", action="store_true",
            help="Empty the index first. Not needed after an upgrade of how text becomes tokens: a plain "
            "rebuild moves every entry over. Searches find less until the rebuild ends.",
        )
        parser.add_argument(
            "--restart", action="store_true", help="Start from the first record even if a stopped rebuild left a checkpoint."
        )

    def handle(self, *args, batch_size, from_scratch, restart, **options):
        saved = None if restart else read_checkpoint()
        if saved and from_scratch and not saved.get("from_scratch"):
            saved = None  # asked to empty the index: what a plain run did before is moot
        after, cleared = (saved["last_record_id"], bool(saved.get("from_scratch"))) if saved else (0, False)
        if saved:
            self.stdout.write(
                _("Continuing a stopped rebuild after record %(id)s (--restart starts over).") % {"id": after}
            )
        else:
            remove_checkpoint()  # one a --restart or --from-scratch set aside
        started, done_before = time.monotonic(), Record.objects.filter(pk__lte=after).count()

        def progress(done, total):
            self.stdout.write(progress_line(done, total, seconds=time.monotonic() - started, done_before=done_before))

        def on_batch(last_id):
            write_checkpoint(last_id, from_scratch=from_scratch or cleared)

        count = rebuild_index(
            batch_size=batch_size, progress=progress, from_scratch=from_scratch and not cleared,
            after=after, on_batch=on_batch,
        )
        remove_checkpoint()
        self.stdout.write(
            self.style.SUCCESS(
                _("Search index rebuilt: %(count)d records in %(seconds).1f s.")
                % {"count": count, "seconds": time.monotonic() - started}
            )
        )


def progress_line(done, total, *, seconds, done_before=0):
    """"Indexed 12,000 of 1,000,000 records (1%), about 3 minutes left"."""
    rate = (done - done_before) / seconds if seconds and done > done_before else 0
    remaining = (total - done) / rate if rate else 0
    percent = int(100 * done / total) if total else 100
    return _("Indexed %(done)s of %(total)s records (%(percent)d%%), %(left)s") % {
        "done": f"{done:,}", "total": f"{total:,}", "percent": percent, "left": time_left(remaining),
    }
