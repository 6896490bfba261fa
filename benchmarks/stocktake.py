"""Year-end stocktake benchmark (issue 13, R-INV-1, R-INV-2).

Seeds --records records in --boxes boxes (benchmarks/_stocktake_seed.py)
with a known truth of what each shelf holds: some records missing from
their box, some misplaced into another box, some extra ones (filed in no
box) lying on a shelf, some damaged, some on loan (most out, a few on the
shelf all the same: a conflict), a few codes that are no record, and some
items scanned a second time by a second archivist. The truth is counted
by the seed from what it planted, not read from the app. Then, through
the inventory app's services as the screens call them:

    inventory.services.stocktake_open(locations=[])   the whole archive        seconds_open
    inventory.services.scan_record, every shelf         the counting screen's    scans_per_s
      (one transaction a scan, as each POST is)
    inventory.services.unit_mark_counted, every box
    inventory.selectors.reconciliation                  every count checked against the truth
    inventory.registers.render_stocktake_report(unit=one box, pdf)                seconds_report

    .venv/bin/python benchmarks/stocktake.py --records 100000 --boxes 2000
    .venv/bin/python benchmarks/stocktake.py --records 5000 --boxes 100 --profile   # cProfile of 200 scans

The seeded database is kept in benchmarks/out/stocktake-<N>-<B>-seed/ and
copied to benchmarks/out/stocktake-<N>-<B>/ for each run (opening a
stocktake changes it); --fresh seeds anew.

Last line: stocktake expected=… found=… missing=… misplaced=… extra=…
truth_missing=… truth_misplaced=… truth_extra=… seconds_open=…
scans_per_s=… seconds_report=… (targets on 2 cores: every count equals
its truth, seconds_open < 10, scans_per_s >= 200, seconds_report < 3).
Exits non-zero when a count differs from its truth.
"""
import argparse
import cProfile
import io
import json
import os
import pstats
import shutil
import sys
import time

from _setup import OUT, start_django
from _stocktake_seed import SHARES, seed

PROGRESS_EVERY = 30  # seconds


def prepare(args):
    """Django on a fresh copy of the seeded database; seeds it first when
    there is no copy. Returns the manifest."""
    name = f"stocktake-{args.records}-{args.boxes}"
    run_dir, seed_dir = OUT / name, OUT / f"{name}-seed"
    if args.fresh:
        shutil.rmtree(seed_dir, ignore_errors=True)
    shutil.rmtree(run_dir, ignore_errors=True)
    if (seed_dir / "manifest.json").exists():
        shutil.copytree(seed_dir, run_dir)
    os.environ.setdefault("ARCHIVE_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    start_django(name=run_dir.name)
    if not (run_dir / "manifest.json").exists():
        from django.db import connections

        print(f"Seeding {args.records:,} records in {args.boxes:,} boxes in {seed_dir} (once; --fresh seeds again)…",
              flush=True)
        seed(args.records, args.boxes, run_dir)
        connections.close_all()
        shutil.copytree(run_dir, seed_dir, ignore=shutil.ignore_patterns("job_tmp", "jobs"))
    manifest = json.loads((run_dir / "manifest.json").read_text())
    if manifest["shares"][0] != SHARES:
        sys.exit("The seed was made with other shares: run again with --fresh.")
    return manifest


class Queries:
    """Counts the statements run while installed as an execute wrapper."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def commit_floor(count=100):
    """Milliseconds one committed write costs on this disk, nothing else
    done: SQLite with synchronous=FULL (the default) syncs the WAL at each
    commit, so a process commits at most 1000 / this many scans a second."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_commit_probe (n integer)")
    started = time.monotonic()
    for n in range(count):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_commit_probe (n) VALUES (%s)", [n])
    return (time.monotonic() - started) * 1000 / count


def open_stocktake(archivist):
    from django.db import connection
    from django.utils import timezone

    from inventory.services import stocktake_open

    queries = Queries()
    started = time.monotonic()
    with connection.execute_wrapper(queries):
        stocktake = stocktake_open(year=timezone.localdate().year, locations=[], by=archivist)
    seconds = time.monotonic() - started
    print(f"  stocktake_open {stocktake.number}: {seconds:.2f} s, {queries.count:,} statements", flush=True)
    return stocktake, seconds


def scan_everything(stocktake, shelves, people, profile_first=0):
    """Every shelf's content through scan_record, one transaction a scan;
    returns (scans, seconds, outcomes counted)."""
    from collections import Counter

    from django.db import connection

    from inventory.models import StocktakeUnit
    from inventory.services import scan_record

    units = {unit.location_id: unit for unit in StocktakeUnit.objects.filter(stocktake=stocktake)}
    total = sum(len(items) for items in shelves.values())
    outcomes, done, queries = Counter(), 0, Queries()
    profiler = cProfile.Profile() if profile_first else None
    started = last_report = time.monotonic()
    cpu_started = time.process_time()
    with connection.execute_wrapper(queries):
        for box, items in shelves.items():
            unit = units[int(box)]
            for code, condition, second in items:
                if profiler and done == 0:
                    profiler.enable()
                scan = scan_record(unit=unit, code=code, by=people[second], condition=condition)
                outcomes[scan.outcome] += 1
                done += 1
                if profiler and done == profile_first:
                    profiler.disable()
                    _print_profile(profiler, done)
                    profiler = None
                if time.monotonic() - last_report > PROGRESS_EVERY:
                    last_report = time.monotonic()
                    rate = done / (last_report - started)
                    print(f"  … {done:,} of {total:,} scans, {rate:.0f} scans/s, "
                          f"load average {os.getloadavg()[0]:.2f}", flush=True)
    seconds, cpu = time.monotonic() - started, time.process_time() - cpu_started
    print(f"  {done:,} scans in {seconds:.1f} s: {done / seconds:.0f} scans/s, CPU {cpu * 1000 / done:.2f} ms a scan, "
          f"{queries.count / max(done, 1):.2f} statements a scan", flush=True)
    print(f"  outcomes: {', '.join(f'{outcome} {n:,}' for outcome, n in sorted(outcomes.items()))}", flush=True)
    return done, seconds, outcomes


