"""The file a back-office import keeps between its preview and its
confirmation (django-import-export's temporary storage, issue 10 point 6).

- The files live in the archive's own directory (settings.IMPORT_TMP_DIR,
  var/import_tmp by default), not in the system's shared temp directory:
  the directory is 0700 and each file 0600, the server account's alone.
- Each file has a random name. The confirmation form carries that name
  signed with the uploader and the import's format and resource
  (sign_confirmation): a confirmation naming another file, another format or
  another person's upload is refused, and so is one older than MAX_AGE.
- A confirmation first claims the file (an atomic rename), so a file is
  imported at most once however often "confirm" is pressed; the file is
  removed after the confirmation, after a cancel and when the preview shows
  the file cannot be imported. What is left (previews nobody confirmed or
  cancelled) goes after MAX_AGE: `manage.py clear_import_files`, run daily.
"""
import datetime
import os
import re
import time
from pathlib import Path
from uuid import uuid4

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from import_export.tmp_storages import BaseStorage

MAX_AGE = datetime.timedelta(days=1)
CLAIMED_SUFFIX = ".confirming"
_NAME = re.compile(r"[0-9a-f]{32}(?:%s)?" % re.escape(CLAIMED_SUFFIX))
_SALT = "records.import_files.confirmation"


def import_tmp_dir():
    """The directory, created 0700 (and narrowed to 0700 if it exists)."""
    directory = Path(settings.IMPORT_TMP_DIR)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    directory.chmod(0o700)
    return directory


class ImportFileStorage(FileSystemStorage):
    """Django's file-system storage rooted at the import directory, files
    0600 and directories 0700."""

    def __init__(self):
        super().__init__(
            location=import_tmp_dir(), file_permissions_mode=0o600, directory_permissions_mode=0o700
        )


class ImportTmpStorage(BaseStorage):
    """django-import-export's temporary storage (IMPORT_EXPORT_TMP_STORAGE_CLASS)
    over ImportFileStorage. It reads bytes in every format; the text formats
    decode them with the import's encoding."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.read_mode = "rb"
        self.storage = ImportFileStorage()

    def _checked_name(self):
        if not self.name or not _NAME.fullmatch(self.name):
            raise FileNotFoundError("Not an import file name.")
        return self.name

    def save(self, data):
        if isinstance(data, str):
            data = data.encode(self.encoding or "utf-8")
        self.name = uuid4().hex
        self.storage.save(self.name, ContentFile(data))

    def read(self):
        with self.storage.open(self._checked_name(), "rb") as file:
            return file.read()

    def exists(self):
        try:
            return self.storage.exists(self._checked_name())
        except FileNotFoundError:
            return False

    def claim(self):
        """Take the file for one confirmation: True once, False for every
        later or concurrent attempt (and when the file is gone)."""
        try:
            source = self.storage.path(self._checked_name())
            os.rename(source, source + CLAIMED_SUFFIX)
        except FileNotFoundError:
            return False
        self.name += CLAIMED_SUFFIX
        return True

    def remove(self):
        try:
            self.storage.delete(self._checked_name())
        except FileNotFoundError:
            pass


def _confirmation_fields(*, user, import_file_name, original_file_name, file_format, resource):
    return [user.pk, str(import_file_name), str(original_file_name), str(file_format), str(resource or "")]


def sign_confirmation(**fields):
    """The signature the confirmation form carries (fields as
    _confirmation_fields names them)."""
    return signing.dumps(_confirmation_fields(**fields), salt=_SALT)


class ConfirmationExpired(Exception):
    pass


class ConfirmationForged(Exception):
    pass


def check_confirmation(signature, **fields):
    """Raise ConfirmationForged unless `signature` was made by
    sign_confirmation for exactly these fields, ConfirmationExpired when it
    is older than MAX_AGE."""
    try:
        signed = signing.loads(signature or "", salt=_SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise ConfirmationExpired from None
    except signing.BadSignature:
        raise ConfirmationForged from None
    if signed != _confirmation_fields(**fields):
        raise ConfirmationForged


def clear_import_files(max_age=MAX_AGE, now=None):
    """Remove import files older than `max_age`; return how many."""
    directory = import_tmp_dir()
    limit = (now if now is not None else time.time()) - max_age.total_seconds()
    removed = 0
    for path in directory.iterdir():
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
