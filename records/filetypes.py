"""What an uploaded file is, read from its bytes: magic numbers and container
structure, never the browser's Content-Type header nor the name alone.

Only the types in `ALLOWED_TYPES` may become electronic copies of records
(R-FILE-6). Everything else is refused, in particular programs, archives,
macro-enabled Office files, and HTML, SVG and XML files, which a browser
would run script from. The file-name extension must agree with what the
content is (`identify`), so an .exe renamed .pdf and an XLSX renamed .docx
are both caught.
"""
import codecs
import re
import struct
import zipfile
from dataclasses import dataclass
from os.path import splitext
from xml.etree import ElementTree

from django.utils.translation import gettext_lazy as _

from core.text import join_items

HEAD_BYTES = 4096
CHUNK_BYTES = 64 * 1024
# [Content_Types].xml of a real Office file is a few kB.
MAX_CONTENT_TYPES_BYTES = 1024 * 1024


@dataclass(frozen=True)
class FileType:
    code: str
    label: str
    mime: str
    extensions: tuple

    @property
    def extensions_label(self):
        return " / ".join(extension.lstrip(".").upper() for extension in self.extensions)


PDF = FileType("pdf", _("PDF document"), "application/pdf", (".pdf",))
DOCX = FileType(
    "docx",
    _("Word document (DOCX)"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = FileType(
    "xlsx",
    _("Excel workbook (XLSX)"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
)
PPTX = FileType(
    "pptx",
    _("PowerPoint presentation (PPTX)"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    (".pptx",),
)
DOC = FileType("doc", _("Word 97-2003 document (DOC)"), "application/msword", (".doc",))
XLS = FileType("xls", _("Excel 97-2003 workbook (XLS)"), "application/vnd.ms-excel", (".xls",))
PPT = FileType("ppt", _("PowerPoint 97-2003 presentation (PPT)"), "application/vnd.ms-powerpoint", (".ppt",))
JPEG = FileType("jpeg", _("JPEG image"), "image/jpeg", (".jpg", ".jpeg"))
PNG = FileType("png", _("PNG image"), "image/png", (".png",))
TIFF = FileType("tiff", _("TIFF image"), "image/tiff", (".tif", ".tiff"))
GIF = FileType("gif", _("GIF image"), "image/gif", (".gif",))
MP4 = FileType("mp4", _("MP4 video"), "video/mp4", (".mp4", ".m4v"))
MOV = FileType("mov", _("QuickTime video (MOV)"), "video/quicktime", (".mov",))
MP3 = FileType("mp3", _("MP3 audio"), "audio/mpeg", (".mp3",))
TEXT = FileType("text", _("plain text"), "text/plain", (".txt",))
CSV = FileType("csv", _("CSV table"), "text/csv", (".csv",))

ALLOWED_TYPES = (PDF, DOCX, XLSX, PPTX, DOC, XLS, PPT, JPEG, PNG, TIFF, GIF, MP4, MOV, MP3, TEXT, CSV)
# Plain text and CSV are the same bytes; the name says which one is meant.
TEXT_TYPES = (TEXT, CSV)


def allowed_extensions():
    return [extension for file_type in ALLOWED_TYPES for extension in file_type.extensions]


def allowed_types_label():
    """'PDF, DOCX, XLSX, …' for messages and the upload form."""
    return join_items(file_type.extensions_label for file_type in ALLOWED_TYPES)


class ContentNotAllowed(Exception):
    """The content is of a kind that is not allowed; `description` says what
    it looks like (a translatable text, e.g. "a Windows program")."""

    def __init__(self, description):
        super().__init__(str(description))
        self.description = description


class NameMismatch(Exception):
    """The content is an allowed type but the name's extension says otherwise."""

    def __init__(self, file_type, extension):
        super().__init__(f"{file_type.code} named {extension!r}")
        self.file_type = file_type
        self.extension = extension


@dataclass(frozen=True)
class Identified:
    file_type: FileType
    content_type: str  # the MIME type to store and serve, with a charset for text


def identify(file, name):
    """The type of `file` (a seekable binary file object) named `name`.

    Raises ContentNotAllowed or NameMismatch."""
    file_type, charset = detect(file)
    extension = splitext(name)[1].lower()
    if file_type is TEXT and extension in CSV.extensions:
        file_type = CSV
    if extension not in file_type.extensions:
        raise NameMismatch(file_type, extension)
    content_type = f"{file_type.mime}; charset={charset}" if charset else file_type.mime
    return Identified(file_type, content_type)


def detect(file):
    """(FileType, charset or None) read from the content; raises
    ContentNotAllowed for anything outside ALLOWED_TYPES."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    if head.startswith(b"%PDF-"):
        return PDF, None
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG, None
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF, None
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG, None
    if head.startswith((b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")):
        return TIFF, None
    if head.startswith(OLE2_SIGNATURE):
        return _detect_ole2(file), None
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _detect_zip(file), None
    iso_media = _detect_iso_media(head)
    if iso_media is not None:
        return iso_media, None
    if (head.startswith(b"ID3") and head[3:4] in (b"\x02", b"\x03", b"\x04")) or _is_mpeg_audio_layer3(head):
        return MP3, None
    for signature, description in TEXT_NOT_ALLOWED:
        if head.startswith(signature):
            raise ContentNotAllowed(description)
    charset = _text_charset(file)
    if charset is None:
        for signature, description in BINARY_NOT_ALLOWED:
            if head.startswith(signature):
                raise ContentNotAllowed(description)
        raise ContentNotAllowed(_("binary data of an unknown kind"))
    _refuse_markup(file, charset)
    return TEXT, charset


# Text formats that are not plain text.
TEXT_NOT_ALLOWED = [
    (b"{\\rtf", _("an RTF document")),
    (b"%!PS", _("a PostScript file")),
]
# Named when a file is not text, to say what it is.
BINARY_NOT_ALLOWED = [
    (b"MZ", _("a Windows program")),
    (b"\x7fELF", _("a Linux program")),
    (b"\xcf\xfa\xed\xfe", _("a macOS program")),
    (b"\xfe\xed\xfa\xcf", _("a macOS program")),
    (b"Rar!", _("a RAR archive")),
    (b"7z\xbc\xaf\x27\x1c", _("a 7-Zip archive")),
    (b"\x1f\x8b", _("a gzip archive")),
]


# --- legacy Office files (OLE2 compound files) --------------------------------

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_MAIN_STREAMS = [("WordDocument", DOC), ("Workbook", XLS), ("Book", XLS), ("PowerPoint Document", PPT)]
_OLE_MACRO_STORAGES = {"Macros", "_VBA_PROJECT_CUR", "VBA", "_VBA_PROJECT"}
_OLE_END_OF_CHAIN = 0xFFFFFFFA  # and above: special sector ids


def _detect_ole2(file):
    try:
        names = ole2_entry_names(file)
    except (ValueError, struct.error):
        raise ContentNotAllowed(_("a damaged Office 97-2003 file")) from None
    if "EncryptedPackage" in names:
        raise ContentNotAllowed(_("a password-protected Office document"))
    if names & _OLE_MACRO_STORAGES:
        raise ContentNotAllowed(_("an Office document with macros"))
    for stream, file_type in _OLE_MAIN_STREAMS:
        if stream in names:
            return file_type
    raise ContentNotAllowed(_("a compound file that is not a Word, Excel or PowerPoint document"))


def ole2_entry_names(file):
    """Names in the directory of an OLE2 compound file (MS-CFB), following
    the FAT chain of the directory sectors. Every loop is bounded by the
    file's size, so a damaged or hostile file cannot make it spin."""
    file.seek(0, 2)
    file_size = file.tell()
    file.seek(0)
    header = file.read(512)
    if len(header) < 512 or not header.startswith(OLE2_SIGNATURE):
        raise ValueError("not an OLE2 file")
    sector_shift = struct.unpack_from("<H", header, 0x1E)[0]
    if sector_shift not in (9, 12):
        raise ValueError("bad sector size")
    sector_size = 1 << sector_shift
    max_sectors = file_size // sector_size + 1
    fat_count, directory_start = struct.unpack_from("<II", header, 0x2C)
    difat_start, difat_count = struct.unpack_from("<II", header, 0x44)
    if fat_count > max_sectors or difat_count > max_sectors:
        raise ValueError("bad FAT size")

    def read_sector(sector_id):
        if sector_id >= max_sectors:
            raise ValueError("sector out of range")
        file.seek((sector_id + 1) * sector_size)
        data = file.read(sector_size)
        if len(data) < sector_size:
            raise ValueError("truncated sector")
        return data

    fat_sectors = list(struct.unpack_from("<109I", header, 0x4C))
    sector_id, hops = difat_start, 0
    while sector_id < _OLE_END_OF_CHAIN and hops < difat_count:
        entries = struct.unpack(f"<{sector_size // 4}I", read_sector(sector_id))
        fat_sectors.extend(entries[:-1])
        sector_id, hops = entries[-1], hops + 1
    fat_sectors = fat_sectors[:fat_count]
    per_fat_sector = sector_size // 4

    def next_sector(sector_id):
        index, offset = divmod(sector_id, per_fat_sector)
        if index >= len(fat_sectors):
            raise ValueError("sector outside the FAT")
        return struct.unpack_from("<I", read_sector(fat_sectors[index]), offset * 4)[0]

    names = set()
    sector_id, hops = directory_start, 0
    while sector_id < _OLE_END_OF_CHAIN:
        hops += 1
        if hops > max_sectors:
            raise ValueError("directory chain loops")
        data = read_sector(sector_id)
        for offset in range(0, sector_size, 128):
            entry = data[offset : offset + 128]
            name_length = struct.unpack_from("<H", entry, 0x40)[0]
            if entry[0x42] in (1, 2, 5) and 2 <= name_length <= 64 and name_length % 2 == 0:
                names.add(entry[: name_length - 2].decode("utf-16-le", "replace"))
        sector_id = next_sector(sector_id)
    return names


# --- Office Open XML (zip containers) ----------------------------------------

_CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_OOXML = "application/vnd.openxmlformats-officedocument."
OOXML_MAIN_TYPES = {
    _OOXML + "wordprocessingml.document.main+xml": DOCX,
    _OOXML + "spreadsheetml.sheet.main+xml": XLSX,
    _OOXML + "presentationml.presentation.main+xml": PPTX,
}
_OOXML_OTHER_MAIN_TYPES = {
    _OOXML + "wordprocessingml.template.main+xml": _("a Word template"),
    _OOXML + "spreadsheetml.template.main+xml": _("an Excel template"),
    _OOXML + "presentationml.template.main+xml": _("a PowerPoint template"),
    _OOXML + "presentationml.slideshow.main+xml": _("a PowerPoint slide show"),
}


def _detect_zip(file):
    try:
        with zipfile.ZipFile(file) as archive:
            return _detect_ooxml(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError):
        raise ContentNotAllowed(_("a damaged ZIP file")) from None


def _detect_ooxml(archive):
    names = set(archive.namelist())
    if "mimetype" in names and "[Content_Types].xml" not in names:
        raise ContentNotAllowed(_("an OpenDocument file"))
    try:
        content_type, part = ooxml_main_part(archive)
    except KeyError:
        raise ContentNotAllowed(_("a ZIP archive")) from None
    except ValueError:
        raise ContentNotAllowed(_("a damaged Office document")) from None
    if "macroEnabled" in content_type or any(name.lower().endswith("vbaproject.bin") for name in names):
        raise ContentNotAllowed(_("an Office document with macros"))
    if content_type in _OOXML_OTHER_MAIN_TYPES:
        raise ContentNotAllowed(_OOXML_OTHER_MAIN_TYPES[content_type])
    if content_type not in OOXML_MAIN_TYPES:
        raise ContentNotAllowed(_("a ZIP archive"))
    return OOXML_MAIN_TYPES[content_type]


def ooxml_main_part(archive):
    """(content type, member name) of the main part of an Office Open XML
    package, read from [Content_Types].xml. KeyError: not an OOXML package;
    ValueError: unreadable."""
    info = archive.getinfo("[Content_Types].xml")
    if info.file_size > MAX_CONTENT_TYPES_BYTES:
        raise ValueError("[Content_Types].xml is too large")
    data = archive.read(info)
    if b"<!DOCTYPE" in data.upper():
        raise ValueError("a DTD in [Content_Types].xml")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise ValueError(str(error)) from None
    members = set(archive.namelist())
    for override in root.iter(f"{_CONTENT_TYPES_NS}Override"):
        content_type = override.get("ContentType", "")
        if content_type.endswith(".main+xml"):
            part = override.get("PartName", "").lstrip("/")
            if part in members:
                return content_type, part
    raise KeyError("no main part")


# --- audio and video --------------------------------------------------------

_MP4_BRANDS = {
    b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1",
    b"M4V ", b"M4VH", b"M4VP", b"mmp4", b"dash", b"3gp4", b"3gp5", b"3gp6", b"f4v ", b"XAVC",
}
_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P "}
_IMAGE_BRANDS = {b"heic", b"heix", b"mif1", b"msf1", b"avif", b"avis"}
# Old QuickTime files start with one of these atoms instead of ftyp.
_QUICKTIME_ATOMS = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}


def _detect_iso_media(head):
    """MP4/MOV from the ftyp box: the major brand, then the compatible ones."""
    if len(head) < 12:
        return None
    box_size = struct.unpack_from(">I", head, 0)[0]
    if head[4:8] in _QUICKTIME_ATOMS and head[0] == 0:
        return MOV
    if head[4:8] != b"ftyp" or not 8 <= box_size <= HEAD_BYTES:
        return None
    major = head[8:12]
    brands = {major} | {head[i : i + 4] for i in range(16, min(box_size, len(head)) - 3, 4)}
    if major in _AUDIO_BRANDS:
        raise ContentNotAllowed(_("MPEG-4 audio (M4A)"))
    if major in _IMAGE_BRANDS:
        raise ContentNotAllowed(_("an HEIF/AVIF image"))
    if major == b"qt  ":
        return MOV
    if brands & _MP4_BRANDS:
        return MP4
    raise ContentNotAllowed(_("an ISO media file of an unknown kind"))


def _is_mpeg_audio_layer3(head):
    """An MPEG audio frame header (layer III) at the start of the file."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version = (head[1] >> 3) & 0b11
    layer = (head[1] >> 1) & 0b11
    bitrate = head[2] >> 4
    sample_rate = (head[2] >> 2) & 0b11
    return version != 0b01 and layer == 0b01 and bitrate != 0b1111 and sample_rate != 0b11


# --- plain text --------------------------------------------------------------

# C0 controls other than tab, line feed, vertical tab, form feed and carriage
# return, and DEL. Below 0x80 both UTF-8 and GB18030 bytes are ASCII, so the
# raw bytes can be checked before decoding.
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")
TEXT_CHARSETS = ("utf-8", "gb18030")


def _text_charset(file):
    """'utf-8' or 'gb18030' when the whole file decodes as that text and has
    no NUL or other control bytes; None otherwise."""
    decoders = {charset: codecs.getincrementaldecoder(charset)() for charset in TEXT_CHARSETS}
    file.seek(0)
    while chunk := file.read(CHUNK_BYTES):
        if _CONTROL_BYTES.search(chunk):
            return None
        for charset in list(decoders):
            try:
                decoders[charset].decode(chunk)
            except UnicodeDecodeError:
                del decoders[charset]
        if not decoders:
            return None
    for charset in TEXT_CHARSETS:
        if charset in decoders:
            try:
                decoders[charset].decode(b"", final=True)
            except UnicodeDecodeError:
                continue
            return charset
    return None


# What a browser would treat as a web page or an image with script. Checked
# at the start of the text, and as tags anywhere in the first part of it.
_MARKUP_START = re.compile(
    r"\A(?:\ufeff)?\s*<(?:!doctype\s+html|html|head|body|script|iframe|svg|\?xml|!--)", re.IGNORECASE
)
_MARKUP_TAG = re.compile(r"<(?:script|svg|html|iframe|object|embed)[\s>/]|<!doctype\s+html", re.IGNORECASE)
MARKUP_SCAN_BYTES = 64 * 1024


def _refuse_markup(file, charset):
    file.seek(0)
    text = file.read(MARKUP_SCAN_BYTES).decode(charset, "ignore")
    if not (_MARKUP_START.search(text) or _MARKUP_TAG.search(text)):
        return
    lowered = text.lower()
    if "<svg" in lowered:
        raise ContentNotAllowed(_("an SVG image"))
    if "<html" in lowered or "<!doctype html" in lowered or "<script" in lowered or "<body" in lowered:
        raise ContentNotAllowed(_("an HTML page"))
    raise ContentNotAllowed(_("an XML or HTML document"))
