"""`manage.py verify_files` (records.maintenance.fixity, R-FILE-6): every
stored file re-read and compared with the SHA-256 recorded at upload; each
missing or changed file reported by archive number and file name, exit 1;
the result kept, and the archivist's home page warns until a later check
finds every file in order. Besides records' files: their searchable copies
(made by text recognition; no SHA-256 is recorded for them, so a copy is
checked to be there and readable) and the controlled documents' sources and
papers, registered by documents (records.maintenance.database); each named
by what the archivist knows it by. A backup carries the searchable copies,
so a restored archive passes the check."""
import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from records.attachments import add_attachment
from records.maintenance.fixity import latest_check
from records.models import Attachment, FixityCheck, FixityProblem, Medium, OcrState, SecurityLevel
from tests.conftest import speak_english
from tests.documents.support import make_document
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
        "kind": "records.attachment.file", "attachment": report.pk, "record": report.record_id,
        "archive_number": number, "file_name": REPORT, "problem": FixityProblem.CHANGED,
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


# --- Searchable copies and controlled documents' files ----------------------

DOCUMENT_NUMBER = "市场发〔2026〕12号"
DOCUMENT_TITLE = "市场活动管理规定"
SEARCHABLE = b"%PDF-1.7 searchable copy of the poster"


def give_searchable_copy(attachment):
    """What text recognition leaves (records.ocr._keep_result; tests/records/
    test_ocr.py runs the real one): a PDF beside the original."""
    attachment.ocr_copy.save("海报.pdf", ContentFile(SEARCHABLE), save=False)
    attachment.ocr_copy_sha256 = hashlib.sha256(SEARCHABLE).hexdigest()
    attachment.ocr_state = OcrState.DONE
    attachment.save(update_fields=["ocr_copy", "ocr_copy_sha256", "ocr_state"])
    return attachment


@pytest.fixture
def document(private_storage, archivist):
    """A controlled document with its number, its source PDF and one approval paper."""
    return make_document(pages=1, title=DOCUMENT_TITLE, reference=DOCUMENT_NUMBER, marked_by=archivist)


def test_searchable_copies_and_controlled_documents_files_are_checked_too(stored, document):
    give_searchable_copy(stored[POSTER])

    status, output = verify()

    assert status == 0, output
    # 2 records' files, 1 searchable copy, the document's source and its paper
    assert "All 5 files checked: in order." in output


def test_a_missing_searchable_copy_is_reported_as_the_copy_of_its_file(stored, private_storage):
    poster = give_searchable_copy(stored[POSTER])
    (private_storage / poster.ocr_copy.name).unlink()

    status, output = verify()

    assert status == 1
    assert f"{poster.record.archive_number} searchable copy of “{POSTER}”: the file is missing" in output
    assert f"{poster.record.archive_number} “{POSTER}”" not in output  # the original itself is in order
    assert "1 of 3 stored files failed their check." in output
    assert latest_check().problems == [{
        "kind": "records.attachment.ocr_copy", "attachment": poster.pk, "record": poster.record_id,
        "archive_number": poster.record.archive_number, "file_name": POSTER, "problem": FixityProblem.MISSING,
    }]


def test_a_changed_searchable_copy_is_reported(stored, private_storage):
    poster = give_searchable_copy(stored[POSTER])
    (private_storage / poster.ocr_copy.name).write_bytes(b"%PDF-1.7 other bytes")

    status, output = verify()

    assert status == 1
    assert f"{poster.record.archive_number} searchable copy of “{POSTER}”: " in output
    assert latest_check().problems[0]["problem"] == FixityProblem.CHANGED


def test_a_searchable_copy_made_before_its_sha256_was_recorded_is_checked_to_be_there(stored, private_storage):
    """Without a recorded SHA-256 the check can tell a copy is there and
    reads to its end, not that it changed (the original it was made from is
    checked, and a copy can be made again); a backup takes it as it is."""
    poster = give_searchable_copy(stored[POSTER])
    Attachment.objects.filter(pk=poster.pk).update(ocr_copy_sha256="")
    (private_storage / poster.ocr_copy.name).write_bytes(b"%PDF-1.7 other bytes")
    assert verify()[0] == 0

    (private_storage / poster.ocr_copy.name).unlink()
    assert verify()[0] == 1


