"""What an uploaded file is, read from its bytes: magic numbers and container
structure, never the browser's Content-Type header nor the name alone.

Only the types in `records.files.types.ALLOWED_TYPES` may become electronic
copies of records (R-FILE-6). Everything else is refused, in particular
programs, archives, macro-enabled Office files, and HTML, SVG and XML files,
which a browser would run script from. The file-name extension must agree with what the
content is (`identify`), so an .exe renamed .pdf and an XLSX renamed .docx
are both caught.
"""
import codecs
import re
import struct
from dataclasses import dataclass
from os.path import splitext

from django.utils.translation import gettext_lazy as _

from records.files.containers import OLE2_SIGNATURE, detect_ole2, detect_zip
from records.files.types import (
    CSV,
    GIF,
    JPEG,
    MOV,
    MP3,
    MP4,
    PDF,
    PNG,
    TEXT,
    TIFF,
    ContentNotAllowed,
    FileType,
    NameMismatch,
)

HEAD_BYTES = 4096
CHUNK_BYTES = 64 * 1024


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
        return detect_ole2(file), None
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return detect_zip(file), None
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
