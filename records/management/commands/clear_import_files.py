"""Remove the files of back-office imports that were previewed and never
confirmed or cancelled, once older than a day (records.import_files). Run
daily from cron."""
import datetime

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from core.stored_files import is_object_storage
from records.import_files import MAX_AGE, OBJECT_PREFIX, clear_import_files, import_tmp_dir


class Command(BaseCommand):
    help = "Remove back-office import files older than a day (previews never confirmed or cancelled)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours", type=float, default=MAX_AGE.total_seconds() / 3600,
            help="Remove files older than this many hours (default 24).",
        )

    def handle(self, *args, hours, **options):
        removed = clear_import_files(max_age=datetime.timedelta(hours=hours))
        # Where they waited: the shared bucket's prefix, or this machine's directory.
        place = f"{OBJECT_PREFIX}/" if is_object_storage(default_storage) else import_tmp_dir()
        self.stdout.write(
            _("Removed %(count)d import files older than %(hours)g hours from %(directory)s.")
            % {"count": removed, "hours": hours, "directory": place}
        )
