"""A register as an A4 PDF, rendered in chunks so memory stays flat.

One WeasyPrint document for a whole register grows with its pages (490
pages peaked at 1.6 GB, shared/docs/pitfalls.md). Here the rows are
streamed in chunks of `register.chunk_rows`; each chunk is its own small
document written to a temporary file (records.printing.render), and the
files are merged with pypdf. The merged file reads as one register:

- the title, subtitle and summaries open the first chunk only, the
  footer lines (totals) and signature blanks close the last one;
- every chunk repeats the table header on each page and numbers its rows
  on from the chunk before;
- a chunk's last, partly filled page is dropped and its rows start the next
  chunk, so pages are full up to the end;
- the running title and print date are in every chunk's page margins;
  "Page x of y" is known only when every chunk is rendered, so it is
  stamped afterwards: small documents of blank pages carrying only that
  margin text, each page merged onto the register's page.

Long registers are laid out by render processes (records.printing.workers)
while this process reads rows and builds the chunks' HTML; the processes
then render the stamps side by side, and this process merges."""
import itertools
import math
import tempfile
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from records.printing.fonts import FONT_FAMILY, css_string, font_url, page_counter_css
from records.printing.render import ChunkJob, InProcessRenderer, StampJob
from records.printing.workers import RenderWorkers

# Pages of page-number stamps rendered at once (a few MB of WeasyPrint).
STAMP_BATCH_PAGES = 200


def write_register_pdf(register, output, *, progress=None):
    """Write `register` to the binary file `output`; the number of pages.
    `progress(pages_done, pages_total_estimate)` after each chunk (the
    estimate is None when the register does not know its row count) and
    once at the end with the exact total."""
    page = _page_context(register)
    with tempfile.TemporaryDirectory(prefix="register-pdf-") as scratch:
        with _renderer(register) as renderer:
            chunks = _render_chunks(register, renderer, page, Path(scratch), progress)
            total = sum(pages for _path, pages in chunks)
            stamps = _render_stamps(renderer, page, total, Path(scratch))
            renderer.finish()
        _merge_with_page_numbers(register, chunks, stamps, output)
    if progress is not None:
        progress(total, total)
    return total


def _renderer(register):
    """Render processes for a register of several chunks, else this process
    (starting a process costs about a second)."""
    size, count = register.chunk_rows, register.row_count
    if register.pdf_workers > 1 and size and count is not None and count > 2 * size:
        return RenderWorkers(register.pdf_workers)
    return InProcessRenderer()


def _render_chunks(register, renderer, page, scratch, progress):
    """Lay out and write every chunk; [(path, pages)] in order. While a
    chunk is laid out, the next rows are read and made into HTML."""
    chunks = []
    carried = []
    pages_done = rows_done = 0
    batches = _batches(_row_fragments(register), register.chunk_rows)
    batch = next(batches)
    while batch is not None:
        new_rows, final = batch
        rows = carried + new_rows
        job = ChunkJob(
            html=_chunk_html(register, page, rows, first=not chunks, final=final),
            path=str(scratch / f"chunk-{len(chunks):05d}.pdf"),
            first_row=rows[0][0] if rows else 0,
            final=final,
            font=page["font_url"],
        )
        renderer.start(job)
        batch = None if final else next(batches)
        laid_out = renderer.result()
        chunks.append((job.path, laid_out.pages))
        carried = [row for row in rows if row[0] >= laid_out.carry_from] if laid_out.carry_from else []
        pages_done += laid_out.pages
        rows_done += len(rows) - len(carried)
        if progress is not None:
            progress(pages_done, pages_done if final else _estimate(register.row_count, rows_done, pages_done))
    return chunks


def _row_fragments(register):
    """(running index from 1, the row's <tr> element) per row. The id lets
    the layout say which rows a page holds (records.printing.render)."""
    for index, cells in enumerate(register.text_rows(), start=1):
        yield index, format_html(
            '<tr id="r{}">{}</tr>',
            index,
            format_html_join("", '<td class="a-{}">{}</td>', ((align, text) for text, align in cells)),
        )


def _batches(rows, size):
    """(list of up to `size` rows, whether it is the last) until the rows
    run out; one empty last batch for no rows. `size` None: one batch."""
    batch = list(itertools.islice(rows, size))
    while True:
        following = list(itertools.islice(rows, size)) if size else []
        yield batch, not following
        if not following:
            return
        batch = following


def _estimate(row_count, rows_done, pages_done):
    if row_count is None or not rows_done:
        return None
    return max(pages_done, math.ceil(pages_done * row_count / rows_done))


def _page_context(register):
    """What every chunk and stamp page shares: page size, font, margins."""
    total = sum(column.width for column in register.columns)
    running_title = "  ".join(str(part) for part in (register.title, register.subtitle) if str(part))
    return {
        "language_code": get_language() or settings.LANGUAGE_CODE,
        "title": register.title,
        "subtitle": register.subtitle,
        "columns": [
            {"label": column.label, "percent": f"{100 * column.width / total:.3f}", "align": column.align}
            for column in register.columns
        ],
        "font_family": FONT_FAMILY,
        "font_url": font_url(),
        "page_size": "A4 landscape" if register.landscape else "A4 portrait",
        "running_title_css": css_string(running_title),
        "printed_on_css": css_string(_("Printed on %(date)s") % {"date": register.printed_on.isoformat()}),
    }


def _chunk_html(register, page, rows, *, first, final):
    return render_to_string(
        "records/pdf/table_register.html",
        {
            **page,
            "first": first,
            "final": final,
            "rows": rows,
            "summaries": _summaries(register) if first else [],
            "footer_lines": register.footer_lines if final else [],
            "signatures": register.signatures if final else [],
        },
    )


def _summaries(register):
    """(heading, labels, rows of (text, alignment)) of each summary."""
    return [(summary.heading, summary.labels, list(summary.text_rows())) for summary in register.summaries]


def _render_stamps(renderer, page, total, scratch):
    """The page-number stamps, one blank page per register page, in files
    of up to STAMP_BATCH_PAGES pages (by the render processes, if any, side
    by side); their paths in order."""
    page_of_css = page_counter_css(_("Page %(page)s of %(pages)s"), pages=total)
    paths = []
    for start in range(1, total + 1, STAMP_BATCH_PAGES):
        html = render_to_string(
            "records/pdf/page_numbers.html",
            {**page, "first_page": start, "pages": range(min(STAMP_BATCH_PAGES, total - start + 1)),
             "page_of_css": page_of_css},
        )
        paths.append(str(scratch / f"stamps-{len(paths):05d}.pdf"))
        renderer.stamp(StampJob(html=html, path=paths[-1], font=page["font_url"]))
    return paths


def _pages(paths):
    from pypdf import PdfReader

    for path in paths:
        yield from PdfReader(path).pages


def _merge_with_page_numbers(register, chunks, stamps, output):
    """Merge the chunk files into `output`, stamping "Page x of y" onto each
    page."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for chunk_page, stamp in zip(_pages(path for path, _pages in chunks), _pages(stamps), strict=True):
        merged = writer.add_page(chunk_page)
        merged.merge_page(stamp)
        # Merging decodes the page's content; store it compressed again.
        merged.compress_content_streams()
    writer.add_metadata({"/Title": str(register.title), "/Producer": "WeasyPrint, pypdf"})
    writer.write(output)
