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
- With object storage (ARCHIVE_S3_BUCKET) the files wait in the shared
  bucket instead, under the private prefix "import_tmp/" (import_file_storage),
  so a file previewed through one application server can be confirmed
  through another. S3 has no atomic rename: a claim is the conditional
  creation (If-None-Match: *) of an empty marker "<name>.claimed", which the
  object store grants to exactly one request however many race. The marker
  stays until the daily clearing, after MAX_AGE: by then every signature that
  could name the file has expired, so no later confirmation can be granted
  a second claim once the file itself is gone.
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
from django.core.files.storage import FileSystemStorage, default_storage
from django.utils.module_loading import import_string
from import_export.tmp_storages import BaseStorage

from core.stored_files import is_object_storage

MAX_AGE = datetime.timedelta(days=1)
CLAIMED_SUFFIX = ".confirming"
# The object-storage claim's marker; it never matches _NAME, so no
# confirmation can name it.
CLAIM_MARKER_SUFFIX = ".claimed"
OBJECT_PREFIX = "import_tmp"
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


def import_file_storage():
    """Where import files wait: the shared object store under OBJECT_PREFIX
    when the site stores its files there (every application server sees the
    same files), the local ImportFileStorage otherwise."""
    if not is_object_storage(default_storage):
        return ImportFileStorage()
    configured = settings.STORAGES["default"]
    options = dict(configured.get("OPTIONS", {}))
    options["location"] = "/".join(part for part in (options.get("location", "").strip("/"), OBJECT_PREFIX) if part)
    return import_string(configured["BACKEND"])(**options)


def _claim_object(storage, name):
    """Create `name`'s claim marker if no one has: True for the one request
    the object store lets create it, False for every other."""
    from botocore.exceptions import ClientError

    try:
        storage.connection.meta.client.put_object(
            Bucket=storage.bucket_name, Key=storage._normalize_name(name + CLAIM_MARKER_SUFFIX),
            Body=b"", IfNoneMatch="*",
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("PreconditionFailed", "412", "ConditionalRequestConflict"):
            return False
        raise
    return True


class ImportTmpStorage(BaseStorage):
    """django-import-export's temporary storage (IMPORT_EXPORT_TMP_STORAGE_CLASS)
    over ImportFileStorage. It reads bytes in every format; the text formats
    decode them with the import's encoding."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.read_mode = "rb"
        self.storage = import_file_storage()

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
        if is_object_storage(self.storage):
            # Checked again after the claim: a cancel may have removed it meanwhile.
            return self.exists() and _claim_object(self.storage, self._checked_name()) and self.exists()
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
    limit = (now if now is not None else time.time()) - max_age.total_seconds()
    storage = import_file_storage()
    if is_object_storage(storage):
        return _clear_objects(storage, limit)
    directory = import_tmp_dir()
    removed = 0
    for path in directory.iterdir():
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _clear_objects(storage, limit):
    """clear_import_files on object storage: the waiting files and the
    claim markers (not counted) older than `limit`."""
    removed = 0
    for name in storage.listdir("")[1]:
        if storage.get_modified_time(name).timestamp() < limit:
            storage.delete(name)
            removed += 0 if name.endswith(CLAIM_MARKER_SUFFIX) else 1
    return removed
