"""Backup, restore and the file check with the files on S3-compatible object
storage (R-FILE-6), against a real S3 server (moto, tests/storage_support.py).

The drill of tests/records/test_backup_restore.py with both instances on
object storage: backup_archive streams each object into the backup and checks
its SHA-256; restore_archive, in another process configured by the
ARCHIVE_S3_* variables, puts every file back into an empty bucket under its
name; verify_files reads them there. Runs on the database of the test run
(SQLite, then PostgreSQL in test.sh)."""
import json

import pytest
from django.core.files.storage import default_storage
from django.utils import translation

from core.stored_files import count_stored_files
from records.exceptions import RecordActionRefused
from records.maintenance.database import database_for
from records.maintenance.fixity import verify_files
from records.maintenance.restore import check_target_is_empty
from records.models import Attachment, FixityProblem
from tests.records.test_backup_restore import (  # noqa: F401 (fixtures)
    MANAGE,
    back_up,
    field_key,
    fill_archive,
    instance_snapshot,
    new_instance,
    restore,
    run,
    snapshot_of,
    storage_root,
)
from tests.storage_support import new_bucket

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def archive(filed_record, archivist, s3_bucket):
    return fill_archive(filed_record, archivist)


def on_bucket(instance, bucket):
    """Configure the instance's processes to store in `bucket`."""
    instance.env.update(bucket.environment())
    return instance


def test_backup_restore_and_file_check_round_trip_through_object_storage(
    archive, s3_bucket, s3_server, new_instance, tmp_path
):
    backup = tmp_path / "backup"
    status, _out, err = back_up(backup)
    assert status == 0, err
    manifest = json.loads((backup / "manifest.json").read_text())
    stored = {f"attachments/{attachment.file.name}": attachment.sha256 for attachment in Attachment.objects.all()}
    assert len(stored) == 2
    assert {name: entry["sha256"] for name, entry in manifest["files"].items() if name in stored} == stored
    for name in stored:
        assert (backup / name).read_bytes() == s3_bucket.read(s3_bucket.key(name.removeprefix("attachments/")))

    target_bucket = new_bucket(s3_server, prefix="restored/here")
    target = on_bucket(new_instance("target"), target_bucket)
    result = restore(target, backup)

    assert result.returncode == 0, result.stderr
    assert target_bucket.keys() == sorted(f"restored/here/{name.removeprefix('attachments/')}" for name in stored)
    assert snapshot_of(target) == instance_snapshot()
    assert not target.media_root.exists() or not any(target.media_root.rglob("*"))

    check = run(target, str(MANAGE), "verify_files")
    assert check.returncode == 0, check.stdout + check.stderr


def test_restore_refuses_a_bucket_that_already_holds_files(archive, s3_server, new_instance, tmp_path):
    backup = tmp_path / "backup"
    assert back_up(backup)[0] == 0
    target_bucket = new_bucket(s3_server)
    target_bucket.server.client().put_object(Bucket=target_bucket.name, Key="archive/1/left-over", Body=b"x")
    target = on_bucket(new_instance("target"), target_bucket)

    result = restore(target, backup)

    assert result.returncode != 0
    # (the command speaks the site's language: 0 records, 0 attachments and 1 stored file)
    assert "0 件档案、0 个附件和 1 个存储文件" in result.stderr, result.stderr
    assert target_bucket.keys() == ["archive/1/left-over"]


def test_the_file_check_and_the_backup_report_missing_and_changed_objects(archive, s3_bucket, tmp_path):
    missing = archive.minutes.attachments.get()
    changed = archive.report.attachments.get()
    client = s3_bucket.server.client()
    client.delete_object(Bucket=s3_bucket.name, Key=s3_bucket.key(missing.file.name))
    client.put_object(Bucket=s3_bucket.name, Key=s3_bucket.key(changed.file.name), Body=b"not the report")

    check = verify_files()

    assert check.files_checked == 2
    assert {(problem["attachment"], problem["problem"]) for problem in check.problems} == {
        (missing.pk, FixityProblem.MISSING.value),
        (changed.pk, FixityProblem.CHANGED.value),
    }
    status, _out, _err = back_up(tmp_path / "backup")
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert status == 1
    assert sorted(manifest["problems"], key=lambda problem: problem["problem"]) == [
        {"file": changed.file.name, "problem": FixityProblem.CHANGED.value},
        {"file": missing.file.name, "problem": FixityProblem.MISSING.value},
    ]


def test_a_backup_of_an_archive_on_disk_restores_onto_object_storage(
    filed_record, archivist, storage_root, s3_server, new_instance, tmp_path
):
    fill_archive(filed_record, archivist)
    backup = tmp_path / "backup"
    assert back_up(backup)[0] == 0
    bucket = new_bucket(s3_server)
    target = on_bucket(new_instance("target"), bucket)

    result = restore(target, backup)

    assert result.returncode == 0, result.stderr
    names = sorted(Attachment.objects.values_list("file", flat=True))
    assert bucket.keys() == [bucket.key(name) for name in names]
    for name in names:
        assert bucket.read(bucket.key(name)) == (storage_root / name).read_bytes()
    assert snapshot_of(target) == instance_snapshot()


def test_restore_counts_a_full_bucket_page_by_page_not_folder_by_folder(s3_bucket):
    """Before a restore, the bucket's files are counted from its listing, a
    page of 1,000 keys per request, never gathered into one list of names
    nor listed a folder at a time (which cost a request per folder)."""
    client = s3_bucket.server.client()
    folders, per_folder = 125, 10
    for folder in range(folders):
        for number in range(per_folder):
            client.put_object(Bucket=s3_bucket.name, Key=s3_bucket.key(f"2024/{folder:03d}/{number}.pdf"), Body=b"x")
    # Beside the archive's prefix, not under it: not the archive's files.
    client.put_object(Bucket=s3_bucket.name, Key=f"{s3_bucket.prefix}-old/1.pdf", Body=b"x")
    client.put_object(Bucket=s3_bucket.name, Key="elsewhere/1.pdf", Body=b"x")
    listings = []
    events = default_storage.connection.meta.client.meta.events
    events.register("before-call.s3.ListObjects", lambda **kwargs: listings.append(kwargs))
    events.register("before-call.s3.ListObjectsV2", lambda **kwargs: listings.append(kwargs))

    assert count_stored_files(default_storage) == folders * per_folder
    assert len(listings) == 2  # 1,250 keys: two pages

    listings.clear()
    with translation.override("en"), pytest.raises(RecordActionRefused, match="and 1250 stored files"):
        check_target_is_empty(database_for("default"))
    assert len(listings) == 2
