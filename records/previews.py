"""Previews of electronic files: which files a browser can show inline, a
small picture of each file for the record page, and the file's type in
words.

A thumbnail is made on request, never stored: an image is scaled down with
Pillow; a PDF's first page is drawn small by pdfium (pypdfium2, the PDF
engine of Chrome); any other file, or a PDF that cannot be drawn, is a drawn
icon naming its type (a PDF's with its page count read by pypdf). A
thumbnail of a confidential record's file is the icon only: its content
leaves the archive through the preview and download views alone, which log
it (R-ACCESS)."""
import io
import logging
import threading
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
import pypdfium2
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader

from records.files import ALLOWED_TYPES
from records.files.types import GIF, JPEG, PDF, PNG

logger = logging.getLogger(__name__)

#: Types a browser shows by itself, without a plugin or a script of ours.
PREVIEWABLE_TYPES = (PDF, JPEG, PNG, GIF)
#: Images Pillow scales down into a thumbnail (a TIFF the browser cannot show inline).
THUMBNAIL_IMAGE_MIMES = {"image/jpeg", "image/png", "image/gif", "image/tiff"}
THUMBNAIL_SIZE = (160, 160)
# A decompression bomb is refused before it is decoded (Pillow warns at 89 Mpx).
MAX_IMAGE_PIXELS = 60_000_000
# pdfium is not thread-safe: one page is drawn at a time in a process.
_PDFIUM_LOCK = threading.Lock()


@dataclass(frozen=True)
class Thumbnail:
    content: bytes
    content_type: str


def bare_mime(content_type):
    """'text/plain; charset=utf-8' -> 'text/plain'."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def file_type_of(attachment):
    """The allowed file type (records.files.types) of a stored file, or None."""
    mime = bare_mime(attachment.content_type)
    return next((file_type for file_type in ALLOWED_TYPES if file_type.mime == mime), None)


def type_label(attachment):
    """The file's type in words ("PDF document", "PNG image"), translated."""
    file_type = file_type_of(attachment)
    return str(file_type.label) if file_type else _("other file")


def is_previewable(attachment):
    """A browser can show the file inline: a PDF or a common image that is
    still there (not destroyed with its record, R-DISP-3)."""
    return attachment.destroyed_at is None and file_type_of(attachment) in PREVIEWABLE_TYPES


def thumbnail(attachment, *, show_content=True):
    """The small picture of `attachment`: the image scaled down when
    `show_content` and it is an image Pillow reads, otherwise an SVG icon
    with the type (and a PDF's page count when `show_content`)."""
    mime = bare_mime(attachment.content_type)
    if show_content and mime in THUMBNAIL_IMAGE_MIMES:
        scaled = _scaled_image(attachment)
        if scaled is not None:
            return scaled
    if show_content and mime == PDF.mime:
        first_page = _pdf_first_page(attachment)
        if first_page is not None:
            return first_page
    pages = _pdf_pages(attachment) if show_content and mime == PDF.mime else None
    return Thumbnail(icon_svg(attachment, pages).encode(), "image/svg+xml")


def _png(image):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return Thumbnail(buffer.getvalue(), "image/png")


def _pdf_first_page(attachment):
    """The PDF's first page drawn to fit THUMBNAIL_SIZE, on white; None
    when pdfium cannot read it (damaged, encrypted): the icon is shown."""
    try:
        with attachment.file.open("rb") as handle, _PDFIUM_LOCK:
            # Read through the open file, page data as pdfium asks for it, not the whole file at once.
            document = pypdfium2.PdfDocument(handle)
            try:
                page = document[0]
                width, height = page.get_size()
                scale = min(THUMBNAIL_SIZE[0] / width, THUMBNAIL_SIZE[1] / height)
                picture = page.render(scale=scale).to_pil().convert("RGB")
            finally:
                document.close()
    except Exception:  # pdfium raises PdfiumError and others for a file it cannot draw
        logger.warning("Could not draw the first page of attachment %s; its icon is shown.",
                       attachment.pk, exc_info=True)
        return None
    return _png(picture)


def _scaled_image(attachment):
    try:
        with attachment.file.open("rb") as handle:
            with Image.open(handle) as image:
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    return None
                image.thumbnail(THUMBNAIL_SIZE)
                picture = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, ValueError):
        logger.warning("No thumbnail for attachment %s; its icon is shown.", attachment.pk, exc_info=True)
        return None
    return _png(picture)


def _pdf_pages(attachment):
    """How many pages the PDF has, None when it cannot be read."""
    try:
        with attachment.file.open("rb") as handle:
            return len(PdfReader(handle).pages)
    except Exception:  # a damaged or encrypted PDF still gets its icon
        logger.warning("Could not count the pages of attachment %s.", attachment.pk, exc_info=True)
        return None


def icon_svg(attachment, pages=None):
    """A sheet of paper with the file's extension and, for a PDF, its page
    count; the type in words in the <title>. Every text is escaped."""
    file_type = file_type_of(attachment)
    badge = file_type.extensions_label.split(" / ")[0] if file_type else "?"
    caption = ngettext("%(count)d page", "%(count)d pages", pages) % {"count": pages} if pages else ""
    title = type_label(attachment) + (f" · {caption}" if caption else "")
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="160" viewBox="0 0 120 160" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
        '<path d="M10 4h72l28 28v124H10z" fill="#f4f6f8" stroke="#5b6770" stroke-width="3"/>'
        '<path d="M82 4v28h28" fill="none" stroke="#5b6770" stroke-width="3"/>'
        '<rect x="18" y="62" width="84" height="30" rx="4" fill="#1f5f8b"/>'
        '<text x="60" y="83" text-anchor="middle" font-family="sans-serif" font-size="18" '
        f'font-weight="bold" fill="#ffffff">{escape(badge)}</text>'
        '<text x="60" y="128" text-anchor="middle" font-family="sans-serif" font-size="15" '
        f'fill="#1d2327">{escape(caption)}</text></svg>'
    )
