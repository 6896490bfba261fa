"""The database part of a backup: SQLite's online backup API, or PostgreSQL's
pg_dump and pg_restore. What the rest of the backup must know of the data
(the stored files, the applied migrations, the number of records) is read
from the same snapshot the dump is made from, so files and rows agree."""
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connections, transaction
from django.utils.translation import gettext as _

from records.exceptions import RecordActionRefused
from records.maintenance.files import DIRECTORY_MODE, FILE_MODE, create_private_file
from records.models import Attachment, Record

# Debian installs each PostgreSQL version's programs here (scripts/setup.sh).
DEBIAN_PG_DIRS = "/usr/lib/postgresql"
# PostgreSQL settings of the connection passed to pg_dump and pg_restore.
PG_ENVIRONMENT = (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD"),
                  ("PGDATABASE", "NAME"))


@dataclass
class Snapshot:
    """What a backup's database holds, read from the copy itself."""

    #: (storage name, SHA-256 recorded when stored, or None) of every
    #: stored file: records' attachments, their searchable copies and other
    #: apps' files (register_stored_files).
    attachments: list = field(default_factory=list)
    #: app label -> names of its applied migrations, sorted.
    migrations: dict = field(default_factory=dict)
    records: int = 0


@dataclass(frozen=True)
class StoredFiles:
    """One kind of stored file: the model and field that name it in the
    storage, the field holding the SHA-256 recorded when it was stored
    (None for a kind that has none; a blank value is a file stored before
    its SHA-256 was recorded, such as an early searchable copy),
    and how the archivist knows it when the file check (R-FILE-6) finds it
    missing or changed: its file name, what it belongs to (`owner_fields`,
    joined; related fields with __) and `label`, a translatable phrase
    with %(owner)s that says what kind of thing that is."""

    model: type
    file_field: str
    sha256_field: str | None
    size_field: str = ""
    name_field: str = ""
    owner_fields: tuple = ()
    label: str = ""

    @property
    def kind(self):
        """The key of this kind in a file check's stored problems."""
        return f"{self.model._meta.label_lower}.{self.file_field}"


# Every kind of stored file a backup copies and the file check reads:
# records' attachments and their searchable copies here, other apps' files
# (controlled documents' sources and papers) added in their AppConfig.ready().
_stored_files = [
    StoredFiles(Attachment, "file", "sha256", size_field="size", name_field="original_name"),
    StoredFiles(Attachment, "ocr_copy", "ocr_copy_sha256", name_field="original_name"),
]


def register_stored_files(model, *, file_field, sha256_field, size_field="", name_field="", owner_fields=(),
                          label=""):
    """Back up `model`'s files with their recorded SHA-256 (and restore
    them: a restore copies back every file the backup holds), and check
    them with the records' files (verify_files); see StoredFiles."""
    registered = StoredFiles(model, file_field, sha256_field, size_field, name_field, tuple(owner_fields), label)
    if all((known.model, known.file_field) != (model, file_field) for known in _stored_files):
        _stored_files.append(registered)


def stored_files():
    """Every registered kind of stored file, records' own first."""
    return list(_stored_files)


def read_snapshot(cursor, quote):
    """Read a Snapshot through a DB-API `cursor`; `quote` quotes a name."""
    attachments = []
    for kind in _stored_files:
        meta = kind.model._meta
        # A kind without a recorded SHA-256: NULL, so the backup takes it as it is.
        recorded = quote(meta.get_field(kind.sha256_field).column) if kind.sha256_field else "NULL"
        cursor.execute(
            f"SELECT {quote(meta.get_field(kind.file_field).column)}, {recorded} "
            f"FROM {quote(meta.db_table)} ORDER BY {quote(meta.pk.column)}"
        )
        # Blank: a searchable copy made before its SHA-256 was recorded.
        attachments.extend((name, sha256 or None) for name, sha256 in cursor.fetchall() if name)
    cursor.execute(f"SELECT COUNT(*) FROM {quote(Record._meta.db_table)}")
    records = cursor.fetchone()[0]
    cursor.execute(f"SELECT {quote('app')}, {quote('name')} FROM {quote('django_migrations')}")
    migrations = {}
    for app, name in cursor.fetchall():
        migrations.setdefault(app, []).append(name)
    return Snapshot(attachments, {app: sorted(names) for app, names in sorted(migrations.items())}, records)


def database_for(alias):
    """The SQLite or PostgreSQL handler of the database `alias`."""
    connection = connections[alias]
    handlers = {handler.vendor: handler for handler in (SqliteDatabase, PostgresDatabase)}
    if connection.vendor not in handlers:
        raise RecordActionRefused(
            _("Backups cover SQLite and PostgreSQL; this database is %(vendor)s.") % {"vendor": connection.vendor}
        )
    return handlers[connection.vendor](alias)


