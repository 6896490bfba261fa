"""Issue 17 point 4: with object storage, a back-office import file waits in
the shared bucket (under "import_tmp/"), not on one server's disk, so a
preview on one application server can be confirmed on another. Its claim
is still at most once (a conditional create of a marker object), and the
file goes after confirm, cancel and a day; the ledger wizard keeps its
uploads there too. Against a real S3 server (moto, tests/storage_support.py)."""
import datetime
import io
import time

import pytest
from django.core.management import call_command

from records import import_files
from records.import_files import CLAIM_MARKER_SUFFIX, ImportTmpStorage
from records.imports import CONFIRMATION_STALE
from records.ledgers import run
from records.models import Record
from tests.records.ledgers.ledger_support import legacy_rows, legacy_xlsx
from tests.records.ledgers.support import as_upload
from tests.records.test_import_confirmations import confirm, confirmation, imported, messages_of, preview

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def local_import_dir(settings, tmp_path):
    """The local import directory, which must stay empty."""
    settings.IMPORT_TMP_DIR = tmp_path / "import_tmp"
    return settings.IMPORT_TMP_DIR


def waiting_keys(bucket):
    return [key for key in bucket.keys() if key.startswith(bucket.key("import_tmp/"))]


def local_files(directory):
    return list(directory.iterdir()) if directory.exists() else []


def test_a_previewed_file_waits_in_the_bucket_and_a_confirmation_imports_it_once(
    client, archivist, s3_bucket, local_import_dir
):
    client.force_login(archivist)
    page = preview(client)
    name = page.context["confirm_form"]["import_file_name"].value()
    assert waiting_keys(s3_bucket) == [s3_bucket.key(f"import_tmp/{name}")]
    assert local_files(local_import_dir) == []

    data = confirmation(page)
    assert confirm(client, data).status_code == 302
    assert imported() == 1
    # The file went; its claim marker stays until the daily clearing.
    assert waiting_keys(s3_bucket) == [s3_bucket.key(f"import_tmp/{name}{CLAIM_MARKER_SUFFIX}")]

    response = confirm(client, data)
    assert messages_of(response)[-1] == str(CONFIRMATION_STALE)
    assert imported() == 1


def test_only_one_of_several_claims_on_the_same_file_wins(s3_bucket):
    """Two servers' confirmations of one file: each opens its own storage
    on the name; the object store grants the marker to one of them."""
    first = ImportTmpStorage()
    first.save("档号,题名\n".encode())
    claims = [ImportTmpStorage(name=first.name).claim() for _ in range(3)]
    assert claims == [True, False, False]
    assert ImportTmpStorage(name=first.name).read() == "档号,题名\n".encode()


def test_a_claim_after_a_cancel_fails(s3_bucket):
    storage = ImportTmpStorage()
    storage.save(b"x")
    ImportTmpStorage(name=storage.name).remove()
    assert ImportTmpStorage(name=storage.name).claim() is False


def test_a_cancelled_import_removes_its_file_from_the_bucket(client, archivist, s3_bucket):
    client.force_login(archivist)
    data = confirmation(preview(client))
    data["cancel"] = "1"
    assert confirm(client, data).status_code == 302
    assert waiting_keys(s3_bucket) == [] and imported() == 0


def test_files_older_than_a_day_are_cleared_from_the_bucket(s3_bucket, local_import_dir):
    kept, old, claimed = ImportTmpStorage(), ImportTmpStorage(), ImportTmpStorage()
    for storage in (kept, old, claimed):
        storage.save(b"x")
    assert claimed.claim()
    assert import_files.clear_import_files() == 0
    assert len(waiting_keys(s3_bucket)) == 4

    later = time.time() + datetime.timedelta(days=1, minutes=1).total_seconds()
    assert import_files.clear_import_files(now=later) == 3  # the marker goes too, uncounted
    assert waiting_keys(s3_bucket) == []
    out = io.StringIO()
    call_command("clear_import_files", stdout=out)
    assert "import_tmp/" in out.getvalue() and str(local_import_dir) not in out.getvalue()
    assert local_files(local_import_dir) == []


def test_the_ledger_wizard_keeps_its_upload_in_the_bucket(archivist, s3_bucket, local_import_dir):
    upload = run.ledger_upload_start(
        user=archivist, kind="records", file=as_upload(legacy_xlsx(legacy_rows(3)), "2023.xlsx")
    )
    assert waiting_keys(s3_bucket) == [s3_bucket.key(f"import_tmp/{upload.stored_name}")]
    assert local_files(local_import_dir) == []
    assert run.ledger_upload_workbook(upload).sheets_with_data()

    run.remove_upload_file(upload.stored_name)
    assert waiting_keys(s3_bucket) == []
    assert Record.objects.count() == 0
