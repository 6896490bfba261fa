"""The bytes of destroyed files leave the storage after the destruction
commits, never on a rollback (records.files.removal, R-DISP-3); a removal
that fails is logged, retried by `manage.py remove_destroyed_files` and the
worker's daily task, never left silently."""
import hashlib
import io
import logging

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import translation

from records.files import removal
from records.maintenance.fixity import verify_files
from records.models import Attachment, Hold, RecordStatus
from records.services import record_destroy
from tests.factories import RecordFactory


class Stop(Exception):
    pass


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def attach(record, by, name="报价单.pdf", content=b"%PDF-1.4 quotation"):
    stored = default_storage.save(f"{record.pk}/{name}", ContentFile(content))
    return Attachment.objects.create(
        record=record, file=stored, original_name=name, size=len(content), content_type="application/pdf",
        sha256=hashlib.sha256(content).hexdigest(), uploaded_by=by, extracted_text="报价明细",
    )


def stored(attachment):
    return default_storage.exists(attachment.file.name)


def test_r_disp_3_bytes_leave_after_commit_and_the_tombstone_stays(
    filed_record, archivist, private_storage, django_capture_on_commit_callbacks
):
    record = filed_record()
    first, second = attach(record, archivist, "甲.pdf"), attach(record, archivist, "乙.pdf")
    names = [first.file.name, second.file.name]

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        record_destroy(record=record, reason="保管期满", by=archivist)
    # Destroyed in the database, but the bytes wait for the commit.
    assert all(default_storage.exists(name) for name in names)
    assert len(callbacks) == 1
    callbacks[0]()

    assert not any(default_storage.exists(name) for name in names)
    for attachment in (first, second):
        attachment.refresh_from_db()
        assert attachment.destroyed_at is not None and attachment.bytes_removed_at is not None
        assert attachment.file.name == ""
        content = b"%PDF-1.4 quotation"
        assert (attachment.size, attachment.sha256) == (len(content), hashlib.sha256(content).hexdigest())
    # The removal is the storage's bookkeeping: the history has the destruction.
    assert first.history.count() == 2


def test_many_destructions_in_one_transaction_remove_their_files_in_one_callback(
    filed_record, archivist, private_storage, django_capture_on_commit_callbacks
):
    records = [filed_record() for _ in range(3)]
    attachments = [attach(record, archivist) for record in records]
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for record in records:
            record_destroy(record=record, reason="保管期满", by=archivist)
    assert len(callbacks) == 1
    assert not any(stored(attachment) for attachment in attachments)
    assert Attachment.objects.filter(bytes_removed_at__isnull=True).count() == 0


@pytest.mark.django_db(transaction=True)
def test_r_disp_3_a_rolled_back_destruction_keeps_every_file(private_storage, settings):
    """With real commits and rollbacks (a transactional test): the files of
    a destruction that rolls back stay, those of the next one that commits
    go, with one removal for the whole transaction."""
    from tests.conftest import make_user
    from accounts.roles import Role
    from records.services import record_file

    archivist = make_user(Role.ARCHIVIST, "keeper")
    kept_record = record_file(record=RecordFactory(), by=archivist)
    gone_record = record_file(record=RecordFactory(), by=archivist)
    kept, gone = attach(kept_record, archivist), attach(gone_record, archivist)

    with pytest.raises(Stop), transaction.atomic():
        record_destroy(record=kept_record, reason="保管期满", by=archivist)
        raise Stop
    with transaction.atomic():
        record_destroy(record=gone_record, reason="保管期满", by=archivist)

    kept.refresh_from_db()
    assert stored(kept) and kept.destroyed_at is None and kept.extracted_text == "报价明细"
    kept_record.refresh_from_db()
    assert kept_record.status == RecordStatus.FILED
    gone_name = gone.file.name
    gone.refresh_from_db()
    assert not default_storage.exists(gone_name) and gone.bytes_removed_at is not None


def test_a_failed_removal_is_logged_then_retried_by_the_command(
    filed_record, archivist, private_storage, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    record = filed_record()
    attachment = attach(record, archivist)
    def refuse(self, name):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(FileSystemStorage, "delete", refuse)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        record_destroy(record=record, reason="保管期满", by=archivist)
    attachment.refresh_from_db()
    assert attachment.destroyed_at is not None and attachment.bytes_removed_at is None
    assert stored(attachment)
    assert "could not be removed" in caplog.text

    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 destroyed files are still stored"):
        call_command("remove_destroyed_files", stdout=out, stderr=err)
    assert f"报价单.pdf of {record.archive_number}" in err.getvalue()
    assert "Permission denied" in err.getvalue()

    monkeypatch.undo()
    name = attachment.file.name
    out = io.StringIO()
    call_command("remove_destroyed_files", stdout=out)
    assert "Removed the stored bytes of 1 destroyed files." in out.getvalue()
    assert not default_storage.exists(name)
    attachment.refresh_from_db()
    assert attachment.bytes_removed_at is not None
    # Nothing left: a second run removes nothing and succeeds.
    call_command("remove_destroyed_files", stdout=io.StringIO())


def test_a_held_records_files_are_not_removed(filed_record, archivist, department_head, private_storage):
    """Should a hold ever reach a destroyed record, its files stay."""
    record = filed_record()
    attachment = attach(record, archivist)
    record_destroy(record=record, reason="保管期满", by=archivist)  # removal waits for a commit that never comes
    Hold.objects.create(record=record, reason="诉讼证据", placed_by=department_head)
    assert removal.remove_destroyed_files() == (0, [])
    assert stored(attachment)


def test_live_files_are_never_removed(filed_record, archivist, private_storage):
    attachment = attach(filed_record(), archivist)
    assert removal.remove_destroyed_files([attachment.pk]) == (0, [])
    assert stored(attachment)


def test_the_file_check_passes_over_destroyed_files(
    filed_record, archivist, private_storage, django_capture_on_commit_callbacks
):
    attach(filed_record(), archivist)
    record = filed_record()
    attach(record, archivist)
    with django_capture_on_commit_callbacks(execute=True):
        record_destroy(record=record, reason="保管期满", by=archivist)
    check = verify_files()
    assert (check.files_checked, check.problem_count) == (1, 0)


def test_the_worker_queues_the_daily_removal(run_jobs):
    from django_tasks_db.models import DBTaskResult

    from jobs.schedule import ensure_scheduled

    ensure_scheduled()
    assert "records.tasks.remove_destroyed_files_daily" in set(DBTaskResult.objects.values_list("task_path", flat=True))
