"""Register benchmark (issue 11: registers in bounded memory).

Seeds catalogued records of one class (HT, contracts, with its four
sub-classes) and one year, about --rows-per-page rows per printed page, then
builds the catalogue register through the code path the background job uses:
`records.registers.catalogue_register(user, category=…, year=…)` and
`register.write_pdf(file, progress=…)` on a file on disk.

    .venv/bin/python benchmarks/registers.py --pages 500
    .venv/bin/python benchmarks/registers.py --pages 500 --one-document   # the "before" figure

The database (benchmarks/out/registers-<rows>/) is kept and reused by the
next run with the same size; --fresh seeds it anew. Peak RSS counts the
process and its worker processes: ru_maxrss of RUSAGE_SELF plus, for each
worker, the largest RUSAGE_CHILDREN ru_maxrss (an upper bound: the workers
run at once).

Last line: registers pages=… seconds=… pages_per_s=… peak_rss_mb=…
(targets: peak_rss_mb < 600, pages_per_s >= 6 on a 2-core machine).
"""
import argparse
import datetime
import os
import pathlib
import random
import resource
import shutil
import sys
import threading
import time

from _setup import OUT, start_django
from search import COMPANIES, DEPARTMENTS, KINDS, TOPICS

YEAR = 2024
# Measured on the seeded titles: 10,500 rows made 584 pages, 18 a page.
ROWS_PER_PAGE = 18


def seed(rows, seed=2024):
    """`rows` filed records of the contract sub-classes in YEAR, with the
    search benchmark's titles; every tenth with a note, some on loan."""
    from django.db import transaction

    from accounts.models import Department
    from records.models import Category, Record, RecordStatus, SecurityLevel
    from records.models.choices import retention_code

    rng = random.Random(seed)
    marketing, _ = Department.objects.get_or_create(code="SCB", defaults={"name": "市场部", "owns_archive": True})
    kinds = [kind for kind in KINDS if kind[0].startswith("HT")]
    categories = {c.code: c for c in Category.objects.filter(code__in=[code for code, *_ in kinds])}
    levels = [SecurityLevel.PUBLIC] * 25 + [SecurityLevel.INTERNAL] * 60 + [SecurityLevel.CONFIDENTIAL] * 15
    counters = {}
    records = []
    for _ in range(rows):
        code, years, make_title = rng.choice(kinds)
        item = counters[code] = counters.get(code, 0) + 1
        on_loan = rng.random() < 0.03
        records.append(Record(
            archive_number=f"J001-{code}·{YEAR}-{retention_code(years)}-SCB-{item:04d}",
            item_number=item,
            title=make_title(rng),
            category=categories[code],
            year=YEAR,
            document_date=datetime.date(YEAR, rng.randint(1, 12), rng.randint(1, 28)),
            responsible_party=rng.choice(["市场部", *DEPARTMENTS]),
            document_number=f"市场〔{YEAR}〕{rng.randint(1, 200)}号",
            security_level=rng.choice(levels),
            retention_years=years,
            pages=rng.randint(1, 60),
            status=RecordStatus.ON_LOAN if on_loan else RecordStatus.FILED,
            department=marketing,
            keywords=rng.choice(TOPICS),
            notes=f"{rng.choice(COMPANIES)}办事处移交" if rng.random() < 0.1 else "",
        ))
    with transaction.atomic():
        Record.objects.bulk_create(records, batch_size=2000)


def archivist_user():
    from accounts.models import Department, User
    from accounts.roles import Role, assign_role

    marketing = Department.objects.get(code="SCB")
    user, _ = User.objects.get_or_create(username="bench-archivist", defaults={"department": marketing})
    assign_role(user, Role.ARCHIVIST)
    return user


