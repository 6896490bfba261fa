"""Restore drill (R-FILE-6: electronic copies are backed up and checked;
R-CLIENT: client data stored encrypted and backed up).

An archive with records, stored files and encrypted client data is backed up
by `manage.py backup_archive` in this process, then restored by
`manage.py restore_archive` in another process into a fresh instance of its
own (an empty ARCHIVE_VAR_DIR; on PostgreSQL a new database on the same
server), and the two are compared: every table's row count, every stored
file's SHA-256, the client data read back in clear. The drill runs on the
database of the test run: SQLite in the first run of test.sh and PostgreSQL
in the second, never skipped."""
import hashlib
import io
import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import translation

from clients.models import Client, ClientContact
from records.attachments import add_attachment
from records.demo_files import demo_pdf, demo_png
from records.models import Attachment, FixityCheck, Medium, Record, SecurityLevel

pytestmark = pytest.mark.django_db(transaction=True)

MANAGE = Path(settings.BASE_DIR) / "manage.py"
FIELD_KEY = "ZHJpbGwtZmllbGQta2V5LW9ubHktZm9yLXRlc3RzISE="  # 32 bytes, url-safe base64
OTHER_FIELD_KEY = "b3RoZXIta2V5LW5vdC10aGUtYmFja3VwJ3Mtb25lISE="
PHONE = "13912345678"


def test_the_drill_runs_on_the_database_of_this_test_run():
    """test.sh runs the suite on SQLite, then with DATABASE_URL set to a
    PostgreSQL cluster: the drill follows, so it covers both."""
    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected


def instance_snapshot():
    """What must survive a restore: the row count of every table, each
    stored file's SHA-256 read from the storage, the client data in clear.
    File checks are left out: the restore adds one."""
    counts = {
        model._meta.label: model._base_manager.count() for model in apps.get_models() if model is not FixityCheck
    }
    files = {}
    for attachment in Attachment.objects.order_by("pk"):
        with attachment.file.storage.open(attachment.file.name, "rb") as stored:
            files[attachment.file.name] = hashlib.sha256(stored.read()).hexdigest()
    phones = sorted(ClientContact.objects.values_list("phone", flat=True))
    return {"counts": counts, "files": files, "phones": phones}


SNAPSHOT_SCRIPT = """
import json, django
django.setup()
from tests.records.test_backup_restore import instance_snapshot
print(json.dumps(instance_snapshot()))
"""


@pytest.fixture(autouse=True)
def field_key(settings):
    settings.ARCHIVE_FIELD_KEY = FIELD_KEY


@pytest.fixture
def storage_root(settings, tmp_path):
    root = tmp_path / "source-attachments"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root, "base_url": None},
        },
    }
    return root


@pytest.fixture
def archive(filed_record, archivist, storage_root):
    return fill_archive(filed_record, archivist)


def fill_archive(filed_record, archivist):
    """Three filed records, two with generated files (a PDF with Chinese text,
    a PNG on a confidential record), and a client with an encrypted phone."""
    report = filed_record(title="2024年3月市场部月报", medium=Medium.BOTH)
    minutes = filed_record(title="价格调整专题会议纪要", medium=Medium.ELECTRONIC,
                           security_level=SecurityLevel.CONFIDENTIAL)
    filed_record(title="纸质通知")
    for record, make in ((report, demo_pdf), (minutes, demo_png)):
        name, content = make(record)
        add_attachment(record=record, uploaded_file=SimpleUploadedFile(name, content), by=archivist)
    client = Client.objects.create(name="华东建材有限公司", client_type="agent")
    ClientContact.objects.create(client=client, name="张伟", phone=PHONE)
    return SimpleNamespace(report=report, minutes=minutes)


def postgres_admin(statement):
    """Run a statement on the test server's maintenance database."""
    import psycopg

    params = connection.settings_dict
    with psycopg.connect(dbname="postgres", host=params["HOST"] or None, port=params["PORT"] or None,
                         user=params["USER"] or None, password=params["PASSWORD"] or None,
                         autocommit=True) as admin:
        admin.execute(statement)


