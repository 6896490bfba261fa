import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from records.search import BATCH_SIZE, rebuild_index


class Command(BaseCommand):
    help = "Rebuild the full-text search index of every record, showing progress."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, batch_size, **options):
        started = time.monotonic()

        def progress(done, total):
            elapsed = time.monotonic() - started
            rate = done / elapsed if elapsed else 0
            percent = 100 * done / total if total else 100
            self.stdout.write(
                _("Indexed %(done)d of %(total)d records (%(percent).0f%%, %(rate).0f per second)")
                % {"done": done, "total": total, "percent": percent, "rate": rate}
            )

        count = rebuild_index(batch_size=batch_size, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                _("Search index rebuilt: %(count)d records in %(seconds).1f s.")
                % {"count": count, "seconds": time.monotonic() - started}
            )
        )
