"""Stamped electronic copies of controlled documents (R-CTRL-2, R-CTRL-5).

Every page of a recipient's copy carries its controlled number (受控号), the
recipient's name (the holder; for a department's copy the department and
who signed for it) and 受控文件 未经许可不得复制, so a leaked printout names
its copy; the reference copy of a void document also carries a large 作废.
The marking is the regulation's own wording (市场部档案管理办法 rule 9), so it
is printed in Chinese whatever language the reader's screens use.

How (measured: 200 copies of a 50-page document in well under a minute,
benchmarks/controlled.py):

- the labels of many copies are laid out in ONE WeasyPrint document, one
  small page per copy, with the shipped CJK font (settings.PDF_FONT_PATH),
  so the text is real text pypdf extracts;
- each label page becomes a Form XObject of the copy, drawn on every page
  by a few bytes of content appended to the page (no page merging): the
  page's own content is wrapped in q/Q and left as it is;
- the drawing follows what the reader sees: the page's /Rotate, its crop
  box and an origin away from (0, 0), any page size (scaled with the page)
  and image-only (scanned) pages alike.

Neither the source nor a copy is ever whole in memory: the source is read
from the storage through a seekable file (on object storage a temporary
file it is downloaded into, core.stored_files.open_seekable), which pypdf
reads object by object as it needs them, and each copy is written to an
anonymous temporary file that the caller streams and closes (closing
deletes it).

A source pypdf cannot read, or an encrypted one, is refused with
DocumentsRefused and a message naming the file; no library's error reaches
the user."""
import io
import logging
import math
import tempfile
import zlib
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.translation import gettext as _

from core.stored_files import open_seekable
from documents.exceptions import DocumentsRefused
from records.printing.fonts import FONT_FAMILY, font_url

logger = logging.getLogger(__name__)

CONTROLLED_NUMBER = "受控号：{number}"
HOLDER = "持有人：{name}"
DEPARTMENT_HOLDER = "持有部门：{department}　签收人：{name}"
DEPARTMENT = "持有部门：{department}"
NOTICE = "受控文件 未经许可不得复制"
VOID = "作废"

# The label's lines are 8 pt at scale 1 (an A4 page); it is as wide as
# its longest line, within these bounds (points).
FONT_SIZE = 8
LINE_HEIGHT = 11
LABEL_PADDING = 4
LABEL_WIDTHS = (120, 480)
VOID_SIZE = (260, 140)
# Labels laid out per WeasyPrint document: the font subset each copy
# carries holds the glyphs of its batch only.
LABEL_BATCH = 25
A4_SHORT_SIDE = 595.0
LABEL_NAME = "/CtlLabel"
VOID_NAME = "/CtlVoid"

# Every error pypdf (and zlib under it) may raise on a damaged file.
_READ_ERRORS = (ValueError, KeyError, TypeError, AttributeError, IndexError, AssertionError, OSError, zlib.error,
                RecursionError, NotImplementedError)


@dataclass(frozen=True)
class Placement:
    """Where the reader's view of a page lies in its user space: the
    matrix from the viewed page (origin bottom left, as displayed) to user
    space, and the viewed width and height."""

    matrix: tuple
    width: float
    height: float


def copy_lines(copy):
    """The label of `copy`: its controlled number, its holder and the notice.
    A department's copy names the department and who signed for it."""
    holder = copy.holder or copy.recipient_user
    if copy.recipient_department_id is not None and copy.recipient_user_id is None:
        department = copy.recipient_department.name
        name_line = (
            DEPARTMENT_HOLDER.format(department=department, name=holder.display_name)
            if holder is not None
            else DEPARTMENT.format(department=department)
        )
    else:
        name_line = HOLDER.format(name=holder.display_name)
    return (CONTROLLED_NUMBER.format(number=copy.control_number), name_line, NOTICE)


def stamp_pdf(source, *, lines, void=False, name=""):
    """`source` (bytes) with `lines` on every page and, with `void`, a large
    作废; the stamped PDF's bytes (for a small file: a controlled document's
    copies are made by stamp_copies). DocumentsRefused when the source
    cannot be read."""
    reader = _open(io.BytesIO(source), name)
    overlay = _render_labels([tuple(lines)])
    with _stamped(reader, overlay.pages[0], _void_page() if void else None, name) as output:
        return output.read()


def stamp_copies(document, copies, *, void=False):
    """(copy, stamped file) for each of `copies` of `document`, the labels
    laid out LABEL_BATCH at a time; the source is read once. Each stamped
    file is an anonymous temporary file, open for reading from its start:
    the caller reads and closes it (closing deletes it). A copy is made
    only when the next one is asked for."""
    copies = list(copies)
    source = _open_source(document)
    with source:
        reader = _open(source, document.source_name)
        void_page = _void_page() if void else None
        for start in range(0, len(copies), LABEL_BATCH):
            batch = copies[start:start + LABEL_BATCH]
            overlay = _render_labels([copy_lines(copy) for copy in batch])
            for copy, label in zip(batch, overlay.pages, strict=True):
                yield copy, _stamped(reader, label, void_page, document.source_name)


