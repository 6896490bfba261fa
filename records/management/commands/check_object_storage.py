from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.object_storage_check import check_store
from core.stored_files import is_object_storage


class Command(BaseCommand):
    help = gettext_lazy(
        "Check the object store configured by ARCHIVE_S3_*: files can be written, read and deleted, a name can "
        "be claimed only once, and nobody without credentials can read the bucket. Exits non-zero otherwise."
    )

    def handle(self, *args, **options):
        if not is_object_storage(default_storage):
            self.stdout.write(_("No object store is configured: files are kept on this server's disk."))
            return
        findings = check_store(default_storage)
        for finding in findings:
            write = self.stdout.write if finding.ok else self.stderr.write
            write(("✓ " if finding.ok else "✗ ") + finding.message)
        if not all(finding.ok for finding in findings):
            raise CommandError(_("The object store is not fit for the archive's files; see above."))
