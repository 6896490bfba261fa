"""`manage.py restore_archive DIR`: restore a backup made by backup_archive
into an empty or freshly migrated instance, then check every restored file
(records.maintenance.restore, records.maintenance.fixity). Exits non-zero
when the backup does not match its manifest, the instance holds records
(without --force), or a restored file fails its check."""
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.text import join_items
from records.exceptions import RecordActionRefused
from records.maintenance.fixity import describe, verify_files
from records.maintenance.restore import restore_archive


class Command(BaseCommand):
    help = gettext_lazy(
        "Restore a backup made by backup_archive into this instance, which must hold no records yet "
        "(unless --force), then check every restored file. Stop the site first."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="The backup's directory (with manifest.json).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore even over an instance that holds records, or with another client-data key.",
        )

    def handle(self, *args, directory, force, **options):
        try:
            result = restore_archive(directory=directory, force=force)
        except RecordActionRefused as refusal:
            raise CommandError(refusal.message) from refusal
        self.stdout.write(
            _("Restored the backup of %(created)s in %(seconds).1f s: %(records)d records, %(attachments)d "
              "attachments, %(files)d stored files.")
            % {
                "created": result.manifest["created_at"],
                "seconds": result.seconds,
                "records": result.records,
                "attachments": result.attachments,
                "files": result.files,
            }
        )
        if result.migrated:
            self.stdout.write(
                _("Migrations newer than the backup applied: %(names)s") % {"names": join_items(result.migrated)}
            )
        check = verify_files()
        for problem in check.problems:
            self.stdout.write(describe(problem))
        if not check.in_order:
            raise CommandError(
                _("%(count)d of %(files)d restored files failed their check.")
                % {"count": check.problem_count, "files": check.files_checked},
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS(_("All %(files)d files checked: in order.") % {"files": check.files_checked}))