def peak_rss_mb(workers):
    """This process's peak plus `workers` times the largest worker's peak
    (children count once they have ended)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + workers * children) / 1024, own / 1024, children / 1024


class TreeRss:
    """Samples the resident memory of this process and its children
    together (the render processes run at once) every 0.1 s."""

    def __init__(self):
        self.peak_mb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _rss_kb(pid):
        try:
            with open(f"/proc/{pid}/status") as status:
                return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
        except (OSError, StopIteration):
            return 0

    @staticmethod
    def _children(pid):
        found = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as stat:
                        if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                            found.append(int(entry))
                except (OSError, IndexError, ValueError):
                    pass
        return found

    def _run(self):
        pid = os.getpid()
        while not self._stop.wait(0.1):
            total = self._rss_kb(pid) + sum(self._rss_kb(child) for child in self._children(pid))
            self.peak_mb = max(self.peak_mb, total / 1024)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join()


def cpu_seconds():
    """(this process, its ended children): user + system CPU time."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--rows-per-page", type=int, default=ROWS_PER_PAGE)
    parser.add_argument("--fresh", action="store_true", help="drop the seeded database first")
    parser.add_argument("--one-document", action="store_true",
                        help="render the whole register as one WeasyPrint document (the figure before chunks)")
    parser.add_argument("--chunk-rows", type=int, help="rows per chunk (default: TableRegister.chunk_rows)")
    parser.add_argument("--workers", type=int, help="render processes (default: TableRegister.pdf_workers)")
    parser.add_argument("--output", default=str(OUT / "register.pdf"))
    return parser.parse_args()


def prepare_database(args):
    """Django on the benchmark's database, seeded if new; the archivist."""
    rows = args.pages * args.rows_per_page
    name = f"registers-{rows}"
    if args.fresh:
        shutil.rmtree(OUT / name, ignore_errors=True)
    start_django(name=name)
    from records.models import Record

    existing = Record.objects.count()
    if existing and existing != rows:
        sys.exit(f"The database holds {existing:,} records, not {rows:,}; use --fresh.")
    if not existing:
        started = time.monotonic()
        seed(rows)
        print(f"seeded {rows:,} records of HT {YEAR} in {time.monotonic() - started:.1f} s", flush=True)
    return archivist_user()


def write_register(register, path, workers):
    """register.write_pdf on a file, as records.register_jobs does (with
    the job's own row limit); (seconds, the sampled peak of all processes)."""
    from django.conf import settings

    started = time.monotonic()
    last = [started]

    def progress(done, total):
        now = time.monotonic()
        print(f"  {done:>5} / {total or '?':<5} pages  {now - started:6.1f} s  (+{now - last[0]:.1f} s)  "
              f"peak RSS of this process {peak_rss_mb(workers)[1]:.0f} MB", flush=True)
        last[0] = now

    with TreeRss() as sampled, open(path, "wb") as output:
        register.write_pdf(output, progress=progress,
                           max_rows=getattr(settings, "ARCHIVE_REGISTER_MAX_PDF_ROWS", None))
    return time.monotonic() - started, sampled.peak_mb


def main():
    args = parse_args()
    user = prepare_database(args)
    from django.utils import translation
    from pypdf import PdfReader

    from records.models import Category
    from records.registers import catalogue_register

    with translation.override("zh-hans"):
        register = catalogue_register(user, category=Category.objects.get(code="HT"), year=YEAR)
        if args.one_document:
            register.chunk_rows = None
        if args.chunk_rows:
            register.chunk_rows = args.chunk_rows
        if args.workers is not None:
            register.pdf_workers = args.workers
        workers = register.pdf_workers if register.chunk_rows and register.pdf_workers > 1 else 0
        print(f"register: {register.row_count:,} rows, chunks of {register.chunk_rows or 'all'} rows, "
              f"{workers or 'no'} render processes", flush=True)
        cpu_before = cpu_seconds()
        seconds, sampled_mb = write_register(register, args.output, workers)

    pages = len(PdfReader(args.output).pages)
    total, own, child = peak_rss_mb(workers)
    cpu_own, cpu_children = (after - before for after, before in zip(cpu_seconds(), cpu_before))
    print(f"wrote {args.output}: {pages} pages, {pathlib.Path(args.output).stat().st_size / 1e6:.1f} MB")
    print(f"peak RSS: this process {own:.0f} MB, largest render process {child:.0f} MB; "
          f"the processes together at any one time (sampled): {sampled_mb:.0f} MB")
    print(f"CPU: this process {cpu_own:.1f} s, render processes {cpu_children:.1f} s, "
          f"{(cpu_own + cpu_children) / pages:.3f} s a page; load average {os.getloadavg()[0]:.1f}")
    print(f"registers pages={pages} seconds={seconds:.1f} pages_per_s={pages / seconds:.2f} peak_rss_mb={total:.0f}")


if __name__ == "__main__":
    main()
