"""The archive's data is the server account's alone (issue 10, point 6):
attachments are stored 0600 in 0700 folders (FILE_UPLOAD_PERMISSIONS,
FILE_UPLOAD_DIRECTORY_PERMISSIONS), and scripts/setup.sh makes var/ 0700
with the SQLite database (and so its -wal and -shm files) and the field key
0600, tightening what an older set-up left readable. Checked under the
usual umask 022, which would otherwise give 0644 and 0755."""
import os
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from records.attachments import add_attachment
from tests.records.test_filetypes import MINIMAL_PDF

SETUP = Path(__file__).resolve().parent.parent / "scripts" / "setup.sh"


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def usual_umask():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def attachment_root(settings, tmp_path):
    root = tmp_path / "attachments"  # made by the storage, as on a new server
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": root, "base_url": None}},
    }
    return root


def test_a_stored_attachment_and_its_folders_are_private(usual_umask, attachment_root, filed_record, archivist):
    record = filed_record()
    upload = SimpleUploadedFile("合同.pdf", MINIMAL_PDF, content_type="application/pdf")
    attachment = add_attachment(record=record, uploaded_file=upload, by=archivist).attachment
    stored = attachment_root / attachment.file.name
    assert stored.read_bytes() == MINIMAL_PDF
    assert mode(stored) == 0o600
    assert mode(stored.parent) == 0o700
    assert mode(attachment_root) == 0o700


def run_setup(var_dir, *steps, env=None):
    """Source scripts/setup.sh in bash and run `steps` under umask 022."""
    script = f'set -euo pipefail\numask 022\nsource "{SETUP}"\nARCHIVE_ROOT="{var_dir.parent}"\n' + "\n".join(steps)
    environment = {key: value for key, value in os.environ.items() if key not in ("ARCHIVE_FIELD_KEY", "DATABASE_URL")}
    environment.update(env or {})
    subprocess.run(["bash", "-c", script], check=True, env=environment, capture_output=True, text=True)


def test_setup_makes_var_the_database_and_the_field_key_private(tmp_path):
    var_dir = tmp_path / "var"
    run_setup(var_dir, f'protect_var_dir "{var_dir}"', "ensure_field_key")
    assert mode(var_dir) == 0o700
    assert mode(var_dir / "archive.sqlite3") == 0o600
    key_file = var_dir / "field_key"
    assert mode(key_file) == 0o600
    assert len(key_file.read_text().strip()) == 44


def test_sqlite_gives_its_wal_and_shm_files_the_database_files_mode(tmp_path, usual_umask):
    var_dir = tmp_path / "var"
    run_setup(var_dir, f'protect_var_dir "{var_dir}"')
    database = var_dir / "archive.sqlite3"
    connection = sqlite3.connect(database)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE t (x)")
        connection.execute("INSERT INTO t VALUES (1)")
        connection.commit()
        assert mode(database) == 0o600
        assert mode(f"{database}-wal") == 0o600
        assert mode(f"{database}-shm") == 0o600
    finally:
        connection.close()


def test_setup_tightens_what_an_older_set_up_left_readable(tmp_path):
    var_dir = tmp_path / "var"
    (var_dir / "attachments" / "12").mkdir(parents=True)
    readable = {
        var_dir: 0o755,
        var_dir / "attachments": 0o755,
        var_dir / "attachments" / "12": 0o755,
        var_dir / "attachments" / "12" / "scan.pdf": 0o644,
        var_dir / "archive.sqlite3": 0o644,
        var_dir / "archive.sqlite3-wal": 0o644,
        var_dir / "field_key": 0o644,
    }
    for path, old_mode in readable.items():
        if not path.exists():
            path.write_bytes(b"")
        path.chmod(old_mode)
    run_setup(var_dir, f'protect_var_dir "{var_dir}"')
    for path in readable:
        assert mode(path) == (0o700 if path.is_dir() else 0o600), path


def test_setup_does_not_make_a_sqlite_file_when_the_database_is_elsewhere(tmp_path):
    var_dir = tmp_path / "var"
    run_setup(var_dir, f'protect_var_dir "{var_dir}"', env={"DATABASE_URL": "postgres://archive@localhost/archive"})
    assert mode(var_dir) == 0o700
    assert not (var_dir / "archive.sqlite3").exists()
