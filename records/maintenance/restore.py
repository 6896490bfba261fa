"""`manage.py restore_archive DIR`: put a backup made by backup_archive into
this instance (R-FILE-6, R-CLIENT).

Nothing is touched until the backup has passed every check: each file of
the manifest present with its SHA-256, the same database vendor, no
migration this code does not know, the client-data key the backup's data
was encrypted with, and an instance that holds no records or stored files
(unless `force`). Then the database is replaced (SQLite's backup API into
the configured file, or pg_restore into the configured database), newer
migrations of this code are applied, and the stored files are copied into
the storage (ARCHIVE_MEDIA_ROOT, or the bucket of ARCHIVE_S3_BUCKET). Stop
the site while restoring."""
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

from core.stored_files import count_stored_files, is_object_storage, save_exactly
from core.text import join_items
from records.exceptions import RecordActionRefused
from records.maintenance.database import database_for
from records.maintenance.files import DIRECTORY_MODE, copy_with_digest, make_private_dirs, safe_relative
from records.maintenance.manifest import (
    ATTACHMENTS_DIR,
    backup_file_problems,
    field_key_fingerprint,
    read_manifest,
)
from records.models import Attachment, Record

# Problems listed in a refusal at most; the count says how many more.
LISTED_PROBLEMS = 20


@dataclass
class RestoreResult:
    manifest: dict
    records: int
    attachments: int
    files: int
    seconds: float
    #: Migrations of this code applied after the restore (the backup was older).
    migrated: list = field(default_factory=list)


def restore_archive(*, directory, force=False, using=DEFAULT_DB_ALIAS):
    """Restore the backup in `directory`; refuses (RecordActionRefused,
    nothing changed) when a check fails. `force` restores over an instance
    that holds data, or with a different client-data key."""
    started = time.monotonic()
    directory = Path(directory).expanduser().absolute()
    manifest = check_backup(directory)
    database = database_for(using)
    if manifest["database"]["vendor"] != database.vendor:
        raise RecordActionRefused(
            _("The backup is of a %(backup)s database; this instance uses %(here)s.")
            % {"backup": manifest["database"]["vendor"], "here": database.vendor}
        )
    check_migrations(manifest)
    if not force:
        check_field_key(manifest)
        check_target_is_empty(database)
    connections[using].close()
    database.restore(directory / safe_relative(manifest["database"]["file"]))
    connections[using].close()
    migrated = migrate_forward(using)
    files = restore_files(directory, manifest, replace=force)
    return RestoreResult(
        manifest=manifest,
        records=Record.objects.using(using).count(),
        attachments=Attachment.objects.using(using).count(),
        files=files,
        seconds=time.monotonic() - started,
        migrated=migrated,
    )


def check_backup(directory):
    """The manifest, once every file it lists is present and unchanged."""
    manifest = read_manifest(directory)
    problems = backup_file_problems(directory, manifest)
    if problems:
        shown = problems[:LISTED_PROBLEMS]
        if len(problems) > len(shown):
            shown.append(_("and %(count)d more") % {"count": len(problems) - len(shown)})
        raise RecordActionRefused(
            _("The backup does not match its manifest; nothing was restored. %(problems)s")
            % {"problems": " ".join(shown)}
        )
    return manifest


def check_migrations(manifest):
    """A backup made by a newer version of the archive has migrations this
    code does not know: refused, as its data may not fit this code."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [
        f"{app}.{name}" for app, names in manifest.get("migrations", {}).items() for name in names
        if (app, name) not in known
    ]
    if unknown:
        raise RecordActionRefused(
            _("The backup was made by a newer version of the archive (migrations unknown here: %(names)s). "
              "Install that version first.") % {"names": join_items(unknown[:LISTED_PROBLEMS])}
        )


def check_field_key(manifest):
    """Client data is restored as ciphertext (R-CLIENT): it is readable only
    with the key it was encrypted with."""
    expected = manifest.get("field_key_fingerprint") or ""
    if expected and expected != field_key_fingerprint():
        raise RecordActionRefused(
            _("The backup's client data was encrypted with another key than this instance's ARCHIVE_FIELD_KEY, "
              "so it could not be read. Set ARCHIVE_FIELD_KEY to the key kept for this backup (or pass --force).")
        )


def check_target_is_empty(database):
    """Refuse an instance that holds records, attachments or stored files."""
    records, attachments = _stored_rows(database)
    stored_files = count_stored_files(_storage())
    if records or attachments or stored_files:
        raise RecordActionRefused(
            _("This instance already holds %(records)d records, %(attachments)d attachments and %(files)d stored "
              "files; a restore would replace them. Restore into an empty instance, or pass --force.")
            % {"records": records, "attachments": attachments, "files": stored_files}
        )


def _stored_rows(database):
    if database.vendor == "sqlite" and not database.connection.is_in_memory_db():
        if not Path(database.connection.settings_dict["NAME"]).exists():
            return 0, 0
    try:
        tables = set(database.connection.introspection.table_names())
        if Record._meta.db_table not in tables:
            return 0, 0
        return Record.objects.using(database.alias).count(), Attachment.objects.using(database.alias).count()
    except DatabaseError as error:
        raise RecordActionRefused(
            _("The configured database cannot be read: %(error)s") % {"error": error}
        ) from error


def migrate_forward(using):
    """Apply the migrations this code has and the backup had not."""
    connection = connections[using]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        call_command("migrate", database=using, interactive=False, verbosity=0)
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def _storage():
    return Attachment._meta.get_field("file").storage


def restore_files(directory, manifest, *, replace=False):
    """Copy the backup's attachments/ into the storage: on disk as private
    files (0700/0600), on object storage through the storage, streamed; each
    copy is checked against the manifest again."""
    storage = _storage()
    local = not is_object_storage(storage)
    if local:
        root = Path(storage.location)
        root.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
    prefix = f"{ATTACHMENTS_DIR}/"
    copied = 0
    for key, entry in sorted(manifest["files"].items()):
        if not key.startswith(prefix):
            continue
        relative = safe_relative(key[len(prefix):])
        source = directory / safe_relative(key)
        if local:
            target = make_private_dirs(root, PurePosixPath(*relative.parts[:-1])) / relative.name
            digest, _size = copy_with_digest(source, target, replace=replace)
        else:
            with open(source, "rb") as reader:
                digest, _size = save_exactly(storage, relative.as_posix(), reader, replace=replace)
        if digest != entry["sha256"]:
            raise RecordActionRefused(_("%(file)s changed while it was restored.") % {"file": key})
        copied += 1
    return copied