@pytest.fixture
def new_instance(tmp_path):
    """Makes fresh, empty instances: an ARCHIVE_VAR_DIR that does not exist
    yet and, on PostgreSQL, a new empty database (dropped afterwards)."""
    databases = []

    def make(name):
        var_dir = tmp_path / name
        env = {**os.environ, "ARCHIVE_VAR_DIR": str(var_dir), "ARCHIVE_MEDIA_ROOT": str(var_dir / "attachments"),
               "ARCHIVE_FIELD_KEY": FIELD_KEY, "ARCHIVE_ENV": "development", "DJANGO_SETTINGS_MODULE":
               "archive_site.settings"}
        env.pop("DATABASE_URL", None)
        if connection.vendor == "postgresql":
            database = f"drill_{os.getpid()}_{len(databases)}_{name}"
            postgres_admin(f'CREATE DATABASE "{database}" TEMPLATE template0')
            databases.append(database)
            env["DATABASE_URL"] = urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{database}"))
            return SimpleNamespace(env=env, var_dir=var_dir, media_root=var_dir / "attachments", database=database)
        return SimpleNamespace(env=env, var_dir=var_dir, media_root=var_dir / "attachments", database=None)

    yield make
    for database in databases:
        postgres_admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def run(instance, *arguments):
    return subprocess.run([sys.executable, *arguments], env=instance.env, cwd=settings.BASE_DIR,
                          capture_output=True, text=True, timeout=300)


def restore(instance, backup, *options):
    return run(instance, str(MANAGE), "restore_archive", str(backup), *options)


def snapshot_of(instance):
    result = run(instance, "-c", SNAPSHOT_SCRIPT)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def back_up(directory):
    """Run backup_archive in this process; (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        with translation.override("en"):
            call_command("backup_archive", str(directory), stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), f"{err.getvalue()}{error}"
    return 0, out.getvalue(), err.getvalue()


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_restore_drill_brings_back_every_row_file_and_client_phone(archive, new_instance, tmp_path):
    backup = tmp_path / "backup"
    status, out, err = back_up(backup)
    assert status == 0, err
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["counts"] == {"records": 3, "attachments": 2}
    applied = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    assert applied == set(MigrationRecorder(connection).applied_migrations())
    stored = {f"attachments/{attachment.file.name}": attachment.sha256 for attachment in Attachment.objects.all()}
    assert {name: entry["sha256"] for name, entry in manifest["files"].items() if name in stored} == stored
    assert set(manifest["files"]) == {manifest["database"]["file"], *stored}
    # Private: the directory 0700 and every file 0600; the key is not in it, a warning says where it is.
    assert mode(backup) == 0o700
    assert all(mode(path) == 0o600 for path in backup.rglob("*") if path.is_file())
    assert all(mode(path) == 0o700 for path in backup.rglob("*") if path.is_dir())
    assert not any(FIELD_KEY.encode() in path.read_bytes() for path in backup.rglob("*") if path.is_file())
    assert "not in the backup" in err and "ARCHIVE_FIELD_KEY" in err

    target = new_instance("target")
    result = restore(target, backup)
    assert result.returncode == 0, result.stderr
    assert snapshot_of(target) == instance_snapshot()
    assert all(mode(path) == 0o600 for path in target.media_root.rglob("*") if path.is_file())
    assert instance_snapshot()["phones"] == [PHONE]


def test_restore_refuses_an_instance_that_holds_records_unless_forced(archive, new_instance, tmp_path):
    backup = tmp_path / "backup"
    assert back_up(backup)[0] == 0, "the backup failed"
    target = new_instance("target")
    assert restore(target, backup).returncode == 0
    before = snapshot_of(target)

    refused = restore(target, backup)
    assert refused.returncode == 1 and "--force" in refused.stderr, refused.stderr
    assert snapshot_of(target) == before

    forced = restore(target, backup, "--force")
    assert forced.returncode == 0, forced.stderr
    assert snapshot_of(target) == instance_snapshot()


def target_is_untouched(instance):
    """No table in the instance's database, no file in its directory."""
    if connection.vendor == "postgresql":
        result = run(instance, "-c", "import django; django.setup(); from django.db import connection; "
                                     "print(len(connection.introspection.table_names()))")
        assert result.returncode == 0, result.stderr
        if result.stdout.strip() != "0":
            return False
    return not instance.var_dir.exists() or not any(instance.var_dir.rglob("*"))


