"""Stored files through Django's storage API only, so that the same code
serves the local disk (the default) and S3-compatible object storage
(ARCHIVE_S3_BUCKET): no local path is assumed.

Reading streams: from object storage the bytes arrive as they download,
never first copied whole into memory or a temporary file (as
django-storages' S3File does on its first read). A reader that must jump
about the file (pypdf's) gets open_seekable: from object storage, a
temporary file the object is downloaded into a piece at a time."""
import hashlib
import os
import shutil
import tempfile

from django.core.files import File
from django.http import FileResponse

# Bytes held in memory at a time while a file is copied.
COPY_CHUNK = 1024 * 1024


def is_object_storage(storage):
    """Whether `storage` is django-storages' S3 backend (told without
    importing boto3 into a site that stores on disk). `__class__`, not
    type(): a FileField's storage is Django's lazy default_storage, which
    passes __class__ on to the storage it wraps."""
    return storage.__class__.__module__.startswith("storages.backends.s3")


def open_streamed(storage, name):
    """A binary reader of the stored file `name` (read(n), close(), usable
    in `with`). FileNotFoundError when it is not stored, another OSError
    when it cannot be read."""
    if is_object_storage(storage):
        return ObjectStream(storage, name)
    return storage.open(name, "rb")


def open_seekable(storage, name):
    """A seekable binary file of the stored file `name` (for a reader such
    as pypdf's, which jumps about the file), which the caller closes: on
    disk the stored file itself; from object storage a temporary file it is
    downloaded into piece by piece, deleted when closed. FileNotFoundError
    when it is not stored, another OSError when it cannot be read."""
    if not is_object_storage(storage):
        return storage.open(name, "rb")
    spooled = tempfile.TemporaryFile()
    try:
        with ObjectStream(storage, name) as stream:
            shutil.copyfileobj(stream, spooled, COPY_CHUNK)
        spooled.seek(0)
    except BaseException:
        spooled.close()
        raise
    return spooled


def stored_file_response(handle, *, filename, content_type, as_attachment=True):
    """A FileResponse of an open stored file (`open_streamed`), sent as it
    is read; an object stream does not tell its length, so its stored size
    is named. Never cached by a shared cache: it is one reader's file."""
    response = FileResponse(
        handle, as_attachment=as_attachment, filename=filename,
        content_type=content_type or "application/octet-stream",
    )
    if "Content-Length" not in response and isinstance(handle, ObjectStream):
        response["Content-Length"] = handle.size
    response["X-Content-Type-Options"] = "nosniff"
    return response


class ObjectStream:
    """An object of S3-compatible storage, read as it downloads. Errors of
    the object store come out as OSError, as the disk's do."""

    def __init__(self, storage, name):
        self.name = name
        self._closed = False
        with _as_os_error(name):
            # storage.open() asks for the object's head: FileNotFoundError when it is missing.
            head = storage.open(name, "rb")
            self.size = head.size
            self._body = head.obj.get()["Body"]

    def read(self, size=-1):
        with _as_os_error(self.name):
            return self._body.read(None if size is None or size < 0 else size)

    def readable(self):
        return True

    def seekable(self):
        return False

    @property
    def closed(self):
        return self._closed

    def close(self):
        self._closed = True
        self._body.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


class _as_os_error:
    """Turns boto's errors into OSError (FileNotFoundError for a 404)."""

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        from botocore.exceptions import BotoCoreError, ClientError

        if isinstance(error, ClientError):
            if error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404:
                raise FileNotFoundError(f"{self.name} is not stored") from error
            raise OSError(f"{self.name} cannot be read: {error}") from error
        if isinstance(error, BotoCoreError):
            raise OSError(f"{self.name} cannot be read: {error}") from error
        return False


class DigestingReader:
    """Reads `reader` through, taking the SHA-256 and size of what passed."""

    def __init__(self, reader):
        self._reader = reader
        self._digest = hashlib.sha256()
        self.size = 0

    def read(self, size=-1):
        chunk = self._reader.read(size)
        self._digest.update(chunk)
        self.size += len(chunk)
        return chunk

    def readable(self):
        return True

    def seekable(self):
        # Storage backends rewind a seekable file before saving; this one is read once.
        return False

    @property
    def closed(self):
        return self._reader.closed

    def hexdigest(self):
        return self._digest.hexdigest()


def save_exactly(storage, name, reader, *, replace=False):
    """Store `reader`'s bytes under exactly `name` (a restore puts each file
    back under the name the database holds); returns the (SHA-256, size) of
    what was stored. An existing file is refused (FileExistsError) unless
    `replace`."""
    if storage.exists(name):
        if not replace:
            raise FileExistsError(name)
        storage.delete(name)
    passed = DigestingReader(reader)
    saved = storage.save(name, File(passed, name=name))
    if saved != name:  # another writer took the name meanwhile
        storage.delete(saved)
        raise FileExistsError(name)
    return passed.hexdigest(), passed.size


def count_stored_files(storage):
    """How many files `storage` holds, in constant memory: on object storage
    its prefix is listed flat, a page of 1,000 keys per request (no request
    per folder, no list of names); on disk its folder is walked."""
    if not is_object_storage(storage):
        return sum(len(files) for _folder, _directories, files in os.walk(storage.location))
    prefix = storage._normalize_name("")
    prefix = f"{prefix.rstrip('/')}/" if prefix else ""
    client = storage.connection.meta.client
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=storage.bucket_name, Prefix=prefix)
    with _as_os_error(prefix or "/"):
        return sum(page.get("KeyCount", 0) for page in pages)