class SqliteDatabase:
    """SQLite: the online backup API copies a consistent snapshot while the
    site keeps running (shared/docs/pitfalls.md: 12 MB in 0.23 s)."""

    vendor = "sqlite"
    file_name = "database.sqlite3"

    def __init__(self, alias):
        self.alias = alias
        self.connection = connections[alias]

    def dump(self, target):
        """Copy the database to `target` (a new private file)."""
        create_private_file(target).close()
        source, own_source = self._source()
        try:
            copy = sqlite3.connect(target)
            try:
                source.backup(copy)
                # A self-contained file: no -wal beside it when it is read.
                copy.execute("PRAGMA journal_mode=DELETE")
                if copy.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                    raise RecordActionRefused(_("The copy of the database failed SQLite's integrity check."))
                return read_snapshot(copy.cursor(), self.connection.ops.quote_name)
            finally:
                copy.close()
        finally:
            if own_source:
                source.close()

    def _source(self):
        """A connection of its own to the database file, so the copy sees
        committed data only; an in-memory database has only Django's."""
        if self.connection.is_in_memory_db():
            self.connection.ensure_connection()
            return self.connection.connection, False
        return sqlite3.connect(self.connection.settings_dict["NAME"], timeout=30), True

    def restore(self, source):
        """Replace the configured database file's content with `source`."""
        if self.connection.is_in_memory_db():
            raise RecordActionRefused(_("An in-memory database cannot be restored into."))
        connections[self.alias].close()
        target = Path(self.connection.settings_dict["NAME"])
        target.parent.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
        if not target.exists():
            create_private_file(target).close()
        os.chmod(target, FILE_MODE)
        reader = sqlite3.connect(f"{Path(source).absolute().as_uri()}?mode=ro", uri=True)
        try:
            writer = sqlite3.connect(target, timeout=30)
            try:
                # The backup API cannot change the page size of a WAL database;
                # Django turns WAL on again when it connects.
                writer.execute("PRAGMA journal_mode=DELETE")
                reader.backup(writer)
            finally:
                writer.close()
        finally:
            reader.close()


class PostgresDatabase:
    """PostgreSQL: pg_dump's custom format from a snapshot this process
    exported, so the list of stored files is read in the same snapshot."""

    vendor = "postgresql"
    file_name = "database.dump"

    def __init__(self, alias):
        self.alias = alias
        self.connection = connections[alias]

    def dump(self, target):
        pg_dump = pg_tool("pg_dump")
        # A connection of its own: the snapshot lives as long as its transaction.
        reader = connections.create_connection(self.alias)
        try:
            with reader.cursor() as cursor:
                cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot_id = cursor.fetchone()[0]
                snapshot = read_snapshot(cursor, reader.ops.quote_name)
                with create_private_file(target) as output:
                    run_pg_tool(
                        [pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot_id}"],
                        self.connection.settings_dict,
                        stdout=output,
                    )
                cursor.execute("COMMIT")
        finally:
            reader.close()
        return snapshot

    def restore(self, source):
        """Replace the configured database's tables with the dump's. The
        tables are dropped first so that none of a newer schema is left."""
        self._drop_tables()
        settings_dict = self.connection.settings_dict
        run_pg_tool(
            [pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction",
             "--no-password", f"--dbname={settings_dict['NAME']}", str(source)],
            settings_dict,
        )

    def _drop_tables(self):
        connection = self.connection
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
        with transaction.atomic(using=self.alias), connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"DROP TABLE IF EXISTS {quote(table)} CASCADE")
        connection.close()


def pg_tool(name):
    """The path of PostgreSQL's `name` (pg_dump, pg_restore): in
    $ARCHIVE_PG_BIN when set, else the newest /usr/lib/postgresql/*/bin (a
    newer pg_dump reads older servers), else on the PATH."""
    configured = os.environ.get("ARCHIVE_PG_BIN")
    if configured:
        candidates = [Path(configured) / name]
    else:
        candidates = sorted(Path(DEBIAN_PG_DIRS).glob(f"*/bin/{name}"), key=_major_version, reverse=True)
        on_path = shutil.which(name)
        candidates += [Path(on_path)] if on_path else []
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise RecordActionRefused(
        _("PostgreSQL's %(tool)s was not found. Install the PostgreSQL client programs (Debian: postgresql-client) "
          "or set ARCHIVE_PG_BIN to the directory that holds them.") % {"tool": name}
    )


def _major_version(path):
    try:
        return int(path.parts[-3])
    except (ValueError, IndexError):
        return 0


def pg_environment(settings_dict):
    """The process environment with libpq's PG* variables set from Django's
    connection settings (a Unix socket directory is a valid PGHOST)."""
    environment = dict(os.environ)
    for variable, key in PG_ENVIRONMENT:
        if settings_dict.get(key):
            environment[variable] = str(settings_dict[key])
    sslmode = (settings_dict.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        environment["PGSSLMODE"] = str(sslmode)
    return environment


def run_pg_tool(arguments, settings_dict, stdout=subprocess.DEVNULL):
    """Run a PostgreSQL program; refuse with its own words when it fails."""
    result = subprocess.run(
        arguments, env=pg_environment(settings_dict), stdout=stdout, stderr=subprocess.PIPE, check=False
    )
    if result.returncode != 0:
        details = result.stderr.decode(errors="replace").strip()[-2000:]
        raise RecordActionRefused(
            _("%(tool)s failed (exit status %(status)d): %(details)s")
            % {"tool": Path(arguments[0]).name, "status": result.returncode, "details": details}
        )
