"""Fixity (R-FILE-6): every stored electronic file re-read and compared with
the SHA-256 recorded when it was uploaded.

What is checked is every kind of stored file the backup copies
(records.maintenance.database.stored_files): records' attachments, their
searchable copies made by text recognition, and other apps' files (the
controlled documents' sources and papers, registered by documents). A
searchable copy's SHA-256 is recorded when it is stored; a copy made before
that was recorded is read through to its end, so a missing or unreadable
one is reported, but a changed one cannot be told.

`verify_files` keeps each run as a FixityCheck. The archivist's home page
shows a warning (`home_panel`, registered in RecordsConfig.ready()) while
the newest check found a file missing or changed; a later run that finds
everything in order takes it away."""
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.stored_files import open_streamed
from records.maintenance.database import stored_files
from records.maintenance.files import file_digest
from records.models import Attachment, FixityCheck, FixityProblem

HOME_PANEL_ITEMS = 10
MAINTENANCE_PAGE_ITEMS = 100
PROGRESS_EVERY = 500

# The kinds (StoredFiles.kind) of a record's files, named by its archive number.
ATTACHMENT_FILE = "records.attachment.file"
SEARCHABLE_COPY = "records.attachment.ocr_copy"
# A row with this field set is a tombstone: its file is gone on purpose (R-DISP-3).
DESTROYED_FIELD = "destroyed_at"


@dataclass(frozen=True)
class FileProblem:
    """A stored file found missing, changed or unreadable, with what names
    it to the archivist. A record's file (or its searchable copy) names the
    attachment, the record and its archive number; another app's file names
    its row and `owner` (e.g. a controlled document's number and title)."""

    kind: str  # a StoredFiles.kind
    file_name: str
    problem: str  # a FixityProblem code
    attachment_id: int | None = None
    record_id: int | None = None
    archive_number: str = ""
    object_id: int | None = None
    owner: str = ""

    def as_dict(self):
        """The dict kept in FixityCheck.problems. Checks kept before other
        kinds were checked hold a record's file without "kind"."""
        if self.kind in (ATTACHMENT_FILE, SEARCHABLE_COPY):
            return {
                "kind": self.kind,
                "attachment": self.attachment_id,
                "record": self.record_id,
                "archive_number": self.archive_number,
                "file_name": self.file_name,
                "problem": self.problem,
            }
        return {
            "kind": self.kind,
            "object": self.object_id,
            "owner": self.owner,
            "file_name": self.file_name,
            "problem": self.problem,
        }


def describe(problem):
    """One translated line naming the file as the archivist knows it, e.g.
    “SCB·NBTJ·2024·Y10-0003 “月报.pdf”: the file is missing”, or the
    searchable copy of a record's file, or a controlled document's file by
    the document's number and title. `problem` is a FileProblem's dict, also
    one kept by an older check."""
    reason = FixityProblem(problem["problem"]).label if problem.get("problem") in FixityProblem.values else ""
    values = {"name": problem.get("file_name", ""), "reason": reason}
    kind = problem.get("kind", ATTACHMENT_FILE)
    if kind in (ATTACHMENT_FILE, SEARCHABLE_COPY):
        values["number"] = problem.get("archive_number") or _("record %(pk)s (no archive number yet)") % {
            "pk": problem.get("record")
        }
        if kind == SEARCHABLE_COPY:
            return _("%(number)s searchable copy of “%(name)s”: %(reason)s") % values
        return _("%(number)s “%(name)s”: %(reason)s") % values
    registered = next((stored for stored in stored_files() if stored.kind == kind), None)
    owner = problem.get("owner", "")
    values["number"] = registered.label % {"owner": owner} if registered and registered.label else owner
    return _("%(number)s “%(name)s”: %(reason)s") % values


def check_stored_file(storage, name, *, sha256, size=None):
    """The FixityProblem of one stored file, or None when it is there and
    matches the SHA-256 (and size) recorded when it was stored. Without a
    recorded SHA-256 the file is read through: only there and readable."""
    try:
        with open_streamed(storage, name) as stored:
            digest, stored_size = file_digest(stored)
    except FileNotFoundError:
        return FixityProblem.MISSING
    except OSError:
        return FixityProblem.UNREADABLE
    if sha256 is not None and (digest != sha256 or (size is not None and stored_size != size)):
        return FixityProblem.CHANGED
    return None


def _rows(stored):
    """The rows of `stored`'s model whose file is kept, as dicts, by pk."""
    model = stored.model
    rows = model._default_manager.exclude(**{stored.file_field: ""}).exclude(**{f"{stored.file_field}__isnull": True})
    if any(field.name == DESTROYED_FIELD for field in model._meta.concrete_fields):
        rows = rows.filter(**{f"{DESTROYED_FIELD}__isnull": True})
    if model is Attachment:
        naming = ("record_id", "record__archive_number")
    else:
        naming = stored.owner_fields
    columns = ["pk", stored.file_field]
    columns += [field for field in (stored.sha256_field, stored.size_field, stored.name_field) if field]
    return rows.order_by("pk").values(*columns, *naming)


def _check_row(stored, storage, row):
    """The FileProblem of one row's file, or None when it is in order."""
    kind = check_stored_file(
        storage, row[stored.file_field],
        # Blank: a searchable copy made before its SHA-256 was recorded.
        sha256=(row[stored.sha256_field] or None) if stored.sha256_field else None,
        size=row[stored.size_field] if stored.size_field else None,
    )
    if kind is None:
        return None
    file_name = row[stored.name_field] if stored.name_field else row[stored.file_field].rsplit("/", 1)[-1]
    if stored.model is Attachment:
        return FileProblem(
            kind=stored.kind, file_name=file_name, problem=kind.value, attachment_id=row["pk"],
            record_id=row["record_id"], archive_number=row["record__archive_number"] or "",
        )
    owner = " ".join(str(row[field]) for field in stored.owner_fields if row[field])
    return FileProblem(kind=stored.kind, file_name=file_name, problem=kind.value, object_id=row["pk"], owner=owner)


def verify_files(*, progress=None):
    """Check every stored file and keep the result; returns the FixityCheck.
    `progress(done, total)` is called every few hundred files."""
    kinds = stored_files()
    total = sum(_rows(stored).count() for stored in kinds)
    problems, checked = [], 0
    for stored in kinds:
        storage = stored.model._meta.get_field(stored.file_field).storage
        for row in _rows(stored).iterator(chunk_size=PROGRESS_EVERY):
            problem = _check_row(stored, storage, row)
            if problem is not None:
                problems.append(problem.as_dict())
            checked += 1
            if progress is not None and checked % PROGRESS_EVERY == 0:
                progress(checked, total)
    return FixityCheck.objects.create(files_checked=checked, problem_count=len(problems), problems=problems)


def latest_check():
    return FixityCheck.objects.order_by("-checked_at", "-pk").first()


def listed_problems(check, limit):
    """(the first `limit` problems of `check` described, how many more)."""
    return [describe(problem) for problem in check.problems[:limit]], max(0, check.problem_count - limit)


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
    problems, more = listed_problems(check, HOME_PANEL_ITEMS)
    return {"check": check, "problems": problems, "more": more}
