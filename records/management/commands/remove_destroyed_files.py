"""Remove the stored bytes of destroyed files that are still there
(records.files.removal, R-DISP-3): normally removed right after the
destruction commits; a removal that failed then is retried here and by the
worker's daily task. Prints what it removed and what failed; exits with 1
if anything is still stored."""
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from records.files.removal import remove_destroyed_files


class Command(BaseCommand):
    help = "Remove the stored bytes of destroyed files still in the storage; exit 1 if any removal failed."

    def handle(self, *args, **options):
        removed, failed = remove_destroyed_files()
        self.stdout.write(_("Removed the stored bytes of %(count)d destroyed files.") % {"count": removed})
        for problem in failed:
            self.stderr.write(
                _("Not removed: %(name)s of %(record)s (attachment %(id)d): %(error)s")
                % {
                    "name": problem.file_name,
                    "record": problem.archive_number,
                    "id": problem.attachment_id,
                    "error": problem.error,
                }
            )
        if failed:
            raise CommandError(
                _("%(count)d destroyed files are still stored; run the command again once the storage is fixed.")
                % {"count": len(failed)}
            )
