"""Laying out and writing one chunk of a register with WeasyPrint.

A register is printed as a run of chunks, each its own small WeasyPrint
document (records.printing.pdf); memory then depends on the chunk, not on
the register. So that the pages read as one table, a chunk that is not the
last keeps only its full pages: the rows of its last page, which the next
rows would have filled, are carried into the next chunk. The rows of a
chunk carry ids (r1, r2 …, their running index) and WeasyPrint reports the
ids each page holds, which says where the last page starts.

Nothing here needs Django's settings or app registry: the render processes
(records.printing.workers) use this module alone."""
import contextlib
import gc
from dataclasses import dataclass


@dataclass(frozen=True)
class ChunkJob:
    html: str
    path: str  # where the chunk's PDF is written
    first_row: int  # running index of the chunk's first row
    final: bool  # the register's last chunk: every page is kept
    font: str  # URL of the one resource the HTML may load


@dataclass(frozen=True)
class StampJob:
    """Blank pages carrying only "Page x of y" (records.printing.pdf)."""

    html: str
    path: str
    font: str


@dataclass(frozen=True)
class ChunkLaidOut:
    pages: int  # pages written to the job's path
    carry_from: int | None  # running index of the first row carried into the next chunk


def _html(job):
    from weasyprint import HTML

    from records.printing.fonts import _font_only_fetcher_class

    return HTML(string=job.html, url_fetcher=_font_only_fetcher_class()(font=job.font))


def lay_out(job):
    """(document, pages to keep, ChunkLaidOut)."""
    with _no_cyclic_gc():
        document = _html(job).render()
    carry_from = None if job.final else _last_page_start(document.pages, job.first_row)
    kept = document.pages[:-1] if carry_from is not None else document.pages
    return document, kept, ChunkLaidOut(pages=len(kept), carry_from=carry_from)


def _last_page_start(pages, first_row):
    """The first row on the last page, if that page can be left to the next
    chunk: there is a page before it that starts the chunk, and the last page
    begins with a row (not with the rest of a row taller than a page)."""
    if len(pages) < 2:
        return None
    rows = [int(name[1:]) for name in pages[-1].anchors if name[:1] == "r" and name[1:].isdigit()]
    start = min(rows, default=None)
    return start if start is not None and start > first_row else None


def write(document, kept, path):
    with _no_cyclic_gc():
        document.copy(kept).write_pdf(path)


def write_stamps(job):
    with _no_cyclic_gc():
        _html(job).write_pdf(job.path)


@contextlib.contextmanager
def _no_cyclic_gc():
    """Python's cycle collector, run again and again over the hundreds of
    thousands of boxes a chunk's layout holds, took about a sixth of the
    layout time; the chunk's garbage is collected once it is written
    (render_chunk, records.printing.workers)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def render_chunk(job):
    """Lay out and write one chunk in this process."""
    document, kept, laid_out = lay_out(job)
    write(document, kept, job.path)
    del document, kept
    # A chunk's boxes hold reference cycles; free them before the next one.
    # After the last one Python's own collector is left to it: a full
    # collection walks the whole process (0.15 s in a large one) and a short
    # register printed in a request would pay that for nothing.
    if not job.final:
        gc.collect()
    return laid_out


class InProcessRenderer:
    """Chunks laid out and written one after another in this process."""

    def __init__(self):
        self._job = None

    def start(self, job):
        self._job = job

    def result(self):
        job, self._job = self._job, None
        return render_chunk(job)

    def stamp(self, job):
        write_stamps(job)

    def finish(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return False
