"""Catalogue import benchmark (issue 5: all-or-nothing Excel import).

Builds a realistic .xlsx record catalogue (Chinese headers and titles, most
rows with their archive numbers, some without) and imports it as an
archivist through the back office's code path: records.imports.import_file
(file checks, then RecordResource.import_data in one transaction), first as
the preview (dry run), then for real. Every run starts from a fresh SQLite
database under benchmarks/out/import-<rows>/.

    .venv/bin/python benchmarks/import_ledger.py --rows 10000

Last line: import rows=<n> seconds=<s> rows_per_s=<r> history_rows=<h>
(seconds: the confirmed import; target 10,000 rows in under 15 s with
history_rows equal to rows).
"""
import argparse
import datetime
import io
import random
import shutil
import time

from _setup import OUT, peak_rss_mb, start_django
from search import CITIES, DEPARTMENTS, KINDS, TOPICS

HEADERS = ["archive number", "title", "category code", "year", "date", "responsible party",
           "document number", "security level", "retention", "medium", "copies", "pages", "keywords", "notes"]


def build_workbook(rows, seed=2026):
    import openpyxl
    from django.utils import translation

    from records.models.choices import retention_code, retention_label

    rng = random.Random(seed)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("案卷目录")
    with translation.override("zh-hans"):
        sheet.append([translation.gettext(header) for header in HEADERS])
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
            sheet.append([
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
            ])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()

    name = f"import-{args.rows}"
    shutil.rmtree(OUT / name, ignore_errors=True)
    start_django(name=name)

    from django.utils import translation

    from accounts.models import Department, User
    from accounts.roles import Role, assign_role
    from records.imports import import_file
    from records.models import Record, SearchEntry
    from records.resources import RecordResource

    marketing, _ = Department.objects.get_or_create(code="SCB", defaults={"name": "市场部", "owns_archive": True})
    archivist, _ = User.objects.get_or_create(username="bench-archivist", defaults={"department": marketing})
    assign_role(archivist, Role.ARCHIVIST)

    started = time.monotonic()
    content = build_workbook(args.rows)
    print(f"built catalogue.xlsx: {args.rows:,} rows, {len(content) / 1024:.0f} kB in "
          f"{time.monotonic() - started:.1f} s", flush=True)

    with translation.override("zh-hans"):
        started = time.monotonic()
        result, messages = import_file(RecordResource(user=archivist), io.BytesIO(content), "catalogue.xlsx",
                                       user=archivist, dry_run=True)
        preview_seconds = time.monotonic() - started
        if messages:
            raise SystemExit("preview refused the file: " + "; ".join(messages[:5]))
        print(f"preview (dry run): {result.totals['new']:,} new rows in {preview_seconds:.1f} s, "
              f"records in database {Record.objects.count()}", flush=True)

        history_before = Record.history.count()
        started = time.monotonic()
        result, messages = import_file(RecordResource(user=archivist), io.BytesIO(content), "catalogue.xlsx",
                                       user=archivist, dry_run=False)
        seconds = time.monotonic() - started
    if messages:
        raise SystemExit("import refused the file: " + "; ".join(messages[:5]))
    imported = Record.objects.count()
    history_rows = Record.history.count() - history_before
    print(f"search entries: {SearchEntry.objects.count():,}; peak RSS {peak_rss_mb():.0f} MB", flush=True)
    print(f"import rows={imported} seconds={seconds:.2f} rows_per_s={imported / seconds:.0f} "
          f"history_rows={history_rows}")


if __name__ == "__main__":
    main()