def _open_source(document):
    try:
        return open_seekable(document.source_file.storage, document.source_file.name)
    except (OSError, ValueError):
        logger.error("The source of controlled document %s is missing from storage.", document.pk)
        raise DocumentsRefused(
            _("The file of “%(name)s” is missing; ask the archivist to register it again.")
            % {"name": document.source_name}
        ) from None


def _unreadable(name):
    return DocumentsRefused(
        _("“%(name)s” cannot be read as a PDF, so no stamped copy can be made of it.") % {"name": name or "PDF"}
    )


def _open(source, name):
    """A PdfReader of the seekable binary file `source`, which it reads
    object by object as they are needed (so it must stay open while the
    reader is used)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(source, strict=False)
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
    except (PyPdfError, *_READ_ERRORS):
        raise _unreadable(name) from None
    if encrypted:
        raise DocumentsRefused(
            _("“%(name)s” is encrypted (password protected), so no stamped copy can be made of it.")
            % {"name": name or "PDF"}
        )
    if not pages:
        raise DocumentsRefused(_("“%(name)s” has no pages.") % {"name": name or "PDF"})
    return reader


def _stamped(reader, label, void_page, name):
    """The stamped copy, written to an anonymous temporary file returned
    open at its start."""
    from pypdf import PdfWriter
    from pypdf.errors import PyPdfError

    output = tempfile.TemporaryFile()
    try:
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page)
        forms = {LABEL_NAME: _form_xobject(writer, label)}
        if void_page is not None:
            forms[VOID_NAME] = _form_xobject(writer, void_page)
        opening = writer._add_object(_stream(b"q\n"))
        drawings = {}
        for page in writer.pages:
            _stamp_page(writer, page, forms, opening, drawings)
        writer.write(output)
        output.seek(0)
    except (PyPdfError, *_READ_ERRORS):
        output.close()
        logger.warning("Stamping %s failed.", name, exc_info=True)
        raise _unreadable(name) from None
    except BaseException:
        output.close()
        raise
    return output


def _stream(data):
    from pypdf.generic import NameObject, StreamObject

    stream = StreamObject()
    stream.set_data(zlib.compress(data))
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    return stream


def _form_xobject(writer, page):
    """The label (or void) page as a Form XObject of `writer`'s document."""
    from pypdf.generic import ArrayObject, FloatObject, NameObject

    form = _stream(page.get_contents().get_data())
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = ArrayObject(FloatObject(value) for value in page.mediabox)
    form[NameObject("/Resources")] = page["/Resources"].clone(writer)
    return writer._add_object(form)


def _stamp_page(writer, page, forms, opening, drawings):
    """Wrap the page's content in q/Q and draw the forms after it. The
    drawing depends on the page's geometry only: pages alike share it."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    placement = placement_of(page)
    key = (placement.matrix, placement.width, placement.height)
    if key not in drawings:
        drawings[key] = writer._add_object(_stream(_drawing(placement, forms)))
    contents = page.get("/Contents")
    if contents is None:
        existing = []
    elif isinstance(contents.get_object(), ArrayObject):
        existing = list(contents.get_object())
    else:
        existing = [contents]
    page[NameObject("/Contents")] = ArrayObject([opening, *existing, drawings[key]])
    resources = page.get("/Resources")
    resources = DictionaryObject(resources.get_object()) if resources is not None else DictionaryObject()
    xobjects = resources.get("/XObject")
    xobjects = DictionaryObject(xobjects.get_object()) if xobjects is not None else DictionaryObject()
    xobjects.update({NameObject(name): form for name, form in forms.items()})
    resources[NameObject("/XObject")] = xobjects
    page[NameObject("/Resources")] = resources


def placement_of(page):
    """The page as its reader sees it (Placement): the crop box (the
    visible part of the media box, wherever its origin) turned by /Rotate."""
    box = page.cropbox
    x0, y0, x1, y1 = (float(value) for value in (box.left, box.bottom, box.right, box.top))
    x0, x1 = sorted((x0, x1))
    y0, y1 = sorted((y0, y1))
    width, height = x1 - x0, y1 - y0
    try:
        rotation = int(page.get("/Rotate", 0) or 0) % 360
    except (TypeError, ValueError):
        rotation = 0
    if rotation == 90:
        return Placement((0, 1, -1, 0, x1, y0), height, width)
    if rotation == 180:
        return Placement((-1, 0, 0, -1, x1, y1), width, height)
    if rotation == 270:
        return Placement((0, -1, 1, 0, x0, y1), height, width)
    return Placement((1, 0, 0, 1, x0, y0), width, height)


def _drawing(placement, forms):
    """Content drawing the label at the top right of the viewed page and
    the void mark across its middle, in the viewed page's orientation."""
    width, height = placement.width, placement.height
    page_matrix = _cm(placement.matrix)
    parts = [b"Q\n"]
    label_box = forms[LABEL_NAME].get_object()["/BBox"]
    label_width, label_height = float(label_box[2]), float(label_box[3])
    scale = min(max(min(width, height) / A4_SHORT_SIDE, 0.4), 4.0)
    margin = 10 * scale
    scale = min(scale, max(width - 2 * margin, 1) / label_width)
    x, y = width - margin - label_width * scale, height - margin - label_height * scale
    parts.append(b"q " + page_matrix + _cm((scale, 0, 0, scale, x, y)) + LABEL_NAME.encode() + b" Do Q\n")
    if VOID_NAME in forms:
        parts.append(b"q " + page_matrix + _void_matrix(width, height) + VOID_NAME.encode() + b" Do Q\n")
    return b"".join(parts)


