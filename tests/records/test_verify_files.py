"""`manage.py verify_files` (records.maintenance.fixity, R-FILE-6): every
stored file re-read and compared with the SHA-256 recorded at upload; each
missing or changed file reported by archive number and file name, exit 1;
the result kept, and the archivist's home page warns until a later check
finds every file in order."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from records.attachments import add_attachment
from records.maintenance.fixity import latest_check
from records.models import FixityCheck, FixityProblem, Medium, SecurityLevel
from tests.records.test_filetypes import make_image

REPORT = "2024年3月市场部月报.txt"
POSTER = "2024年春季促销海报.png"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def stored(filed_record, archivist, private_storage):
    """Two filed records with one stored file each; name -> attachment."""
    files = {
        REPORT: (b"\xe5\xb8\x82\xe5\x9c\xba\xe9\x83\xa8 monthly report\n", SecurityLevel.INTERNAL),
        POSTER: (make_image("PNG"), SecurityLevel.CONFIDENTIAL),
    }
    attachments = {}
    for name, (content, level) in files.items():
        record = filed_record(title=name.rsplit(".", 1)[0], security_level=level, medium=Medium.BOTH)
        upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
        attachments[name] = add_attachment(record=record, uploaded_file=upload, by=archivist).attachment
    return attachments


def path_of(private_storage, attachment):
    return private_storage / attachment.file.name


def verify():
    """Run the command; (exit status, output)."""
    output = io.StringIO()
    try:
        call_command("verify_files", stdout=output)
    except CommandError as error:
        return error.returncode, output.getvalue() + str(error)
    return 0, output.getvalue()


def test_all_files_in_order_exit_0_and_the_check_is_kept(stored):
    status, output = verify()
    assert status == 0
    assert "All 2 files checked: in order." in output
    check = latest_check()
    assert (check.files_checked, check.problem_count, check.problems) == (2, 0, [])


def test_a_changed_byte_is_reported_by_archive_number_and_exits_1(stored, private_storage):
    report = stored[REPORT]
    path = path_of(private_storage, report)
    content = bytearray(path.read_bytes())
    content[0] ^= 0x01
    path.write_bytes(bytes(content))

    status, output = verify()

    assert status == 1
    number = report.record.archive_number
    assert f"{number} “{REPORT}”: its content no longer matches the SHA-256 recorded at upload" in output
    assert "1 of 2 stored files failed their check." in output
    assert stored[POSTER].record.archive_number not in output
    assert latest_check().problems == [{
        "attachment": report.pk, "record": report.record_id, "archive_number": number, "file_name": REPORT,
        "problem": FixityProblem.CHANGED,
    }]


def test_a_missing_file_is_reported_by_archive_number_and_exits_1(stored, private_storage):
    poster = stored[POSTER]
    path_of(private_storage, poster).unlink()

    status, output = verify()

    assert status == 1
    assert f"{poster.record.archive_number} “{POSTER}”: the file is missing" in output
    assert stored[REPORT].record.archive_number not in output
    check = latest_check()
    assert (check.files_checked, check.problem_count) == (2, 1)
    assert check.problems[0]["problem"] == FixityProblem.MISSING


def test_every_run_is_kept(stored, private_storage):
    verify()
    path_of(private_storage, stored[REPORT]).unlink()
    verify()
    assert list(FixityCheck.objects.values_list("problem_count", flat=True)) == [1, 0]  # newest first


def home_warning(client, user):
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    client.logout()
    if 'data-panel="fixity-warning"' not in page:
        return None
    return page[page.index('data-panel="fixity-warning"'):page.index("</section>", page.index('data-panel="fixity-warning"'))]


def test_the_archivists_home_page_warns_until_a_check_finds_every_file_in_order(
    client, stored, private_storage, archivist, staff
):
    poster = stored[POSTER]
    path = path_of(private_storage, poster)
    original = path.read_bytes()
    assert home_warning(client, archivist) is None  # never checked: nothing to warn about
    verify()
    assert home_warning(client, archivist) is None

    path.write_bytes(original + b"tampered")
    verify()
    warning = home_warning(client, archivist)
    assert warning is not None
    assert poster.record.archive_number in warning and POSTER in warning
    assert 'data-problems="1"' in warning
    # Only those who keep the files are warned; staff see nothing of it.
    assert home_warning(client, staff) is None

    path.write_bytes(original)
    assert verify()[0] == 0
    assert home_warning(client, archivist) is None
