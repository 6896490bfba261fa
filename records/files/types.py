"""The kinds of file a record's electronic copy may be (R-FILE-6), and the
two ways `identify` says no: content of a kind not allowed, or a name whose
extension disagrees with the content."""
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from core.text import join_items


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
