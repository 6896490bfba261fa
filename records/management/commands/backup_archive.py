"""`manage.py backup_archive DIR`: a consistent online backup of the database
and every stored file, with a manifest of SHA-256 sums (records.maintenance.backup).
Exits non-zero when DIR is not empty or not writable, or when a stored file
was missing or changed (the rest is still backed up)."""
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from records.exceptions import RecordActionRefused
from records.maintenance.backup import backup_archive
from records.maintenance.manifest import field_key_warning


class Command(BaseCommand):
    help = gettext_lazy(
        "Back up the database and every stored file into DIR (new or empty), with a manifest of SHA-256 sums. "
        "The client-data key is not included: back it up separately."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="A new or empty directory for this backup.")

    def handle(self, *args, directory, **options):
        try:
            result = backup_archive(directory=directory)
        except RecordActionRefused as refusal:
            raise CommandError(refusal.message) from refusal
        counts = result.manifest["counts"]
        self.stdout.write(
            _("Backup written to %(directory)s in %(seconds).1f s: %(records)d records, %(attachments)d "
              "attachments, %(files)d files, %(size)s in all.")
            % {
                "directory": result.directory,
                "seconds": result.seconds,
                "records": counts["records"],
                "attachments": counts["attachments"],
                "files": len(result.manifest["files"]),
                "size": filesizeformat(result.total_bytes),
            }
        )
        self.stderr.write(self.style.WARNING(field_key_warning()))
        if result.problems:
            raise CommandError(
                _("%(count)d stored files were missing or no longer matched their SHA-256 and are not in the "
                  "backup as uploaded. Run manage.py verify_files to see which records they belong to.")
                % {"count": len(result.problems)},
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS(_("Backup complete.")))
