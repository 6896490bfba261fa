"""Registers printed in chunks (issue 11, records.printing.pdf): several small
WeasyPrint documents merged into one PDF that reads as one register.

Every test renders real PDFs with a small chunk size forced and reads the
text pypdf extracts: page numbers continuous over the whole file with the
right total, row numbers 1..n once each, the title once, the totals and
signatures once at the end, the header on every page, and the same pages as
the register printed as one document. Excel is written in write-only mode
with progress."""
import io
import os
import re
import subprocess
import sys
from types import SimpleNamespace

import openpyxl
import pytest
from django.conf import settings
from django.utils import translation
from pypdf import PdfReader

from records import printing
from records.printing import Column, RegisterTooLarge, TableRegister
from records.printing.render import ChunkJob
from records.printing.workers import RenderFailed, RenderWorkers
from records.registers import catalogue_register
from tests.factories import category

TITLE = "分块打印目录"
SUBTITLE = "范围：全部代理商协议"
ROW = re.compile(r"^(\d+) (R\d{4}) ", re.MULTILINE)


def make_register(rows=120, *, chunk_rows=30, workers=0, long_titles=False, **kwargs):
    """A register of `rows` one-line rows (or rows of one to three lines)."""
    items = [
        SimpleNamespace(
            code=f"R{n:04d}",
            title=(f"第{n}号代理商协议" + "及其补充条款" * (n % 3 * 6)) if long_titles else f"第{n}号代理商协议",
        )
        for n in range(1, rows + 1)
    ]
    options = {"footer_lines": [f"合计：{rows} 件"], "signatures": ["立卷人", "检查人"], **kwargs}
    return TableRegister(
        title=TITLE, subtitle=SUBTITLE, columns=[Column("编码", "code", width=12), Column("题名", "title", width=40)],
        rows=items, row_count=rows, chunk_rows=chunk_rows, pdf_workers=workers, **options,
    )


def pages_of(pdf_bytes):
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes)).pages]


def rows_per_page(pages):
    """[(row number, code) printed on each page]."""
    return [[(int(number), code) for number, code in ROW.findall(text)] for text in pages]


def assert_reads_as_one_register(pages, rows):
    count = len(pages)
    for number, text in enumerate(pages, start=1):
        assert f"第 {number} 页 共 {count} 页" in text, f"page {number}: {text[-80:]!r}"
        assert "序号 编码 题名" in text, f"page {number} has no header row"
        assert "打印日期：" in text
        # The title is printed once on each page: the heading on the first,
        # the running title (with the subtitle) in the margin of the others.
        assert text.count(TITLE) == 1 and text.count(SUBTITLE) == 1
    assert pages[0].startswith(f"{TITLE}\n{SUBTITLE}\n")
    assert all(f"{TITLE} {SUBTITLE}" in text for text in pages[1:])
    printed = [row for page in rows_per_page(pages) for row in page]
    assert printed == [(n, f"R{n:04d}") for n in range(1, rows + 1)]
    joined = "\n".join(pages)
    assert joined.count(f"合计：{rows} 件") == 1 and f"合计：{rows} 件" in pages[-1]
    assert joined.count("检查人：") == 1 and "检查人：" in pages[-1]
    assert pages[-1].index(f"R{rows:04d}") < pages[-1].index(f"合计：{rows} 件")


@pytest.mark.parametrize("chunk_rows", [30, 45])
def test_a_register_of_several_chunks_reads_as_one(chunk_rows, monkeypatch):
    monkeypatch.setattr("records.printing.pdf.STAMP_BATCH_PAGES", 3)  # page numbers from two stamp files
    pdf = make_register(120, chunk_rows=chunk_rows).to_pdf()
    pages = pages_of(pdf)
    assert len(pages) >= 4  # 26 rows on the first page, 29 on the others
    assert_reads_as_one_register(pages, 120)


def test_chunks_break_pages_where_one_document_would():
    """A chunk's partly filled last page is left to the next chunk: the pages
    hold the same rows as the register printed as one document."""
    chunked = rows_per_page(pages_of(make_register(150, chunk_rows=25, long_titles=True).to_pdf()))
    whole = rows_per_page(pages_of(make_register(150, chunk_rows=None, long_titles=True).to_pdf()))
    assert len(whole) >= 5
    assert chunked == whole


def test_render_processes_print_the_same_register(monkeypatch):
    monkeypatch.setattr("records.printing.pdf.STAMP_BATCH_PAGES", 2)  # stamps from both processes
    register = make_register(120, chunk_rows=30, workers=2)
    assert register.row_count > 2 * register.chunk_rows  # so the processes are started
    pages = pages_of(register.to_pdf())
    assert_reads_as_one_register(pages, 120)
    assert rows_per_page(pages) == rows_per_page(pages_of(make_register(120, chunk_rows=30).to_pdf()))


