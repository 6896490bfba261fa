"""Catalogue import benchmark (issue 5: all-or-nothing Excel import;
issue 15: the legacy-ledger wizard's path).

Builds a realistic .xlsx record catalogue (Chinese headers and titles, most
rows with their archive numbers, some without) and imports it as an
archivist. Every run starts from a fresh SQLite database under
benchmarks/out/import-<rows>[-wizard]/.

--path admin (default): the back office's code path,
records.imports.import_file (file checks, then RecordResource.import_data
in one transaction), first as the preview (dry run), then for real.

--path wizard (or --wizard): the file as a department keeps it: a merged
title row above the headers, a 序号 column, the headers in the words of the
ledger (文件题名, 分类号, 成文日期 …), no year column (taken from the date)
and the dates as Excel serial numbers or text (2023年5月6日, 2023.5.6). The
wizard's code path: records.ledgers.run.ledger_upload_start (the file
checked and kept), find_header_row, propose_mapping, check_ledger (the
preview), then import_upload with a progress callback, as the background
job runs it (the file read again, rows read outside the write transaction,
then the resource's one write).

    .venv/bin/python benchmarks/import_ledger.py --rows 10000
    .venv/bin/python benchmarks/import_ledger.py --rows 100000 --wizard

Last line: import rows=<n> seconds=<s> rows_per_s=<r> history_rows=<h>
peak_rss_mb=<m> path=admin|wizard (seconds: the confirmed import, reading
the file included; targets: 10,000 rows in under 15 s and 100,000 rows in
under 90 s, history_rows equal to rows, peak_rss_mb < 1024).
"""
import argparse
import cProfile
import datetime
import io
import random
import shutil
import time

from _setup import OUT, peak_rss_mb, start_django
from search import CITIES, DEPARTMENTS, KINDS, TOPICS

HEADERS = ["archive number", "title", "category code", "year", "date", "responsible party",
           "document number", "security level", "retention", "medium", "copies", "pages", "keywords", "notes"]
# The same columns as a department's own ledger names them; no year column.
LEGACY_HEADERS = ["序号", "档号", "文件题名", "分类号", "成文日期", "责任者", "文号", "密级", "保管期限", "载体", "份数",
                  "页数", "主题词", "备注"]
EXCEL_EPOCH = datetime.date(1899, 12, 30)


def catalogue_rows(rows, seed=2026):
    """The catalogue's rows in the order of HEADERS (date as a date)."""
    from records.models.choices import retention_code, retention_label

    rng = random.Random(seed)
    levels = ["公开", "内部", "内部", "内部", "机密"]
    media = ["纸质", "电子", "纸质"]
    counters = {}
    for _ in range(rows):
        code, years, make_title = rng.choice(KINDS)
        year = rng.randint(2010, 2025)
        if rng.random() < 0.95:
            item = counters[(code, year)] = counters.get((code, year), 0) + 1
            number = f"J001-{code}·{year}-{retention_code(years)}-SCB-{item:04d}"
        else:
            number = ""
        yield [
            number,
            make_title(rng),
            code,
            year,
            datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
            rng.choice(["市场部", *DEPARTMENTS]),
            f"市场〔{year}〕{rng.randint(1, 200)}号",
            rng.choice(levels),
            str(retention_label(years)),
            rng.choice(media),
            rng.choice([1, 1, 1, 2]),
            rng.randint(1, 60),
            rng.choice(TOPICS),
            f"{rng.choice(CITIES)}办事处移交",
        ]


def build_workbook(rows, seed=2026):
    import openpyxl
    from django.utils import translation

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("案卷目录")
    with translation.override("zh-hans"):
        sheet.append([translation.gettext(header) for header in HEADERS])
        for row in catalogue_rows(rows, seed):
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def legacy_date(date, index):
    """As ledgers hold dates: a date cell, an Excel serial, or text."""
    return [date, (date - EXCEL_EPOCH).days, f"{date.year}年{date.month}月{date.day}日",
            f"{date.year}.{date.month}.{date.day}"][index % 4]


def build_legacy_workbook(rows, seed=2026):
    """The catalogue as a department keeps it (see the module docstring)."""
    import openpyxl
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.cell_range import CellRange

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("归档文件目录")
    sheet.append(["市场部归档文件目录（2010—2025年）"] + [None] * (len(LEGACY_HEADERS) - 1))
    sheet.merged_cells.add(CellRange(f"A1:{get_column_letter(len(LEGACY_HEADERS))}1"))
    sheet.append(LEGACY_HEADERS)
    for index, row in enumerate(catalogue_rows(rows, seed)):
        number, title, code, _year, date, *rest = row
        sheet.append([index + 1, number, title, code, legacy_date(date, index), *rest])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--path", choices=["admin", "wizard"], default="admin")
    parser.add_argument("--wizard", dest="path", action="store_const", const="wizard",
                        help="the same as --path wizard")
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the import (preview included) to FILE")
    return parser.parse_args()


