"""The upload service (records.attachments.add_attachment), who may add files
(records.policies.may_add_attachment), and the access log helper (records.access_log).

Every upload here is a real file built in the test and stored in a temporary
private storage; "no orphan" means the storage directory holds exactly the
files that attachment rows point at."""
import gc
import hashlib
import io
import logging
import zipfile

import pytest
from django.utils import translation
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.db import transaction

from accounts.models import User
from accounts.roles import Role
from records.files import extraction
from records.access_log import log_access
from records.attachments import (
    AddedAttachment,
    AttachmentRefused,
    add_attachment,
    clean_file_name,
    upload_form,
)
from records.models import AccessAction, AccessLog, Attachment, RecordStatus, SecurityLevel
from records.policies import may_add_attachment
from tests.admin_support import staff_user_with_perms
from tests.factories import RecordFactory
from tests.records.test_filetypes import (
    DOCX_MAIN,
    EXE,
    content_types_xml,
    make_docx,
    make_image,
    make_xlsx,
)
from tests.records.test_extraction import weasyprint_pdf

P, I, C = SecurityLevel.PUBLIC, SecurityLevel.INTERNAL, SecurityLevel.CONFIDENTIAL


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in their English msgids."""
    with translation.override("en"):
        yield


def stored_files(storage_root):
    return sorted(str(path.relative_to(storage_root)) for path in storage_root.rglob("*") if path.is_file())


def assert_no_orphans(storage_root):
    """Every stored file belongs to an attachment row, and the reverse."""
    assert stored_files(storage_root) == sorted(Attachment.objects.values_list("file", flat=True))


def upload(content, name):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def stored(record, content, name, by):
    """The Attachment that add_attachment made."""
    return add_attachment(record=record, uploaded_file=upload(content, name), by=by).attachment


@pytest.fixture(scope="module")
def contract_pdf():
    return weasyprint_pdf(["户外广告制作合同", "合同编号 HT-2024-017"])


# --- a file is checked, stored and catalogued ---------------------------------------------------


def test_pdf_is_stored_privately_with_its_facts_and_text(filed_record, archivist, private_storage, contract_pdf):
    record = filed_record(security_level=I)

    added = add_attachment(
        record=record, uploaded_file=upload(contract_pdf, "C:\\扫描\\户外合同.pdf"), by=archivist
    )

    assert isinstance(added, AddedAttachment)
    attachment = Attachment.objects.get()
    assert added.attachment == attachment
    assert attachment.record == record
    assert attachment.original_name == "户外合同.pdf"  # the browser's path is dropped
    assert attachment.size == len(contract_pdf)
    assert attachment.sha256 == hashlib.sha256(contract_pdf).hexdigest()
    assert attachment.content_type == "application/pdf"
    assert attachment.uploaded_by == archivist
    assert "户外广告制作合同" in attachment.extracted_text
    assert "HT-2024-017" in attachment.extracted_text
    # Stored under a random name in the private storage, never the original name.
    assert attachment.file.name.startswith(f"{record.pk}/")
    assert "户外合同" not in attachment.file.name
    assert (private_storage / attachment.file.name).read_bytes() == contract_pdf
    assert added.duplicates == [] and not added.duplicate_elsewhere and added.warning == ""
    assert attachment.history.get().history_user == archivist


def test_content_type_comes_from_the_content_not_the_browser(filed_record, archivist, private_storage):
    uploaded = SimpleUploadedFile("样张.png", make_image("PNG"), content_type="text/html")
    attachment = add_attachment(record=filed_record(), uploaded_file=uploaded, by=archivist).attachment
    assert attachment.content_type == "image/png"
    assert attachment.extracted_text == ""


def test_docx_text_reaches_the_attachment(filed_record, archivist, private_storage):
    content = make_docx(["代理商协议", "甲方：华东代理商"])
    attachment = stored(filed_record(), content, "协议.docx", archivist)
    assert attachment.extracted_text == "代理商协议\n甲方：华东代理商"
    assert attachment.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_xlsx_text_reaches_the_attachment(filed_record, archivist, private_storage):
    content = make_xlsx({"台帐": [["合同编号", "客户"], ["HT-2024-001", "华东代理商"]]})
    attachment = stored(filed_record(), content, "台帐.xlsx", archivist)
    assert attachment.extracted_text == "台帐\n合同编号\t客户\nHT-2024-001\t华东代理商"


def test_gb18030_text_is_kept_with_its_charset(filed_record, archivist, private_storage):
    content = "会议纪要：下周走访华东代理商".encode("gb18030")
    attachment = stored(filed_record(), content, "纪要.txt", archivist)
    assert attachment.content_type == "text/plain; charset=gb18030"


def test_a_large_upload_spooled_to_disk_is_stored_whole(filed_record, archivist, private_storage):
    content = make_image("PNG") + b"\x00" * (3 * 1024 * 1024)
    uploaded = TemporaryUploadedFile("大图.png", "image/png", len(content), None)
    uploaded.write(content)
    uploaded.seek(0)
    attachment = add_attachment(record=filed_record(), uploaded_file=uploaded, by=archivist).attachment
    assert (private_storage / attachment.file.name).read_bytes() == content
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    uploaded.close()


@pytest.mark.parametrize(
    "raw, cleaned",
    [
        ("C:\\Users\\张\\合同.pdf", "合同.pdf"),
        ("../../etc/passwd.txt", "passwd.txt"),
        (" 报告\x00\x1f.docx ", "报告.docx"),
        ("长" * 300 + ".xlsx", "长" * 250 + ".xlsx"),
    ],
)
def test_file_names_lose_paths_and_control_characters(raw, cleaned):
    assert clean_file_name(raw) == cleaned


# --- refusals: nothing is stored ------------------------------------------------------------------

REFUSALS = [
    # (content, name, words the message must contain)
    (EXE, "合同.pdf", ["“合同.pdf”", "Windows program", "Allowed types: PDF, DOCX"]),
    (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "通知.html", ["“通知.html”", "HTML page"]),
    (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "标志.svg", ["“标志.svg”", "SVG image"]),
    (b"", "空白.txt", ["“空白.txt”", "empty"]),
    (make_xlsx(), "台帐.docx", ["“台帐.docx”", "Excel workbook (XLSX)", "“.docx”", "*.xlsx"]),
    (make_docx(), "协议", ["“协议”", "Word document (DOCX)", "no extension", "*.docx"]),
    (
        make_docx(main_type="application/vnd.ms-word.document.macroEnabled.main+xml"),
        "宏.docx",
        ["“宏.docx”", "macros"],
    ),
]


@pytest.mark.parametrize("content, name, words", REFUSALS, ids=[row[1] for row in REFUSALS])
def test_refused_files_leave_nothing_behind(filed_record, archivist, private_storage, content, name, words):
    record = filed_record()
    with pytest.raises(AttachmentRefused) as refused:
        add_attachment(record=record, uploaded_file=upload(content, name), by=archivist)
    message = str(refused.value)
    for word in words:
        assert word in message
    assert Attachment.objects.count() == 0
    assert stored_files(private_storage) == []


def test_a_file_over_the_limit_is_refused_with_the_limit(settings, filed_record, archivist, private_storage):
    settings.ARCHIVE_MAX_UPLOAD_MB = 1
    content = make_image("PNG").ljust(1024 * 1024 + 1, b"\x00")
    refusal = r"“扫描件.png” was refused: it is larger than the limit of 1 MB"
    with pytest.raises(AttachmentRefused, match=refusal):
        add_attachment(record=filed_record(), uploaded_file=upload(content, "扫描件.png"), by=archivist)
    assert Attachment.objects.count() == 0
    assert stored_files(private_storage) == []
    # Exactly at the limit is fine.
    add_attachment(record=filed_record(), uploaded_file=upload(content[:-1], "扫描件.png"), by=archivist)


def test_the_limit_holds_when_the_declared_size_is_wrong(settings, filed_record, archivist, private_storage):
    settings.ARCHIVE_MAX_UPLOAD_MB = 1
    uploaded = upload(make_image("PNG").ljust(2 * 1024 * 1024, b"\x00"), "扫描件.png")
    uploaded.size = 10  # the streamed count decides
    with pytest.raises(AttachmentRefused, match="limit of 1 MB"):
        add_attachment(record=filed_record(), uploaded_file=uploaded, by=archivist)
    assert stored_files(private_storage) == []


@pytest.mark.parametrize(
    "status", [RecordStatus.VOID, RecordStatus.WRITTEN_OFF, RecordStatus.WEEDED, RecordStatus.DESTROYED]
)
def test_r_disp_records_off_the_books_take_no_new_files(filed_record, archivist, private_storage, status):
    record = filed_record()
    record.status = status
    record.save()
    with pytest.raises(AttachmentRefused, match=f"the record is {status.label}"):
        add_attachment(record=record, uploaded_file=upload(make_image("PNG"), "照片.png"), by=archivist)
    assert stored_files(private_storage) == []


@pytest.mark.parametrize(
    "status",
    [
        RecordStatus.DRAFT,
        RecordStatus.SUBMITTED,
        RecordStatus.RETURNED,
        RecordStatus.FILED,
        RecordStatus.ON_LOAN,
        RecordStatus.MISSING,
    ],
)
def test_live_records_take_new_files(archivist, private_storage, status):
    number = None if status in RecordStatus.before_filing() else f"N-{status}"
    record = RecordFactory(status=status, archive_number=number)
    add_attachment(record=record, uploaded_file=upload(make_image("PNG"), "照片.png"), by=archivist)
    assert record.attachments.count() == 1


# --- extraction never refuses the upload ------------------------------------------------------------


def test_r_file_zip_bomb_docx_is_kept_without_text(filed_record, archivist, private_storage, caplog):
    """A DOCX of ~100 kB whose document.xml unpacks to 69 MB, past
    extraction.MAX_INFLATED_BYTES: the file is kept, its text is not read."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types_xml("word/document.xml", DOCX_MAIN))
        with archive.open("word/document.xml", "w") as member:
            member.write(b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
            for _ in range(115):
                member.write(b"<w:p/>" * 100_000)
            member.write(b"<w:p><w:r><w:t>bomb</w:t></w:r></w:p></w:body></w:document>")
    content = buffer.getvalue()
    assert len(content) < 200_000
    assert zipfile.ZipFile(io.BytesIO(content)).getinfo("word/document.xml").file_size > extraction.MAX_INFLATED_BYTES

    with caplog.at_level(logging.WARNING, logger="records.attachments"):
        attachment = stored(filed_record(), content, "炸弹.docx", archivist)

    assert attachment.extracted_text == ""
    assert (private_storage / attachment.file.name).read_bytes() == content
    assert "炸弹.docx" in caplog.text and "unpack" in caplog.text


def test_an_unreadable_pdf_is_kept_without_text(filed_record, archivist, private_storage, caplog):
    content = b"%PDF-1.7\n% a scanner that wrote half a file"
    with caplog.at_level(logging.WARNING, logger="records.attachments"):
        attachment = stored(filed_record(), content, "半个.pdf", archivist)
    assert attachment.extracted_text == ""
    assert attachment.content_type == "application/pdf"
    assert "半个.pdf" in caplog.text


def test_extracted_text_is_bounded(filed_record, archivist, private_storage):
    content = make_docx([f"第{n:05d}段：市场部会议纪要正文内容。" for n in range(15_000)])
    attachment = stored(filed_record(), content, "长文.docx", archivist)
    assert len(attachment.extracted_text) == extraction.MAX_CHARS


# --- duplicates (same SHA-256) ---------------------------------------------------------------------------


def test_a_duplicate_on_a_visible_record_is_named(filed_record, staff, archivist, private_storage):
    content = make_docx(["同一份协议"])
    earlier = filed_record(title="去年的代理商协议", security_level=I)
    add_attachment(record=earlier, uploaded_file=upload(content, "协议.docx"), by=archivist)
    draft = RecordFactory(status=RecordStatus.DRAFT, submitted_by=staff)

    added = add_attachment(record=draft, uploaded_file=upload(content, "协议副本.docx"), by=staff)

    assert added.duplicates == [earlier]
    assert not added.duplicate_elsewhere
    assert "“协议副本.docx” is identical to a file of" in added.warning
    assert "去年的代理商协议" in added.warning
    assert Attachment.objects.count() == 2  # flagged, not refused


def test_r_lend_4_a_duplicate_on_a_hidden_record_is_only_flagged(filed_record, staff, archivist, private_storage):
    content = make_image("PNG")
    secret = filed_record(title="董事会机密纪要", security_level=C)
    add_attachment(record=secret, uploaded_file=upload(content, "机密.png"), by=archivist)
    draft = RecordFactory(status=RecordStatus.DRAFT, submitted_by=staff)

    added = add_attachment(record=draft, uploaded_file=upload(content, "照片.png"), by=staff)

    assert added.duplicates == []
    assert added.duplicate_elsewhere
    assert added.warning == "“照片.png”: an identical file is already in the archive."
    assert "董事会" not in added.warning and secret.archive_number not in added.warning


def test_the_archivist_sees_the_confidential_duplicate_named(filed_record, archivist, private_storage):
    content = make_image("PNG")
    secret = filed_record(title="董事会机密纪要", security_level=C)
    add_attachment(record=secret, uploaded_file=upload(content, "机密.png"), by=archivist)
    added = add_attachment(record=filed_record(), uploaded_file=upload(content, "又一份.png"), by=archivist)
    assert added.duplicates == [secret]
    assert not added.duplicate_elsewhere


def test_the_same_file_twice_on_one_record_is_flagged(filed_record, archivist, private_storage):
    record = filed_record()
    content = make_image("GIF")
    add_attachment(record=record, uploaded_file=upload(content, "a.gif"), by=archivist)
    added = add_attachment(record=record, uploaded_file=upload(content, "b.gif"), by=archivist)
    assert added.duplicate_here and added.duplicates == [] and not added.duplicate_elsewhere
    assert "“b.gif” is identical to a file this record already has." == added.warning


# --- no orphan files when the transaction does not commit ----------------------------------------------


def test_a_failure_after_storing_removes_the_file(filed_record, private_storage):
    ghost = User(username="ghost")  # never saved: the row cannot be written
    with pytest.raises(ValueError):
        add_attachment(record=filed_record(), uploaded_file=upload(make_image("PNG"), "a.png"), by=ghost)
    assert Attachment.objects.count() == 0
    assert stored_files(private_storage) == []


def test_a_rolled_back_savepoint_removes_the_file(filed_record, archivist, private_storage):
    """The caller's own transaction (here a savepoint inside the test's)
    fails after the upload succeeded: the file goes with the row."""
    record = filed_record()
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            add_attachment(record=record, uploaded_file=upload(make_image("PNG"), "a.png"), by=archivist)
            assert len(stored_files(private_storage)) == 1
            raise RuntimeError("the caller fails later")
    assert Attachment.objects.count() == 0
    assert stored_files(private_storage) == []


def test_a_second_refused_file_rolls_back_the_first(filed_record, archivist, private_storage):
    """As the filing desk does: several files in one transaction, all or none."""
    record = filed_record()
    with pytest.raises(AttachmentRefused):
        with transaction.atomic():
            add_attachment(record=record, uploaded_file=upload(make_image("PNG"), "good.png"), by=archivist)
            add_attachment(record=record, uploaded_file=upload(EXE, "bad.pdf"), by=archivist)
    assert stored_files(private_storage) == []


def test_files_committed_before_a_failed_savepoint_stay(filed_record, archivist, private_storage):
    record = filed_record()
    kept = add_attachment(record=record, uploaded_file=upload(make_image("PNG"), "kept.png"), by=archivist)
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            add_attachment(record=record, uploaded_file=upload(make_image("GIF"), "gone.gif"), by=archivist)
            raise RuntimeError
    assert stored_files(private_storage) == [kept.attachment.file.name]
    assert_no_orphans(private_storage)


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_removes_the_file(private_storage, archivist, filed_record):
    record = filed_record()
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            add_attachment(record=record, uploaded_file=upload(make_image("PNG"), "a.png"), by=archivist)
            raise RuntimeError
    assert stored_files(private_storage) == []


@pytest.mark.django_db(transaction=True)
def test_a_committed_upload_keeps_its_file(private_storage, archivist, filed_record):
    record = filed_record()
    with transaction.atomic():
        added = add_attachment(record=record, uploaded_file=upload(make_image("PNG"), "a.png"), by=archivist)
    assert stored_files(private_storage) == [added.attachment.file.name]
    assert_no_orphans(private_storage)


@pytest.mark.django_db(transaction=True)
def test_a_commit_whose_earlier_hook_fails_keeps_the_file(private_storage, archivist, filed_record):
    """Django drops the later on-commit callbacks when an earlier one raises,
    although the transaction did commit: the file must stay."""
    record = filed_record()

    def mail_that_fails():
        raise ConnectionError("SMTP is down")

    with pytest.raises(ConnectionError) as failed:
        with transaction.atomic():
            transaction.on_commit(mail_that_fails)
            added = add_attachment(record=record, uploaded_file=upload(make_image("PNG"), "a.png"), by=archivist)
    # The traceback holds the dropped callbacks; let them go, as the request would.
    del failed
    gc.collect()
    assert Attachment.objects.filter(pk=added.attachment.pk).exists()
    assert stored_files(private_storage) == [added.attachment.file.name]


# --- who may add files ---------------------------------------------------------------------------------------

MAY_ADD = [
    # (role, whose, status, level, allowed)
    (Role.STAFF, "own", RecordStatus.DRAFT, I, True),
    (Role.STAFF, "own", RecordStatus.RETURNED, C, True),
    (Role.STAFF, "own", RecordStatus.SUBMITTED, I, False),  # now with the archivist
    (Role.STAFF, "other", RecordStatus.DRAFT, I, False),
    (Role.STAFF, "other", RecordStatus.FILED, P, False),
    (Role.ARCHIVIST, "other", RecordStatus.SUBMITTED, I, True),
    (Role.ARCHIVIST, "other", RecordStatus.FILED, C, True),
    (Role.ARCHIVIST, "other", RecordStatus.ON_LOAN, I, True),
    (Role.ARCHIVIST, "other", RecordStatus.MISSING, I, True),
    (Role.ARCHIVIST, "other", RecordStatus.DESTROYED, I, False),
    (Role.ARCHIVIST, "other", RecordStatus.VOID, I, False),
    (Role.DEPARTMENT_HEAD, "other", RecordStatus.FILED, I, False),
    (Role.LEADERSHIP, "other", RecordStatus.FILED, C, False),
    (Role.OUTSIDE_STAFF, "other", RecordStatus.FILED, P, False),
    (Role.SYSADMIN, "other", RecordStatus.FILED, P, False),
]


@pytest.mark.parametrize("role, whose, status, level, allowed", MAY_ADD)
def test_may_add_attachment(role_users, staff, role, whose, status, level, allowed):
    user = role_users[role]
    submitter = user if whose == "own" else staff if user != staff else role_users[Role.ARCHIVIST]
    number = None if status in RecordStatus.before_filing() else f"T-{status}"
    record = RecordFactory(status=status, security_level=level, submitted_by=submitter, archive_number=number)
    assert may_add_attachment(user, record) is allowed
    assert (upload_form(user, record) is not None) is allowed


def test_filing_without_seeing_confidential_does_not_open_confidential_records(db):
    clerk = staff_user_with_perms("clerk", "records.file_record")
    record = RecordFactory(status=RecordStatus.SUBMITTED, security_level=C)
    assert not may_add_attachment(clerk, record)
    assert may_add_attachment(clerk, RecordFactory(status=RecordStatus.SUBMITTED, security_level=P))


def test_anonymous_and_inactive_users_may_not_add(archivist):
    from django.contrib.auth.models import AnonymousUser

    record = RecordFactory(status=RecordStatus.SUBMITTED)
    assert not may_add_attachment(AnonymousUser(), record)
    archivist.is_active = False
    assert not may_add_attachment(archivist, record)


def test_upload_form_describes_the_limit_and_the_types(settings, archivist):
    settings.ARCHIVE_MAX_UPLOAD_MB = 20
    record = RecordFactory(status=RecordStatus.SUBMITTED)
    form = upload_form(archivist, record)
    assert form.action == f"/records/{record.pk}/attachments/add/"
    assert form.max_mb == 20
    assert ".pdf" in form.accept.split(",") and ".svg" not in form.accept
    assert "DOCX" in form.allowed_types


# --- access log (R-ACCESS) -----------------------------------------------------------------------------------


def test_r_access_log_access_writes_a_row_for_confidential_records(filed_record, leadership):
    record = filed_record(security_level=C)
    entry = log_access(user=leadership, record=record, action=AccessAction.VIEW)
    assert entry == AccessLog.objects.get()
    assert (entry.user, entry.record, entry.action, entry.attachment) == (leadership, record, "view", None)
    assert entry.at is not None


@pytest.mark.parametrize("level", [P, I])
def test_r_access_log_access_skips_other_records(filed_record, staff, level):
    assert log_access(user=staff, record=filed_record(security_level=level), action=AccessAction.VIEW) is None
    assert AccessLog.objects.count() == 0


def test_log_access_refuses_an_unknown_action(filed_record, leadership):
    with pytest.raises(ValueError):
        log_access(user=leadership, record=filed_record(security_level=C), action="print")
