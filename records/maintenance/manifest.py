"""A backup's manifest (manifest.json): when and from what it was made, the
applied migrations, and the SHA-256 and size of every file in the backup,
the database copy included. SHA256SUMS beside it says the same for
`sha256sum -c`. The manifest is written last: a directory without one is
not a finished backup."""
import hashlib
import json
import os
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from records.exceptions import RecordActionRefused
from records.maintenance.files import create_private_file, path_digest, safe_relative

FORMAT = 1
MANIFEST_NAME = "manifest.json"
SUMS_NAME = "SHA256SUMS"
ATTACHMENTS_DIR = "attachments"
FIELD_KEY_FILE = "field_key"


def build_manifest(*, vendor, database_file, snapshot, files, problems):
    return {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": {"vendor": vendor, "file": database_file},
        "migrations": snapshot.migrations,
        "counts": {"records": snapshot.records, "attachments": len(snapshot.attachments)},
        # Never the key itself (R-CLIENT): only whether restoring needs another one.
        "field_key_fingerprint": field_key_fingerprint(),
        "files": files,
        "problems": problems,
    }


def write_manifest(directory, manifest):
    """Write SHA256SUMS, then the manifest under a temporary name moved into
    place, so a manifest is never half written."""
    lines = "".join(f"{entry['sha256']}  {name}\n" for name, entry in sorted(manifest["files"].items()))
    with create_private_file(Path(directory) / SUMS_NAME) as sums:
        sums.write(lines.encode())
    partial = Path(directory) / f".{MANIFEST_NAME}.partial"
    with create_private_file(partial) as output:
        output.write(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode())
        output.flush()
        os.fsync(output.fileno())
    os.replace(partial, Path(directory) / MANIFEST_NAME)


def read_manifest(directory):
    """The manifest of the backup in `directory`; refuses a directory that
    holds none (not a backup, or one that did not finish)."""
    path = Path(directory) / MANIFEST_NAME
    if not path.is_file():
        raise RecordActionRefused(
            _("%(directory)s holds no %(manifest)s: it is not a finished backup.")
            % {"directory": directory, "manifest": MANIFEST_NAME}
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        files, database = manifest["files"], manifest["database"]
        known = manifest["format"] == FORMAT and database["file"] in files
    except (ValueError, KeyError, TypeError):
        known = False
    if not known:
        raise RecordActionRefused(_("%(manifest)s is damaged or of an unknown format.") % {"manifest": path})
    return manifest


def backup_file_problems(directory, manifest):
    """Translated sentences, one per file of the manifest that is missing
    from the backup or whose content differs from its SHA-256."""
    problems = []
    for name, entry in sorted(manifest["files"].items()):
        path = Path(directory) / safe_relative(name)
        try:
            digest, size = path_digest(path)
        except FileNotFoundError:
            problems.append(_("%(file)s is missing from the backup.") % {"file": name})
            continue
        except OSError as error:
            problems.append(_("%(file)s cannot be read: %(error)s") % {"file": name, "error": error.strerror})
            continue
        if digest != entry.get("sha256") or size != entry.get("size"):
            problems.append(_("%(file)s does not match its SHA-256 in the manifest.") % {"file": name})
    return problems


def field_key_fingerprint():
    """A short one-way fingerprint of the client-data key, to tell at restore
    time whether this instance has the key the backup's data needs; '' when
    no key is set (development)."""
    key = getattr(settings, "ARCHIVE_FIELD_KEY", "") or ""
    if not key:
        return ""
    return hashlib.sha256(f"archive field key fingerprint:{key}".encode()).hexdigest()[:16]


def field_key_warning():
    """Where the client-data key is, and that it must be backed up on its own."""
    key_file = Path(getattr(settings, "VAR_DIR", ".")) / FIELD_KEY_FILE
    if os.environ.get("ARCHIVE_FIELD_KEY"):
        where = _("the ARCHIVE_FIELD_KEY environment variable")
    elif getattr(settings, "ARCHIVE_FIELD_KEY", "") and key_file.is_file():
        where = _("the file %(path)s") % {"path": key_file}
    else:
        return _(
            "No client-data key (ARCHIVE_FIELD_KEY) is set: client data is encrypted with a key derived from "
            "ARCHIVE_SECRET_KEY, which is for development only. Back up ARCHIVE_SECRET_KEY separately."
        )
    return _(
        "The key that encrypts client data (ARCHIVE_FIELD_KEY) is not in the backup. It is in %(where)s: back it up separately "
        "and keep it apart from the backup. Without it the restored client data cannot be read."
    ) % {"where": where}