def test_progress_counts_pages_up_to_the_exact_total(tmp_path):
    calls = []
    with open(tmp_path / "register.pdf", "wb") as output:
        total = make_register(150, chunk_rows=30).write_pdf(output, progress=lambda *args: calls.append(args))
    pages = pages_of((tmp_path / "register.pdf").read_bytes())
    assert total == len(pages)
    assert len(calls) >= 5  # one per chunk, then the end
    done = [pages_done for pages_done, _estimate in calls]
    assert done == sorted(done) and done[0] > 0 and len(set(done[:-1])) == len(done) - 1
    assert calls[-1] == (total, total)
    assert all(estimate is not None and estimate >= pages_done for pages_done, estimate in calls)
    # Estimated from the pages per row so far: never far from the result.
    assert all(abs(estimate - total) <= 2 for _done, estimate in calls)


def test_progress_without_a_row_count_has_no_estimate_until_the_end():
    calls = []
    register = make_register(70, chunk_rows=30)
    register.row_count = None
    register.write_pdf(io.BytesIO(), progress=lambda *args: calls.append(args))
    assert len(calls) >= 4
    assert [estimate for _done, estimate in calls[:-2]] == [None] * (len(calls) - 2)
    total = calls[-1][0]
    assert calls[-2:] == [(total, total), (total, total)]  # the last chunk, then the end


def test_an_empty_register_is_one_page():
    pages = pages_of(make_register(0, footer_lines=["合计：0 件"]).to_pdf())
    assert len(pages) == 1
    assert "第 1 页 共 1 页" in pages[0] and "合计：0 件" in pages[0] and "检查人：" in pages[0]


def test_the_pdf_limit_is_the_registers_unless_the_caller_gives_one(monkeypatch):
    monkeypatch.setattr(printing, "MAX_PDF_ROWS", 50)
    register = make_register(60)
    assert register.max_pdf_rows == 50
    output = io.BytesIO()
    with pytest.raises(RegisterTooLarge, match="60"):
        register.write_pdf(output)
    assert output.getvalue() == b""
    with pytest.raises(RegisterTooLarge):
        register.check_printable("pdf", max_rows=59)
    register.check_printable("xlsx")  # Excel has no limit
    register.check_printable("pdf", max_rows=None)
    assert register.write_pdf(output, max_rows=None) >= 2
    assert output.getvalue().startswith(b"%PDF-")


def test_a_failing_render_process_is_reported_and_stopped(tmp_path):
    job = ChunkJob(html="<p>x</p>", path=str(tmp_path / "missing" / "chunk.pdf"), first_row=1, final=True,
                   font=printing.font_url())
    with pytest.raises(RenderFailed, match="missing"):
        with RenderWorkers(2) as workers:
            workers.start(job)
            workers.result()
            workers.finish()
    assert all(not process.is_alive() for process in workers._processes)


def test_render_processes_load_the_package_without_django_apps():
    """The render processes are fresh interpreters (spawn): importing the
    package must not need Django's settings or app registry."""
    code = ("import sys, records.printing.workers; from django.conf import settings; "
            "print('records.models' in sys.modules, settings.configured)")
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment,
                            cwd=settings.BASE_DIR, check=True)
    assert result.stdout.strip() == "False False"


def test_the_catalogue_in_chunks_numbers_pages_in_chinese(archivist, filed_record):
    records = [filed_record(title=f"华东区代理商协议第{n}号") for n in range(70)]
    with translation.override("zh-hans"):
        register = catalogue_register(archivist, category=category("HTDL"), year=2024)
        register.chunk_rows = 20
        pages = pages_of(register.to_pdf())
    count = len(pages)
    assert count >= 3
    assert [f"第 {n} 页 共 {count} 页" in text for n, text in enumerate(pages, start=1)] == [True] * count
    joined = "\n".join(pages)
    assert [record.archive_number in joined for record in records] == [True] * 70
    assert joined.count("归档文件目录") == count  # heading, then the running title
    assert joined.count("件数：70") == 1 and "件数：70" in pages[-1]


# -- Excel --------------------------------------------------------------------------

def test_workbook_progress_counts_rows(monkeypatch):
    monkeypatch.setattr("records.printing.xlsx.PROGRESS_EVERY_ROWS", 50)
    calls = []
    output = io.BytesIO()
    assert make_register(120).write_xlsx(output, progress=lambda *args: calls.append(args)) == 120
    assert calls == [(50, 120), (100, 120), (120, 120)]
    rows = list(openpyxl.load_workbook(output).active.iter_rows(values_only=True))
    assert rows[2] == ("序号", "编码", "题名")
    assert [row[:2] for row in rows[3:123]] == [(n, f"R{n:04d}") for n in range(1, 121)]
    assert ("合计：120 件", None, None) in rows