def _void_matrix(width, height):
    """作废 across the middle of the page, turned 30 degrees, its box four
    fifths of the page's shorter side."""
    void_width, void_height = VOID_SIZE
    scale = 0.8 * min(width, height) / void_width
    angle = math.radians(30)
    cos, sin = math.cos(angle) * scale, math.sin(angle) * scale
    # Centre of the mark at the centre of the page.
    cx, cy = void_width / 2, void_height / 2
    tx = width / 2 - (cos * cx - sin * cy)
    ty = height / 2 - (sin * cx + cos * cy)
    return _cm((cos, sin, -sin, cos, tx, ty))


def _cm(matrix):
    return (" ".join(f"{value:.4f}" for value in matrix) + " cm ").encode()


def _render_labels(labels):
    """A PdfReader of one page per label (a tuple of lines)."""
    from pypdf import PdfReader
    from weasyprint import HTML

    from records.printing.fonts import _font_only_fetcher_class

    html = _labels_html(labels, max(len(lines) for lines in labels))
    data = HTML(string=html, url_fetcher=_font_only_fetcher_class()()).write_pdf()
    return PdfReader(io.BytesIO(data))


def _label_width(labels):
    """Points the longest line needs: a Chinese character is as wide as the
    font size, a Latin one about 0.6 of it."""
    longest = max(
        sum(FONT_SIZE if ord(char) >= 0x2E80 else 0.6 * FONT_SIZE for char in line)
        for lines in labels
        for line in lines
    )
    low, high = LABEL_WIDTHS
    return round(min(max(longest + 4 * LABEL_PADDING, low), high))


def _labels_html(labels, rows):
    height = rows * LINE_HEIGHT + 2 * LABEL_PADDING
    width = _label_width(labels)
    pages = "".join(
        '<section class="label">' + "".join(f"<p>{escape(line)}</p>" for line in lines) + "</section>"
        for lines in labels
    )
    return (
        f"<html><head><style>@font-face {{ font-family: '{FONT_FAMILY}'; src: url('{font_url()}'); }}"
        f"@page {{ size: {width}pt {height}pt; margin: 0 }}"
        f"html, body {{ margin: 0; font-family: '{FONT_FAMILY}'; font-size: {FONT_SIZE}pt; color: #b3001b }}"
        f".label {{ box-sizing: border-box; height: {height}pt; padding: {LABEL_PADDING - 1}pt {LABEL_PADDING}pt;"
        f" border: 0.75pt solid #b3001b; background: rgba(255, 255, 255, 0.85); page-break-after: always }}"
        f"p {{ margin: 0; line-height: {LINE_HEIGHT}pt; white-space: nowrap; overflow: hidden }}"
        f"</style></head><body>{pages}</body></html>"
    )


def _void_page():
    from pypdf import PdfReader
    from weasyprint import HTML

    from records.printing.fonts import _font_only_fetcher_class

    width, height = VOID_SIZE
    html = (
        f"<html><head><style>@font-face {{ font-family: '{FONT_FAMILY}'; src: url('{font_url()}'); }}"
        f"@page {{ size: {width}pt {height}pt; margin: 0 }}"
        f"html, body {{ margin: 0 }}"
        f"p {{ margin: 0; height: {height}pt; line-height: {height}pt; text-align: center;"
        f" font-family: '{FONT_FAMILY}'; font-size: 110pt; color: rgba(179, 0, 27, 0.5) }}"
        f"</style></head><body><p>{VOID}</p></body></html>"
    )
    data = HTML(string=html, url_fetcher=_font_only_fetcher_class()()).write_pdf()
    return PdfReader(io.BytesIO(data)).pages[0]
