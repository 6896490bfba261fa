"""Label sheets (issue 13 point 1, R-INV-1): A4 pages of 3 × 8 labels,
70 × 37 mm each, for boxes and for records. Each label carries a QR code of
the code a keyboard-wedge scanner types back (a box's full code, a record's
archive number), the code in clear text, class and year, and a shortened
title or the box's name.

The QR codes are made by segno as inline SVG (no image file, no network)
and the page is laid out by WeasyPrint with the project's embedded CJK font
(records.printing), so Chinese titles print and read back as text."""
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import segno
from django.db.models import Count, Max, Min
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from records.models import Location, LocationKind, Record, RecordStatus
from records.printing.fonts import FONT_FAMILY, font_url
from records.printing.render import ChunkJob, render_chunk

COLUMNS = 3
ROWS = 8
PER_SHEET = COLUMNS * ROWS
# More labels than this are refused: 21 sheets print in a few seconds
# inside the request; a whole archive's labels would not.
MAX_LABELS = 500
TITLE_CHARACTERS = 30


@dataclass(frozen=True)
class Label:
    """What one label shows; `code` is what the QR code holds."""

    code: str
    heading: str  # the code in clear text, large
    lines: tuple = field(default_factory=tuple)  # smaller lines under it


def qr_svg(code):
    """The QR code of `code` as an SVG element (error correction M: a
    scuffed label still scans). segno writes only the modules' path, never
    the data, so the element is safe to put into the page as it is."""
    qr = segno.make_qr(code, error="m", boost_error=False)
    return mark_safe(qr.svg_inline(border=1, omitsize=True, svgclass="qr", lineclass=None))


def shorten(text, limit=TITLE_CHARACTERS):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def boxes_under(location):
    """The boxes in use at or below `location` (a room, cabinet or shelf;
    a box is its own only box), by full code."""
    boxes = Location.objects.filter(kind=LocationKind.BOX, is_active=True)
    if location.kind == LocationKind.BOX:
        return boxes.filter(pk=location.pk)
    return boxes.filter(full_code__startswith=f"{location.full_code}-").order_by("full_code")


def _holdings(box_ids):
    """{box id: ["HTDL 2019–2024 (12)", …]}: the classes and years of the
    records on the books in each box (R-INV-1), in one query."""
    rows = (
        Record.objects.filter(location_id__in=box_ids, status__in=RecordStatus.on_the_books())
        .values("location_id", "category__code")
        .annotate(first=Min("year"), last=Max("year"), count=Count("pk"))
        .order_by("location_id", "category__code")
    )
    holdings = {}
    for row in rows:
        years = str(row["first"]) if row["first"] == row["last"] else f"{row['first']}–{row['last']}"
        holdings.setdefault(row["location_id"], []).append(f"{row['category__code']} {years} ({row['count']})")
    return holdings


def box_labels(boxes):
    """A label per box: full code, name and where it stands, and what it holds."""
    boxes = list(boxes)
    holdings = _holdings([box.pk for box in boxes])
    labels = []
    for box in boxes:
        held = holdings.get(box.pk)
        lines = [shorten(box.name)] if box.name else []
        lines.append(shorten("; ".join(held), 60) if held else "—")
        labels.append(Label(code=box.full_code, heading=box.full_code, lines=tuple(lines)))
    return labels


def record_labels(records):
    """A label per record with an archive number: the number, class and
    year, the title shortened. Records without one are left out."""
    labels = []
    for record in records:
        if not record.archive_number:
            continue
        category = record.category
        labels.append(
            Label(
                code=record.archive_number,
                heading=record.archive_number,
                lines=(f"{category.code} {category.name} · {record.year}", shorten(record.title)),
            )
        )
    return labels


def _sheets(labels, skip):
    """Pages of ROWS rows of COLUMNS cells, each (label, its QR code) or
    None; the first `skip` cells of the first page stay empty (a sheet
    already partly used)."""
    cells = [None] * skip + [(label, qr_svg(label.code)) for label in labels]
    cells += [None] * (-len(cells) % PER_SHEET or (0 if cells else PER_SHEET))
    rows = [cells[start : start + COLUMNS] for start in range(0, len(cells), COLUMNS)]
    return [rows[start : start + ROWS] for start in range(0, len(rows), ROWS)]


def labels_pdf(labels, *, title, skip=0):
    """The label sheets as PDF bytes."""
    html = render_to_string(
        "inventory/pdf/labels_sheet.html",
        {
            "title": title,
            "language_code": get_language() or "zh-hans",
            "font_family": FONT_FAMILY,
            "font_url": font_url(),
            "sheets": _sheets(labels, skip),
        },
    )
    with tempfile.TemporaryDirectory(prefix="labels-") as scratch:
        path = Path(scratch) / "labels.pdf"
        render_chunk(ChunkJob(html=html, path=str(path), first_row=0, final=True, font=font_url()))
        return path.read_bytes()