def test_a_destroyed_records_searchable_copy_is_not_checked(stored, private_storage):
    """A destroyed record's files leave the storage on purpose (R-DISP-3)."""
    poster = give_searchable_copy(stored[POSTER])
    (private_storage / poster.ocr_copy.name).unlink()
    (private_storage / poster.file.name).unlink()
    Attachment.objects.filter(pk=poster.pk).update(destroyed_at=poster.uploaded_at)

    status, output = verify()

    assert status == 0, output
    assert "All 1 files checked: in order." in output


def test_a_controlled_documents_changed_source_and_missing_paper_are_named_by_document(
    stored, document, private_storage
):
    paper = document.papers.get()
    source = private_storage / document.source_file.name
    source.write_bytes(source.read_bytes() + b"%% tampered")
    (private_storage / paper.file.name).unlink()

    status, output = verify()

    assert status == 1
    assert (
        f"controlled document {DOCUMENT_NUMBER} {DOCUMENT_TITLE} “{DOCUMENT_TITLE}.pdf”: "
        "its content no longer matches the SHA-256 recorded at upload"
    ) in output
    assert (
        f"paper of controlled document {DOCUMENT_NUMBER} {DOCUMENT_TITLE} “{paper.original_name}”: the file is missing"
    ) in output
    assert "2 of 4 stored files failed their check." in output
    problems = sorted(latest_check().problems, key=lambda problem: problem["kind"])
    assert problems == [
        {"kind": "documents.controlleddocument.source_file", "object": document.pk,
         "owner": f"{DOCUMENT_NUMBER} {DOCUMENT_TITLE}", "file_name": f"{DOCUMENT_TITLE}.pdf",
         "problem": FixityProblem.CHANGED},
        {"kind": "documents.documentpaper.file", "object": paper.pk, "owner": f"{DOCUMENT_NUMBER} {DOCUMENT_TITLE}",
         "file_name": paper.original_name, "problem": FixityProblem.MISSING},
    ]


def test_a_document_without_a_number_is_named_by_its_title(stored, private_storage, archivist):
    document = make_document(pages=1, title="展会接待规范", text="无文号", marked_by=archivist)
    (private_storage / document.source_file.name).unlink()

    status, output = verify()

    assert status == 1
    assert "controlled document 展会接待规范 “展会接待规范.pdf”: the file is missing" in output


def maintenance_page(client, user):
    speak_english(client)
    client.force_login(user)
    response = client.get(reverse("maintenance"))
    assert response.status_code == 200
    page = response.content.decode()
    if "data-fixity-problems" not in page:
        return None
    start = page.index("data-fixity-problems")
    return page[start:page.index("</ul>", start)]


def test_the_home_panel_and_the_maintenance_page_list_every_kind_of_problem(
    client, stored, document, private_storage, archivist
):
    poster = give_searchable_copy(stored[POSTER])
    (private_storage / poster.ocr_copy.name).unlink()
    (private_storage / document.source_file.name).unlink()
    assert maintenance_page(client, archivist) is None  # never checked
    verify()

    copy_line = f"{poster.record.archive_number} searchable copy of “{POSTER}”: the file is missing"
    document_line = f"controlled document {DOCUMENT_NUMBER} {DOCUMENT_TITLE} “{DOCUMENT_TITLE}.pdf”: the file is missing"
    speak_english(client)
    for listing in (home_warning(client, archivist), maintenance_page(client, archivist)):
        assert listing is not None
        assert copy_line in listing and document_line in listing


def test_a_check_kept_before_other_kinds_were_checked_is_still_described(client, stored, archivist):
    """FixityCheck rows written by the first version hold a record's file
    without "kind"; they are read as they are."""
    report = stored[REPORT]
    FixityCheck.objects.create(files_checked=2, problem_count=1, problems=[{
        "attachment": report.pk, "record": report.record_id, "archive_number": report.record.archive_number,
        "file_name": REPORT, "problem": "missing",
    }])
    line = f"{report.record.archive_number} “{REPORT}”: the file is missing"
    speak_english(client)

    assert line in home_warning(client, archivist)
    assert line in maintenance_page(client, archivist)