def _print_profile(profiler, scans):
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(35)
    (OUT / "stocktake-profile.txt").write_text(text.getvalue())
    print(f"  cProfile of the first {scans} scans (benchmarks/out/stocktake-profile.txt):", flush=True)
    print("\n".join(text.getvalue().splitlines()[:60]), flush=True)


def mark_counted(stocktake, archivist):
    from inventory.models import StocktakeUnit
    from inventory.services import unit_mark_counted

    started = time.monotonic()
    units = list(StocktakeUnit.objects.filter(stocktake=stocktake))
    for unit in units:
        unit_mark_counted(unit=unit, by=archivist)
    print(f"  {len(units):,} boxes marked counted in {time.monotonic() - started:.1f} s", flush=True)


def reconcile(stocktake, truth, outcomes):
    """The reconciliation's totals beside the truth; the names that differ."""
    from dataclasses import asdict

    from inventory.models import ScanOutcome
    from inventory.selectors import reconciliation

    started = time.monotonic()
    per_unit, total = reconciliation(stocktake)
    print(f"  reconciliation of {len(per_unit):,} boxes: {time.monotonic() - started:.2f} s", flush=True)
    reported = asdict(total)
    reported["unknown"] = outcomes[ScanOutcome.UNKNOWN]
    reported["twice"] = outcomes[ScanOutcome.ALREADY_COUNTED]
    differing = []
    for name, expected in truth.items():
        mark = "" if reported[name] == expected else "   MISMATCH"
        print(f"  {name:<10} reported {reported[name]:>8,}   truth {expected:>8,}{mark}", flush=True)
        if mark:
            differing.append(name)
    return total, differing


def render_report(stocktake):
    """Seconds to render one box's stocktake report as a PDF, or None when
    inventory.registers.render_stocktake_report is not there yet."""
    try:
        from inventory.registers import render_stocktake_report
    except ImportError as error:
        print(f"  report: not measured ({error})", flush=True)
        return None
    from inventory.models import StocktakeUnit

    unit = StocktakeUnit.objects.filter(stocktake=stocktake).order_by("location__full_code").first()
    started = time.monotonic()
    pdf = render_stocktake_report(stocktake, unit=unit, file_format="pdf")
    seconds = time.monotonic() - started
    (OUT / "stocktake-report.pdf").write_bytes(pdf)
    print(f"  report of box {unit.location.full_code}: {len(pdf):,} bytes in {seconds:.2f} s "
          f"(benchmarks/out/stocktake-report.pdf)", flush=True)
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--boxes", type=int, default=2_000)
    parser.add_argument("--fresh", action="store_true", help="seed again")
    parser.add_argument("--profile", action="store_true", help="cProfile of the first 200 scans")
    parser.add_argument(
        "--synchronous", choices=["normal"],
        help="SQLite only: PRAGMA synchronous=NORMAL for this run (no sync of the WAL at each commit), to see "
        "what the code does apart from the disk; the site runs with the default (FULL)",
    )
    args = parser.parse_args()
    manifest = prepare(args)
    from django.db import connection

    if args.synchronous and connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=NORMAL")
        print("  PRAGMA synchronous=NORMAL for this run (not the site's setting)", flush=True)
    if connection.vendor == "sqlite":
        floor = commit_floor()
        print(f"  one committed write on this disk: {floor:.2f} ms (at most {1000 / floor:.0f} commits/s)", flush=True)
    from accounts.models import User

    people = {False: User.objects.get(username="bench-archivist"), True: User.objects.get(username="bench-archivist-2")}
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} at the start", flush=True)
    stocktake, seconds_open = open_stocktake(people[False])
    scans, seconds_scans, outcomes = scan_everything(stocktake, manifest["shelves"], people, 200 if args.profile else 0)
    mark_counted(stocktake, people[False])
    total, differing = reconcile(stocktake, manifest["truth"], outcomes)
    seconds_report = render_report(stocktake)
    truth = manifest["truth"]
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} at the end", flush=True)
    if differing:
        print(f"MISMATCH: {', '.join(differing)} differ from the truth", flush=True)
    print(
        f"stocktake expected={total.expected} found={total.found} missing={total.missing} misplaced={total.misplaced} "
        f"extra={total.extra} truth_missing={truth['missing']} truth_misplaced={truth['misplaced']} "
        f"truth_extra={truth['extra']} seconds_open={seconds_open:.2f} scans_per_s={scans / seconds_scans:.1f} "
        f"seconds_report={'NA' if seconds_report is None else f'{seconds_report:.2f}'}",
        flush=True,
    )
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
