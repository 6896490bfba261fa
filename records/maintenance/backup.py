"""`manage.py backup_archive DIR`: a consistent online backup of the archive
(R-FILE-6, R-CLIENT).

DIR gets the database (SQLite's backup API or pg_dump's custom format), a
copy of every stored file under attachments/, and a manifest with the
SHA-256 of each. Directories are 0700 and files 0600: a backup holds
confidential records. The client-data key is not included."""
import os
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _

from records.exceptions import RecordActionRefused
from core.stored_files import open_streamed
from records.maintenance.database import database_for
from records.maintenance.files import (
    DIRECTORY_MODE,
    copy_stream_with_digest,
    make_private_dirs,
    path_digest,
    safe_relative,
)
from records.maintenance.manifest import ATTACHMENTS_DIR, build_manifest, write_manifest
from records.models import Attachment, FixityProblem


@dataclass
class BackupResult:
    directory: Path
    manifest: dict
    seconds: float
    #: Stored files found missing or changed while copying: {"file", "problem"}.
    problems: list = field(default_factory=list)

    @property
    def total_bytes(self):
        return sum(entry["size"] for entry in self.manifest["files"].values())


def backup_archive(*, directory, using=DEFAULT_DB_ALIAS):
    """Back up the database `using` and every stored file into `directory`,
    which must be empty or not exist yet. Refuses (RecordActionRefused) a
    directory that is not empty or cannot be written. A stored file that is
    missing or no longer matches its SHA-256 is reported in the result (and
    the manifest) and the rest is still backed up."""
    started = time.monotonic()
    directory = prepare_directory(directory)
    database = database_for(using)
    snapshot = database.dump(directory / database.file_name)
    digest, size = path_digest(directory / database.file_name)
    files = {database.file_name: {"sha256": digest, "size": size}}
    problems = copy_attachments(snapshot.attachments, directory, files)
    manifest = build_manifest(
        vendor=database.vendor, database_file=database.file_name, snapshot=snapshot, files=files, problems=problems
    )
    write_manifest(directory, manifest)
    return BackupResult(directory, manifest, time.monotonic() - started, problems)


def prepare_directory(directory):
    """`directory` as an absolute path, empty, writable and 0700."""
    directory = Path(directory).expanduser().absolute()
    values = {"directory": directory}
    if directory.exists() and not directory.is_dir():
        raise RecordActionRefused(_("%(directory)s is not a directory.") % values)
    if directory.is_dir() and any(directory.iterdir()):
        raise RecordActionRefused(
            _("%(directory)s is not empty. Back up into a new or empty directory, so that no backup is mixed "
              "with another.") % values
        )
    try:
        directory.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
        os.chmod(directory, DIRECTORY_MODE)
        # Modes do not stop root; a read-only file system does. Try it.
        probe = directory / ".write-test"
        probe.touch(mode=0o600)
        probe.unlink()
    except OSError as error:
        raise RecordActionRefused(
            _("%(directory)s cannot be written: %(error)s") % {**values, "error": error.strerror or error}
        ) from error
    return directory


def copy_attachments(attachments, directory, files):
    """Copy each (storage name, recorded SHA-256 or None) into DIR/attachments/,
    adding each copy to `files`; returns the problems met. The files are
    read through the storage, streamed: the local disk or object storage."""
    storage = Attachment._meta.get_field("file").storage
    problems = []
    for name, recorded in attachments:
        relative = safe_relative(name)
        key = str(PurePosixPath(ATTACHMENTS_DIR, relative))
        if key in files:
            continue
        target = make_private_dirs(directory, PurePosixPath(ATTACHMENTS_DIR, *relative.parts[:-1])) / relative.name
        try:
            with open_streamed(storage, name) as reader:
                digest, size = copy_stream_with_digest(reader, target)
        except FileNotFoundError:
            target.unlink(missing_ok=True)
            problems.append({"file": name, "problem": FixityProblem.MISSING.value})
            continue
        except OSError:
            target.unlink(missing_ok=True)
            problems.append({"file": name, "problem": FixityProblem.UNREADABLE.value})
            continue
        files[key] = {"sha256": digest, "size": size}
        # None: no SHA-256 was recorded (an early searchable copy); taken as it is read.
        if recorded is not None and digest != recorded:
            problems.append({"file": name, "problem": FixityProblem.CHANGED.value})
    return problems