def import_admin(content, archivist):
    """The back office: preview, then the confirmed import; its seconds."""
    from records.imports import import_file
    from records.models import Record
    from records.resources import RecordResource

    started = time.monotonic()
    result, messages = import_file(RecordResource(user=archivist), io.BytesIO(content), "catalogue.xlsx",
                                   user=archivist, dry_run=True)
    if messages:
        raise SystemExit("preview refused the file: " + "; ".join(messages[:5]))
    print(f"preview (dry run): {result.totals['new']:,} new rows in {time.monotonic() - started:.1f} s, "
          f"records in database {Record.objects.count()}", flush=True)
    del result  # the preview's page is another request: its rows are not held while the import runs
    started = time.monotonic()
    result, messages = import_file(RecordResource(user=archivist), io.BytesIO(content), "catalogue.xlsx",
                                   user=archivist, dry_run=False)
    seconds = time.monotonic() - started
    if messages:
        raise SystemExit("import refused the file: " + "; ".join(messages[:5]))
    return seconds


def wizard_upload(content, name, archivist):
    """The file uploaded to the wizard (ledger_upload_start), its header row
    found and its columns mapped as the wizard proposes them, the year from
    the date: the plan kept on the upload, as the mapping screen keeps it."""
    from records.ledgers.headers import find_header_row, propose_mapping
    from records.ledgers.kinds import ledger_kind
    from records.ledgers.run import ledger_upload_start, ledger_upload_workbook
    from records.ledgers.types import FILL_YEAR_FROM_DATE

    upload_file = io.BytesIO(content)
    upload_file.name = name
    upload = ledger_upload_start(user=archivist, kind="records", file=upload_file)
    sheet = ledger_upload_workbook(upload).sheets[0]
    kind = ledger_kind("records")
    upload.sheet_name = sheet.name
    upload.header_row = find_header_row(sheet, kind)
    upload.mapping = propose_mapping(sheet, upload.header_row, kind)
    upload.fills = {FILL_YEAR_FROM_DATE: True}
    upload.save()
    return upload


def import_wizard(content, archivist):
    """The wizard: the upload, the preview (check_ledger), then the import
    as the background job runs it (import_upload, the file read again, with
    progress); its seconds."""
    from records.ledgers.run import check_ledger, import_upload, ledger_upload_plan, ledger_upload_workbook

    started = time.monotonic()
    upload = wizard_upload(content, "归档文件目录.xlsx", archivist)
    print(f"header row {upload.header_row}, mapping {upload.mapping}", flush=True)
    checked = check_ledger(ledger_upload_workbook(upload), ledger_upload_plan(upload), archivist)
    if checked.problem_count:
        raise SystemExit("preview found problems: " + "; ".join(p.message for p in checked.problems[:5]))
    print(f"upload and preview (check_ledger): {checked.totals['new']:,} new rows in "
          f"{time.monotonic() - started:.1f} s; notes: {' '.join(checked.notes)}", flush=True)
    del checked
    started = time.monotonic()
    import_upload(upload, archivist, progress=lambda done, total: None)
    return time.monotonic() - started


def main():
    args = parse_args()
    name = f"import-{args.rows}" + ("-wizard" if args.path == "wizard" else "")
    shutil.rmtree(OUT / name, ignore_errors=True)
    start_django(name=name)

    from django.utils import translation

    from accounts.models import Department, User
    from accounts.roles import Role, assign_role
    from records.models import Record, SearchEntry

    marketing, _ = Department.objects.get_or_create(code="SCB", defaults={"name": "市场部", "owns_archive": True})
    archivist, _ = User.objects.get_or_create(username="bench-archivist", defaults={"department": marketing})
    assign_role(archivist, Role.ARCHIVIST)

    started = time.monotonic()
    content = build_legacy_workbook(args.rows) if args.path == "wizard" else build_workbook(args.rows)
    print(f"built the workbook: {args.rows:,} rows, {len(content) / 1024:.0f} kB in "
          f"{time.monotonic() - started:.1f} s", flush=True)

    with translation.override("zh-hans"):
        history_before = Record.history.count()
        profiler = cProfile.Profile() if args.profile else None
        if profiler:
            profiler.enable()
        seconds = import_wizard(content, archivist) if args.path == "wizard" else import_admin(content, archivist)
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile)
    imported = Record.objects.count()
    history_rows = Record.history.count() - history_before
    print(f"search entries: {SearchEntry.objects.count():,}", flush=True)
    print(f"import rows={imported} seconds={seconds:.2f} rows_per_s={imported / seconds:.0f} "
          f"history_rows={history_rows} peak_rss_mb={peak_rss_mb():.0f} path={args.path}")


if __name__ == "__main__":
    main()
