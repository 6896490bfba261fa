"""Content sniffing of uploads (records.files.identify): the type comes from the
bytes and the container structure, and the name's extension must agree.

The builders at the top make real files of each kind in the test; the
attachment and view tests use them too."""
import io
import struct
import zipfile

import openpyxl
import pytest
from django.utils import translation
from PIL import Image
from pypdf import PdfWriter

from records.files import ContentNotAllowed, NameMismatch, allowed_extensions, allowed_types_label, identify
from records.files import types as filetypes
from records.files.containers import MAX_CONTENT_TYPES_BYTES, OLE2_SIGNATURE
from records.files.detection import CHUNK_BYTES

@pytest.fixture(autouse=True)
def english():
    """Messages are checked in their English msgids."""
    with translation.override("en"):
        yield


# --- builders of real files ---------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
OOXML = "application/vnd.openxmlformats-officedocument."
DOCX_MAIN = OOXML + "wordprocessingml.document.main+xml"
PPTX_MAIN = OOXML + "presentationml.presentation.main+xml"


def content_types_xml(main_part, main_type):
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{main_part}" ContentType="{main_type}"/>'
        "</Types>"
    )


def document_xml(paragraphs):
    """word/document.xml; a paragraph is a string, or a list of runs where
    "\\t" is a tab element."""
    body = []
    for paragraph in paragraphs:
        runs = [paragraph] if isinstance(paragraph, str) else paragraph
        xml_runs = "".join("<w:r><w:tab/></w:r>" if run == "\t" else f"<w:r><w:t>{run}</w:t></w:r>" for run in runs)
        body.append(f"<w:p>{xml_runs}</w:p>")
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}">'
        f"<w:body>{''.join(body)}</w:body></w:document>"
    )


def make_docx(
    paragraphs=("代理商协议", "甲方：华东代理商"), *, document=None, main_type=DOCX_MAIN, extra=None
):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types_xml("word/document.xml", main_type))
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        archive.writestr("word/document.xml", document if document is not None else document_xml(paragraphs))
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def make_pptx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types_xml("ppt/presentation.xml", PPTX_MAIN))
        archive.writestr("ppt/presentation.xml", '<p:presentation xmlns:p="urn:x"/>')
    return buffer.getvalue()


def make_xlsx(sheets=None):
    """A real workbook written by openpyxl: {sheet title: rows}."""
    sheets = sheets or {"台帐": [["合同编号", "客户", "金额"], ["HT-2024-001", "华东代理商", 12000]]}
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def make_zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def make_image(kind):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(buffer, format=kind)
    return buffer.getvalue()


