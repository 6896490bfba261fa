"""`manage.py verify_files`: re-read every stored file and compare it with
the SHA-256 recorded at upload (R-FILE-6, records.maintenance.fixity):
records' files and their searchable copies, controlled documents' files.
Each missing or changed file is reported by archive number (or document
number and title) and file name; the result is kept, and the archivist's
home page warns until a later run finds everything in order. Exits 1 when a
file failed."""
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from records.maintenance.fixity import describe, verify_files


class Command(BaseCommand):
    help = gettext_lazy(
        "Re-read every stored file (records' files and their searchable copies, controlled documents' files) and "
        "compare it with the SHA-256 recorded at upload; report each missing or changed file by archive or "
        "document number and exit non-zero if any."
    )

    def handle(self, *args, **options):
        def progress(done, total):
            self.stdout.write(_("Checked %(done)d of %(total)d files.") % {"done": done, "total": total})

        check = verify_files(progress=progress if options["verbosity"] > 1 else None)
        for problem in check.problems:
            self.stdout.write(describe(problem))
        if not check.in_order:
            raise CommandError(
                _("%(count)d of %(files)d stored files failed their check.")
                % {"count": check.problem_count, "files": check.files_checked},
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS(_("All %(files)d files checked: in order.") % {"files": check.files_checked}))
