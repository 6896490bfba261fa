"""Text of PDF, DOCX and XLSX attachments, read once at upload so search
finds records by what their electronic copies say (R-FILE-4).

Extraction is bounded: at most `MAX_CHARS` characters are kept, and a DOCX
or XLSX whose XML parts would inflate past `MAX_INFLATED_BYTES` is not read
at all (a zip bomb is a few kB that unpack to gigabytes). Callers treat every
failure as "no text": the upload itself never depends on it.
"""
import datetime
import re
import zipfile
from xml.etree import ElementTree

import openpyxl
from pypdf import PdfReader

from records.files.containers import ooxml_main_part
from records.files.types import DOCX, PDF, XLSX

MAX_CHARS = 200_000
MAX_INFLATED_BYTES = 64 * 1024 * 1024
XML_CHUNK_BYTES = 64 * 1024
PAGE_BREAK = "\f"


class ExtractionSkipped(Exception):
    """The file is not read, for a reason worth a log line (too large when
    unpacked, encrypted, a DTD in its XML)."""


def extract_text(file, file_type, *, max_chars=MAX_CHARS, max_inflated_bytes=MAX_INFLATED_BYTES):
    """The text of `file` (a seekable binary file object) of `file_type`
    (records.files.types), at most `max_chars` characters; '' for types that
    carry no extractable text. Raises on unreadable files."""
    extractor = _EXTRACTORS.get(file_type.code)
    if extractor is None:
        return ""
    file.seek(0)
    text = extractor(file, max_chars=max_chars, max_inflated_bytes=max_inflated_bytes)
    return tidy(text)[:max_chars]


def tidy(text):
    text = text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[ \t\u3000]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    # A PDF's leading blank pages keep their page breaks: they count pages.
    return text.lstrip(" \t\n\u3000").rstrip() if text.strip() else ""


def _pdf_text(file, *, max_chars, max_inflated_bytes):
    """The pages' text, a form feed (PAGE_BREAK) between two pages, so a
    search excerpt can say on which page it stands."""
    reader = PdfReader(file)
    if reader.is_encrypted and not reader.decrypt(""):
        raise ExtractionSkipped("the PDF is password-protected")
    parts, length = [], 0
    for page in reader.pages:
        text = page.extract_text() or ""
        parts.append(text)
        length += len(text)
        if length >= max_chars:
            break
    return PAGE_BREAK.join(parts)


def _check_inflated_size(members, limit):
    """Refuse before reading when the parts would unpack past `limit`. The
    sizes come from the zip's directory; zipfile never inflates a member past
    its declared size (it stops, then fails the CRC check)."""
    total = sum(info.file_size for info in members)
    if total > limit:
        raise ExtractionSkipped(f"the XML parts unpack to {total} bytes, more than {limit}")


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W_PARAGRAPH = f"{_W}p"
_W_TEXT = f"{_W}t"
_W_SPECIAL = {f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n"}


def _docx_text(file, *, max_chars, max_inflated_bytes):
    """Paragraphs of the main document part, one per line. The XML is read
    as a stream and every element is dropped once read, so memory stays flat
    however long the document or its paragraphs are."""
    with zipfile.ZipFile(file) as archive:
        _content_type, part = ooxml_main_part(archive)
        info = archive.getinfo(part)
        _check_inflated_size([info], max_inflated_bytes)
        parser = ElementTree.XMLPullParser(events=("start", "end"))
        lines, length = [], 0
        open_elements, open_paragraphs = [], []  # a text box nests paragraphs
        with archive.open(info) as stream:
            first = True
            while length < max_chars and (chunk := stream.read(XML_CHUNK_BYTES)):
                if first and b"<!DOCTYPE" in chunk.upper():
                    raise ExtractionSkipped("a DTD in the document XML")
                first = False
                parser.feed(chunk)
                for event, element in parser.read_events():
                    if event == "start":
                        open_elements.append(element)
                        if element.tag == _W_PARAGRAPH:
                            open_paragraphs.append([])
                        continue
                    open_elements.pop()
                    if element.tag == _W_PARAGRAPH:
                        line = "".join(open_paragraphs.pop())
                        lines.append(line)
                        length += len(line) + 1
                    elif open_paragraphs and element.tag == _W_TEXT:
                        open_paragraphs[-1].append(element.text or "")
                    elif open_paragraphs and element.tag in _W_SPECIAL:
                        open_paragraphs[-1].append(_W_SPECIAL[element.tag])
                    if open_elements:
                        # Read siblings were removed already, so this is
                        # near the front of its parent's children.
                        open_elements[-1].remove(element)
        return "\n".join(lines)


def _xlsx_text(file, *, max_chars, max_inflated_bytes):
    """Each sheet's name, then its rows, cells separated by tabs. Formulas
    give their last computed value."""
    with zipfile.ZipFile(file) as archive:
        # openpyxl reads the shared strings and styles whole, and every sheet
        # row by row: all of the package's XML counts.
        _check_inflated_size(
            [info for info in archive.infolist() if info.filename.lower().endswith((".xml", ".rels"))],
            max_inflated_bytes,
        )
    file.seek(0)
    workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    lines, length = [], 0
    try:
        for sheet in workbook.worksheets:
            lines.append(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                cells = [_cell_text(value) for value in row if value is not None and value != ""]
                if cells:
                    line = "\t".join(cells)
                    lines.append(line)
                    length += len(line) + 1
                if length >= max_chars:
                    return "\n".join(lines)
    finally:
        workbook.close()
    return "\n".join(lines)


def _cell_text(value):
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)


_EXTRACTORS = {
    PDF.code: _pdf_text,
    DOCX.code: _docx_text,
    XLSX.code: _xlsx_text,
}
