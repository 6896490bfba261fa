import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from records.search import BATCH_SIZE, rebuild_index


class Command(BaseCommand):
    help = (
        "Rebuild the full-text search index of every record, showing progress; only changed entries are "
        "rewritten, and the index is compacted at the end."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        parser.add_argument(
            "--from-scratch", action="store_true",
            help="Empty the index first: needed after a change of how text becomes tokens "
            "(records.search.tokens). Searches find less until the rebuild ends.",
        )

    def handle(self, *args, batch_size, from_scratch, **options):
        started = time.monotonic()

        def progress(done, total):
            elapsed = time.monotonic() - started
            rate = done / elapsed if elapsed else 0
            percent = 100 * done / total if total else 100
            self.stdout.write(
                _("Indexed %(done)d of %(total)d records (%(percent).0f%%, %(rate).0f per second)")
                % {"done": done, "total": total, "percent": percent, "rate": rate}
            )

        count = rebuild_index(batch_size=batch_size, progress=progress, from_scratch=from_scratch)
        self.stdout.write(
            self.style.SUCCESS(
                _("Search index rebuilt: %(count)d records in %(seconds).1f s.")
                % {"count": count, "seconds": time.monotonic() - started}
            )
        )
