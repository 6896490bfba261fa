"""Files of a backup and of the attachment storage: private directories and
files (0700 / 0600), copying with a SHA-256 taken on the way, and names from
a manifest that must stay inside their directory."""
import hashlib
import os
from pathlib import Path, PurePosixPath

from django.utils.translation import gettext as _

from records.exceptions import RecordActionRefused

CHUNK_BYTES = 1024 * 1024
DIRECTORY_MODE = 0o700
FILE_MODE = 0o600


def make_private_dirs(base, relative):
    """Create `base`/`relative` and every directory between them as 0700.
    `base` itself must exist."""
    path = Path(base)
    for part in PurePosixPath(relative).parts:
        path = path / part
        if not path.is_dir():
            path.mkdir(mode=DIRECTORY_MODE)
            os.chmod(path, DIRECTORY_MODE)  # mkdir's mode is masked by the umask
    return path


def create_private_file(path, *, replace=False):
    """Open a new file for writing, readable by its owner only (0600)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if replace else os.O_EXCL)
    descriptor = os.open(path, flags, FILE_MODE)
    os.fchmod(descriptor, FILE_MODE)  # an existing file keeps its mode otherwise
    return os.fdopen(descriptor, "wb")


def file_digest(file):
    """(SHA-256 hex digest, size) of an open binary file, read in chunks."""
    digest, size = hashlib.sha256(), 0
    while chunk := file.read(CHUNK_BYTES):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def path_digest(path):
    with open(path, "rb") as file:
        return file_digest(file)


def copy_with_digest(source, target, *, replace=False):
    """Copy `source` to a new private file `target`; returns the (SHA-256,
    size) of what was written, read once."""
    with open(source, "rb") as reader:
        return copy_stream_with_digest(reader, target, replace=replace)


def copy_stream_with_digest(reader, target, *, replace=False):
    """Copy the open binary `reader` to a new private file `target`, in
    chunks; returns the (SHA-256, size) of what was written."""
    digest, size = hashlib.sha256(), 0
    with create_private_file(target, replace=replace) as writer:
        while chunk := reader.read(CHUNK_BYTES):
            digest.update(chunk)
            size += len(chunk)
            writer.write(chunk)
        writer.flush()
        os.fsync(writer.fileno())
    return digest.hexdigest(), size


def safe_relative(name):
    """`name` (from a manifest or the database) as a relative path that
    stays inside its directory; refuses absolute paths and `..`."""
    path = PurePosixPath(str(name))
    if not str(name) or path.is_absolute() or "\\" in str(name) or any(part in ("", ".", "..") for part in path.parts):
        raise RecordActionRefused(_("The file name “%(name)s” leaves its directory.") % {"name": name})
    return path
