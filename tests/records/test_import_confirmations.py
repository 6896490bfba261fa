"""Issue 10, point 6: a forged or stale confirmation of a back-office import
answers with a message and changes nothing (it used to be a 500), and the
uploaded file waits in the archive's own directory, 0700/0600, removed
after confirm, after cancel, when the preview refuses it, and after a day
(manage.py clear_import_files)."""
import datetime
import os
import re
import stat
import time
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from records import import_files
from records.import_files import ImportTmpStorage
from records.imports import CONFIRMATION_FORGED, CONFIRMATION_STALE
from records.models import Record
from tests.admin_support import admin_url, staff_user_with_perms
from tests.spreadsheets import xlsx_bytes

HEADERS = ["archive number", "title", "category code", "year"]
IMPORTED_TITLE = "待确认的导入"


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.IMPORT_TMP_DIR = tmp_path / "import_tmp"
    return settings.IMPORT_TMP_DIR


def stored_files(import_dir):
    return sorted(path.name for path in import_dir.iterdir()) if import_dir.exists() else []


def preview(client, rows=None, name="catalogue.xlsx"):
    """Upload a catalogue file; return the preview page."""
    rows = rows or [HEADERS, ["", IMPORTED_TITLE, "NBZD", 2024]]
    upload = SimpleUploadedFile(name, xlsx_bytes(rows))
    url = admin_url(Record, "import")
    form = client.get(url).context["form"]
    xlsx = next(value for value, label in form.fields["format"].choices if label == "xlsx")
    return client.post(url, {"import_file": upload, "format": xlsx, "resource": "0"})


def confirmation(page, **changes):
    """The confirmation form's data as the browser sends it, with `changes`."""
    form = page.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def confirm(client, data):
    return client.post(admin_url(Record, "process_import"), data)


def messages_of(response):
    return [str(message) for message in response.wsgi_request._messages]


def imported():
    return Record.objects.filter(title=IMPORTED_TITLE).count()


# -- the file's place -------------------------------------------------------------------


