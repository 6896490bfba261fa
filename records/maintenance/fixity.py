"""Fixity (R-FILE-6): every stored electronic file re-read and compared with
the SHA-256 recorded when it was uploaded.

`verify_files` keeps each run as a FixityCheck. The archivist's home page
shows a warning (`home_panel`, registered in RecordsConfig.ready()) while
the newest check found a file missing or changed; a later run that finds
everything in order takes it away."""
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.stored_files import open_streamed
from records.maintenance.files import file_digest
from records.models import Attachment, FixityCheck, FixityProblem

HOME_PANEL_ITEMS = 10


@dataclass(frozen=True)
class FileProblem:
    attachment_id: int
    record_id: int
    archive_number: str
    file_name: str
    problem: str  # a FixityProblem code

    def as_dict(self):
        return {
            "attachment": self.attachment_id,
            "record": self.record_id,
            "archive_number": self.archive_number,
            "file_name": self.file_name,
            "problem": self.problem,
        }


def describe(problem):
    """One translated line naming the record by archive number and the file
    by its name, e.g. “SCB·NBTJ·2024·Y10-0003 月报.pdf: the file is missing”."""
    number = problem.get("archive_number") or _("record %(pk)s (no archive number yet)") % {"pk": problem.get("record")}
    reason = FixityProblem(problem["problem"]).label if problem.get("problem") in FixityProblem.values else ""
    return _("%(number)s “%(name)s”: %(reason)s") % {
        "number": number,
        "name": problem.get("file_name", ""),
        "reason": reason,
    }


def check_attachment(attachment):
    """The FileProblem of one attachment, or None when its file is there
    and matches the SHA-256 recorded at upload."""
    kind = None
    try:
        with open_streamed(attachment.file.storage, attachment.file.name) as stored:
            digest, size = file_digest(stored)
        if digest != attachment.sha256 or size != attachment.size:
            kind = FixityProblem.CHANGED
    except FileNotFoundError:
        kind = FixityProblem.MISSING
    except OSError:
        kind = FixityProblem.UNREADABLE
    if kind is None:
        return None
    return FileProblem(
        attachment_id=attachment.pk,
        record_id=attachment.record_id,
        archive_number=attachment.record.archive_number or "",
        file_name=attachment.original_name,
        problem=kind.value,
    )


def verify_files(*, progress=None):
    """Check every stored file and keep the result; returns the FixityCheck.
    `progress(done, total)` is called every few hundred files."""
    # Destroyed files are gone on purpose (R-DISP-3): their tombstones are not checked.
    attachments = Attachment.objects.filter(destroyed_at__isnull=True).select_related("record").only(
        "file", "sha256", "size", "original_name", "record__archive_number"
    ).order_by("pk")
    total = attachments.count()
    problems, checked = [], 0
    for attachment in attachments.iterator(chunk_size=500):
        problem = check_attachment(attachment)
        if problem is not None:
            problems.append(problem.as_dict())
        checked += 1
        if progress is not None and checked % 500 == 0:
            progress(checked, total)
    return FixityCheck.objects.create(files_checked=checked, problem_count=len(problems), problems=problems)


def latest_check():
    return FixityCheck.objects.order_by("-checked_at", "-pk").first()


def sees_fixity_warning(user):
    """Those who keep the files (records.file_record: the archivist) are
    warned about them."""
    return user.is_authenticated and user.is_active and user.has_perm("records.file_record")


def home_panel(request):
    """The warning on the home page while the newest check found problems."""
    if not sees_fixity_warning(request.user):
        return None
    check = latest_check()
    if check is None or check.in_order:
        return None
    return {
        "check": check,
        "problems": [describe(problem) for problem in check.problems[:HOME_PANEL_ITEMS]],
        "more": max(0, check.problem_count - HOME_PANEL_ITEMS),
    }
