"""`manage.py ocr_existing_scans --by USERNAME`: files stored before text
recognition existed are read again as an upload is (records.ocr): each scan
(an image, a PDF without a text layer) is queued for recognition, the jobs
owned by the archivist named, who sees them in 我的任务. Run it once after
the upgrade; running it again queues nothing twice."""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from records.ocr import queue_existing_scan, scans_to_check


class Command(BaseCommand):
    help = gettext_lazy(
        "Queue text recognition for the scans stored before it existed (images, PDFs without a text layer)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--by", required=True, help=gettext_lazy("Login name of the archivist who owns the jobs."))

    def handle(self, *args, by, **options):
        owner = get_user_model().objects.filter(username=by, is_active=True).first()
        if owner is None or not owner.has_perm("records.file_record"):
            raise CommandError(_("%(name)s is no active archivist.") % {"name": by})
        checked = queued = 0
        for attachment in scans_to_check().iterator():
            checked += 1
            if queue_existing_scan(attachment=attachment, by=owner) is not None:
                queued += 1
        self.stdout.write(
            _("%(checked)d stored images and PDFs read; %(queued)d scans queued for text recognition.")
            % {"checked": checked, "queued": queued}
        )