def test_restore_refuses_a_backup_that_does_not_match_its_manifest(archive, new_instance, tmp_path):
    backup = tmp_path / "backup"
    assert back_up(backup)[0] == 0, "the backup failed"
    copy = backup / "attachments" / archive.report.attachments.get().file.name
    content = bytearray(copy.read_bytes())
    content[len(content) // 2] ^= 0x01
    copy.write_bytes(bytes(content))
    target = new_instance("target")

    refused = restore(target, backup)

    assert refused.returncode == 1, refused.stderr
    assert archive.report.attachments.get().file.name in refused.stderr
    assert target_is_untouched(target)


def test_restore_refuses_another_client_data_key(archive, new_instance, tmp_path):
    backup = tmp_path / "backup"
    assert back_up(backup)[0] == 0, "the backup failed"
    target = new_instance("target")
    target.env["ARCHIVE_FIELD_KEY"] = OTHER_FIELD_KEY

    refused = restore(target, backup)

    assert refused.returncode == 1 and "ARCHIVE_FIELD_KEY" in refused.stderr, refused.stderr
    assert target_is_untouched(target)


def test_backup_refuses_a_directory_that_is_not_empty_or_cannot_be_written(archive, tmp_path):
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "old-backup.txt").write_text("keep me")
    status, _out, err = back_up(taken)
    assert status == 1 and "is not empty" in err
    assert [path.name for path in taken.iterdir()] == ["old-backup.txt"]

    a_file = tmp_path / "a-file"
    a_file.write_text("")
    status, _out, err = back_up(a_file / "backup")
    assert status == 1 and "cannot be written" in err


def test_backup_reports_a_missing_stored_file_and_keeps_the_rest(archive, storage_root, tmp_path):
    missing = archive.minutes.attachments.get()
    (storage_root / missing.file.name).unlink()
    backup = tmp_path / "backup"

    status, _out, err = back_up(backup)

    assert status == 1 and "1 stored files were missing" in err
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["problems"] == [{"file": missing.file.name, "problem": "missing"}]
    kept = archive.report.attachments.get().file.name
    assert f"attachments/{kept}" in manifest["files"] and f"attachments/{missing.file.name}" not in manifest["files"]


def freshly_migrated(instance):
    """Give `instance` the database `migrate` leaves: a copy of this test
    run's database while it holds no records (file plan, groups and
    permissions only)."""
    assert not Record.objects.exists()
    if connection.vendor == "postgresql":
        connection.close()  # a template database must have no other session
        postgres_admin(f'DROP DATABASE "{instance.database}"')
        template = connection.settings_dict["NAME"]
        postgres_admin(f'CREATE DATABASE "{instance.database}" TEMPLATE "{template}"')
        return
    instance.var_dir.mkdir()
    source = sqlite3.connect(connection.settings_dict["NAME"])
    copy = sqlite3.connect(instance.var_dir / "archive.sqlite3")
    source.backup(copy)
    source.close()
    copy.close()


def test_restore_into_a_freshly_migrated_instance(new_instance, filed_record, archivist, storage_root, tmp_path):
    target = new_instance("fresh")
    freshly_migrated(target)
    assert snapshot_of(target)["counts"]["records.Record"] == 0
    fill_archive(filed_record, archivist)
    backup = tmp_path / "backup"
    assert back_up(backup)[0] == 0, "the backup failed"

    result = restore(target, backup)

    assert result.returncode == 0, result.stderr
    assert snapshot_of(target) == instance_snapshot()