def make_blank_pdf():
    """A valid one-page PDF without text, written by pypdf."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=100)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


MINIMAL_PDF = make_blank_pdf()

# Windows programs start with the DOS header and carry NUL bytes.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 64


def iso_media(major, *compatible):
    brands = major + b"\x00\x00\x02\x00" + b"".join(compatible)
    return struct.pack(">I", 8 + len(brands)) + b"ftyp" + brands + b"\x00\x00\x00\x08free"


MP4 = iso_media(b"isom", b"isom", b"iso2", b"avc1", b"mp41")
MOV = iso_media(b"qt  ", b"qt  ")
MP3_ID3 = b"ID3\x03\x00\x00\x00\x00\x00\x0a" + b"\x00" * 10 + b"\xff\xfb\x90\x64" + b"\x00" * 100
MP3_FRAME = b"\xff\xfb\x90\x64" + b"\x00" * 413


def make_ole2(*names, sector_size=512):
    """A compound file (MS-CFB) whose directory holds `names` as streams.
    The directory spans two sectors so that the FAT chain is followed."""
    end_of_chain, free, fat_sector = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    per_sector = sector_size // 128

    def entry(name, kind):
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        return (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", free, free, free)
            + b"\x00" * 16  # CLSID
            + b"\x00" * 4  # state bits
            + b"\x00" * 16  # times
            + struct.pack("<IQ", end_of_chain, 0)
        )

    empty = b"\x00" * 64 + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", free, free, free) + b"\x00" * 48
    # Root entry and fillers in the first directory sector, `names` in the second.
    entries = [entry("Root Entry", 5)] + [entry(f"Filler{i}", 2) for i in range(per_sector - 1)]
    entries += [entry(name, 2) for name in names]
    entries += [empty] * (-len(entries) % per_sector)
    directory = b"".join(entries)
    directory_sectors = len(directory) // sector_size
    # Sector 0 holds the FAT; the directory sectors follow, chained 1 -> 2 -> end.
    fat = [fat_sector] + [i + 2 for i in range(directory_sectors - 1)] + [end_of_chain]
    fat += [free] * (sector_size // 4 - len(fat))
    header = bytearray(512)
    header[0:8] = OLE2_SIGNATURE
    version, shift = (3, 9) if sector_size == 512 else (4, 12)
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, version, 0xFFFE, shift, 6)
    struct.pack_into("<IIII", header, 0x2C, 1, 1, 0, 4096)  # FAT sectors, first directory sector
    struct.pack_into("<IIII", header, 0x3C, end_of_chain, 0, end_of_chain, 0)  # mini FAT, DIFAT
    difat = [0] + [free] * 108
    struct.pack_into("<109I", header, 0x4C, *difat)
    header = bytes(header).ljust(sector_size, b"\x00")
    return header + struct.pack(f"<{sector_size // 4}I", *fat) + directory


DOC = make_ole2("WordDocument", "1Table", "\x05SummaryInformation")
XLS = make_ole2("Workbook")
PPT = make_ole2("PowerPoint Document", "Current User")


def sniff(data, name):
    return identify(io.BytesIO(data), name)


# --- allowed types ------------------------------------------------------------------------

ALLOWED = [
    # (content, name, type, stored content type)
    (MINIMAL_PDF, "合同.pdf", filetypes.PDF, "application/pdf"),
    (make_docx(), "协议.docx", filetypes.DOCX, filetypes.DOCX.mime),
    (make_xlsx(), "台帐.xlsx", filetypes.XLSX, filetypes.XLSX.mime),
    (make_pptx(), "培训课件.pptx", filetypes.PPTX, filetypes.PPTX.mime),
    (DOC, "旧合同.doc", filetypes.DOC, "application/msword"),
    (XLS, "旧台帐.XLS", filetypes.XLS, "application/vnd.ms-excel"),
    (PPT, "旧课件.ppt", filetypes.PPT, "application/vnd.ms-powerpoint"),
    (make_ole2("WordDocument", sector_size=4096), "v4.doc", filetypes.DOC, "application/msword"),
    (make_image("JPEG"), "展会照片.jpg", filetypes.JPEG, "image/jpeg"),
    (make_image("JPEG"), "展会照片.JPEG", filetypes.JPEG, "image/jpeg"),
    (make_image("PNG"), "样张.png", filetypes.PNG, "image/png"),
    (make_image("TIFF"), "扫描件.tif", filetypes.TIFF, "image/tiff"),
    (make_image("GIF"), "标志.gif", filetypes.GIF, "image/gif"),
    (MP4, "宣传片.mp4", filetypes.MP4, "video/mp4"),
    (MOV, "宣传片.mov", filetypes.MOV, "video/quicktime"),
    (MP3_ID3, "录音.mp3", filetypes.MP3, "audio/mpeg"),
    (MP3_FRAME, "录音2.mp3", filetypes.MP3, "audio/mpeg"),
    ("会议纪要\n第二行\tend\n".encode(), "纪要.txt", filetypes.TEXT, "text/plain; charset=utf-8"),
    ("会议纪要，简体中文".encode("gb18030"), "纪要.txt", filetypes.TEXT, "text/plain; charset=gb18030"),
    ("\ufeff客户,电话\n华东代理商,021-1234\n".encode(), "客户.csv", filetypes.CSV, "text/csv; charset=utf-8"),
    (b"a,b\r\n1,2\r\n", "DATA.CSV", filetypes.CSV, "text/csv; charset=utf-8"),
    (b"Price < 5 and x > 3; see <b>note</b>", "note.txt", filetypes.TEXT, "text/plain; charset=utf-8"),
]


@pytest.mark.parametrize("content, name, expected, content_type", ALLOWED, ids=[row[1] for row in ALLOWED])
def test_allowed_types_are_recognised_from_their_content(content, name, expected, content_type):
    identified = sniff(content, name)
    assert identified.file_type is expected
    assert identified.content_type == content_type


def test_every_allowed_type_has_a_test_row():
    assert {row[2] for row in ALLOWED} == set(filetypes.ALLOWED_TYPES)


def test_a_large_text_file_is_checked_to_its_end():
    # A NUL byte far past the first chunk still makes it binary.
    content = "正文".encode() * 100_000 + b"\x00"
    with pytest.raises(ContentNotAllowed):
        sniff(content, "long.txt")
    assert sniff(content[:-1], "long.txt").file_type is filetypes.TEXT


def test_a_multibyte_character_split_between_chunks_is_still_text():
    content = b"a" * (CHUNK_BYTES - 1) + "档案".encode() * 10
    assert sniff(content, "split.txt").content_type == "text/plain; charset=utf-8"


# --- refused content -----------------------------------------------------------------------

REFUSED = [
    # (content, name, words of the description)
    (EXE, "合同.pdf", "Windows program"),
    (b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64, "run.txt", "Linux program"),
    (b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "page.html", "HTML"),
    (b"  \n<html><body>hi</body></html>", "page.txt", "HTML"),
    ("\ufeff<!doctype HTML>\n<title>x</title>".encode(), "page.txt", "HTML"),
    (b"Notes\n<script>steal()</script>\n", "notes.txt", "HTML"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "logo.svg", "SVG"),
    (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', "logo.png", "SVG"),
    (b'<?xml version="1.0"?><root/>', "data.txt", "XML"),
    (b"text with a \x00 NUL byte", "a.txt", "binary"),
    (b"text with a bell \x07", "a.txt", "binary"),
    (bytes(range(256)) * 4, "random.pdf", "binary"),
    (b"\x80\x81 not utf-8 \xff\xfe", "bad.txt", "binary"),
    (make_zip({"a.txt": "x"}), "a.docx", "ZIP archive"),
    (make_docx(main_type="application/vnd.ms-word.document.macroEnabled.main+xml"), "m.docx", "macros"),
    (make_docx(extra={"word/vbaProject.bin": b"\x00" * 10}), "m2.docx", "macros"),
    (make_docx(main_type=OOXML + "wordprocessingml.template.main+xml"), "t.docx", "Word template"),
    (make_zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"}), "a.odt", "OpenDocument"),
    (b"PK\x03\x04 this is not really a zip", "broken.docx", "damaged ZIP"),
    (make_ole2("__substg1.0_0037001F", "__properties_version1.0"), "mail.doc", "not a Word, Excel"),
    (make_ole2("EncryptedPackage", "EncryptionInfo"), "secret.docx", "password-protected"),
    (make_ole2("WordDocument", "Macros"), "macro.doc", "macros"),
    (OLE2_SIGNATURE + b"\x00" * 100, "short.doc", "damaged"),
    (iso_media(b"heic", b"mif1", b"heic"), "photo.mp4", "HEIF"),
    (iso_media(b"M4A ", b"M4A ", b"mp42", b"isom"), "song.mp4", "M4A"),
    (iso_media(b"zzzz", b"zzzz"), "odd.mp4", "ISO media"),
    (b"{\\rtf1\\ansi hello}", "letter.txt", "RTF"),
    (b"Rar!\x1a\x07\x00" + b"\x00" * 20, "a.pdf", "RAR"),
    (b"\x1f\x8b\x08\x00" + b"\x00" * 20, "a.csv", "gzip"),
]


@pytest.mark.parametrize("content, name, described", REFUSED, ids=[f"{row[1]}-{row[2]}" for row in REFUSED])
def test_content_of_other_kinds_is_refused_and_described(content, name, described):
    with pytest.raises(ContentNotAllowed) as refused:
        sniff(content, name)
    assert described in str(refused.value.description)


# --- the name must agree with the content ----------------------------------------------------

MISMATCHED = [
    # (content, name, detected type, extension)
    (make_xlsx(), "合同.docx", filetypes.XLSX, ".docx"),
    (make_docx(), "合同.xlsx", filetypes.DOCX, ".xlsx"),
    (MINIMAL_PDF, "合同.txt", filetypes.PDF, ".txt"),
    (make_image("PNG"), "scan.jpg", filetypes.PNG, ".jpg"),
    (b"just some words", "words.pdf", filetypes.TEXT, ".pdf"),
    (b"just some words", "words.html", filetypes.TEXT, ".html"),
    (MINIMAL_PDF, "no-extension", filetypes.PDF, ""),
    (DOC, "old.xls", filetypes.DOC, ".xls"),
    (MOV, "clip.mp4", filetypes.MOV, ".mp4"),
]


@pytest.mark.parametrize("content, name, detected, extension", MISMATCHED, ids=[row[1] for row in MISMATCHED])
def test_the_extension_must_agree_with_the_content(content, name, detected, extension):
    with pytest.raises(NameMismatch) as mismatch:
        sniff(content, name)
    assert mismatch.value.file_type is detected
    assert mismatch.value.extension == extension


def test_a_huge_content_types_part_is_not_read():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        padding = " " * (MAX_CONTENT_TYPES_BYTES + 1)
        bloated = content_types_xml("word/document.xml", DOCX_MAIN).replace("</Types>", padding + "</Types>")
        archive.writestr("[Content_Types].xml", bloated)
        archive.writestr("word/document.xml", document_xml(["x"]))
    with pytest.raises(ContentNotAllowed, match="damaged Office"):
        sniff(buffer.getvalue(), "bloated.docx")


def test_a_directory_chain_that_loops_is_refused_not_followed_forever():
    looping = bytearray(DOC)
    # Point the second directory sector's FAT entry back at the first.
    struct.pack_into("<I", looping, 512 + 2 * 4, 1)
    with pytest.raises(ContentNotAllowed, match="damaged"):
        sniff(bytes(looping), "loop.doc")


def test_allowed_types_label_lists_the_extensions():
    label = allowed_types_label()
    for extension in "PDF DOCX XLSX PPTX DOC XLS PPT JPG PNG TIF GIF MP4 MOV MP3 TXT CSV".split():
        assert extension in label
    assert ".svg" not in allowed_extensions()
    assert ".html" not in allowed_extensions()