def test_the_previewed_file_waits_in_the_archives_directory_for_its_owner_only(client, archivist, import_dir):
    client.force_login(archivist)
    page = preview(client)
    [name] = stored_files(import_dir)
    assert page.context["confirm_form"]["import_file_name"].value() == name
    assert stat.S_IMODE(import_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((import_dir / name).stat().st_mode) == 0o600


def test_a_confirmed_import_removes_its_file(client, archivist, import_dir):
    client.force_login(archivist)
    response = confirm(client, confirmation(preview(client)))
    assert response.status_code == 302
    assert imported() == 1
    assert stored_files(import_dir) == []


def test_cancel_removes_the_file_and_imports_nothing(client, archivist, import_dir):
    client.force_login(archivist)
    page = preview(client)
    html = page.content.decode()
    cancel_form = re.search(r'<form[^>]*class="import-cancel">(.*?)</form>', html, re.S).group(1)
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', cancel_form))
    data.pop("csrfmiddlewaretoken")
    assert data == {key: str(value) for key, value in confirmation(page).items()}
    response = confirm(client, {**data, "cancel": "取消导入"})
    assert response.status_code == 302 and response["Location"] == admin_url(Record, "changelist")
    assert imported() == 0
    assert stored_files(import_dir) == []


def test_a_refused_preview_removes_its_file_at_once(client, archivist, import_dir):
    client.force_login(archivist)
    page = preview(client, [HEADERS, ["", IMPORTED_TITLE, "NO-SUCH-CLASS", 2024]])
    assert page.context.get("confirm_form") is None
    assert stored_files(import_dir) == []


def test_clear_import_files_removes_files_older_than_a_day(import_dir):
    ImportTmpStorage().save(b"old")
    [old] = stored_files(import_dir)
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(import_dir / old, (two_days_ago, two_days_ago))
    fresh = ImportTmpStorage()
    fresh.save(b"fresh")
    out = StringIO()
    call_command("clear_import_files", stdout=out)
    assert stored_files(import_dir) == [fresh.name]
    assert "1" in out.getvalue()


def test_a_file_is_claimed_by_one_confirmation_only(import_dir):
    storage = ImportTmpStorage()
    storage.save(b"data")
    first, second = ImportTmpStorage(name=storage.name), ImportTmpStorage(name=storage.name)
    assert first.claim() is True
    assert second.claim() is False
    assert first.read() == b"data"
    first.remove()
    assert stored_files(import_dir) == []


@pytest.mark.parametrize("name", ["../../etc/passwd", "", "0" * 31, "a" * 32 + ".txt"])
def test_a_name_outside_the_pattern_is_never_opened(name):
    with pytest.raises(FileNotFoundError):
        ImportTmpStorage(name=name).read()


# -- forged and stale confirmations -----------------------------------------------------

FORGERIES = {
    "another file name": {"import_file_name": "0123456789abcdef0123456789abcdef"},
    "a path": {"import_file_name": "../../../etc/passwd"},
    "another original name": {"original_file_name": "别的文件.xlsx"},
    "another format": {"format": "1"},
    "a format that is no number": {"format": "abc"},
    "a resource out of range": {"resource": "7"},
    "no signature": {"signature": ""},
    "a made-up signature": {"signature": "abc:def"},
}


@pytest.mark.parametrize("forgery", FORGERIES)
def test_a_forged_confirmation_imports_nothing_and_says_so(client, archivist, import_dir, forgery):
    client.force_login(archivist)
    page = preview(client)
    files = stored_files(import_dir)
    response = confirm(client, confirmation(page, **FORGERIES[forgery]))
    assert response.status_code == 302 and response["Location"] == admin_url(Record, "import")
    assert messages_of(response) == [str(CONFIRMATION_FORGED)]
    assert imported() == 0
    # The real upload is untouched: its owner can still confirm it.
    assert stored_files(import_dir) == files
    assert confirm(client, confirmation(page)).status_code == 302
    assert imported() == 1


def test_another_users_confirmation_is_forged_for_me(client, archivist, import_dir):
    client.force_login(archivist)
    page = preview(client)
    colleague = staff_user_with_perms("colleague", "records.file_record", "records.add_record", "records.view_record")
    client.force_login(colleague)
    response = confirm(client, confirmation(page))
    assert messages_of(response) == [str(CONFIRMATION_FORGED)]
    assert imported() == 0 and len(stored_files(import_dir)) == 1


def test_confirming_twice_imports_once(client, archivist, import_dir):
    client.force_login(archivist)
    data = confirmation(preview(client))
    assert confirm(client, data).status_code == 302
    response = confirm(client, data)
    assert response["Location"] == admin_url(Record, "import")
    assert messages_of(response)[-1] == str(CONFIRMATION_STALE)
    assert imported() == 1


def test_a_confirmation_whose_file_was_removed_imports_nothing(client, archivist, import_dir):
    client.force_login(archivist)
    data = confirmation(preview(client))
    for path in import_dir.iterdir():
        path.unlink()
    response = confirm(client, data)
    assert messages_of(response) == [str(CONFIRMATION_STALE)]
    assert imported() == 0


def test_a_confirmation_older_than_a_day_has_expired(client, archivist, import_dir, monkeypatch):
    client.force_login(archivist)
    data = confirmation(preview(client))
    monkeypatch.setattr(import_files, "MAX_AGE", datetime.timedelta(seconds=-1))
    response = confirm(client, data)
    assert messages_of(response) == [str(CONFIRMATION_STALE)]
    assert imported() == 0


def test_a_confirmation_after_the_same_rows_were_imported_imports_nothing(client, archivist, import_dir):
    """The data changed between preview and confirmation: the import is
    refused with its reasons, not reported as finished."""
    number = "J001-HTDL·2019-D30-SCB-0007"
    client.force_login(archivist)
    first = confirmation(preview(client, [HEADERS, [number, IMPORTED_TITLE, "HTDL", 2019]]))
    second = confirmation(preview(client, [HEADERS, [number, "同一档号的另一题名", "HTDL", 2019]]))
    assert confirm(client, first).status_code == 302 and imported() == 1
    response = confirm(client, second)
    assert response["Location"] == admin_url(Record, "import")
    assert any(number in message for message in messages_of(response))
    assert list(Record.objects.filter(archive_number=number).values_list("title", flat=True)) == [IMPORTED_TITLE]
    assert stored_files(import_dir) == []
