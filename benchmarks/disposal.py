"""Year-end disposal benchmark (issue 12, R-DISP-1..3).

Seeds --records catalogued records of which a known share is due at the end
of the appraisal year (last year: retention ends on or before 31 December),
some of them held (records.services.holds), some on loan
(records.services.custody.record_check_out, as lending hands a record out)
and every due one with a small electronic file on disk (records.Attachment,
in the benchmark's own storage). The benchmark writes down what it seeded
(manifest.json) and counts due, held and on loan from that, not from the
app. Then, through the disposal app's services as the screens call them:

    disposal.queries.appraisal(year)                the appraisal screen's read
    list_create, list_add_items                     the year-end list   } seconds_list
    list_submit, list_approve (head, leadership)
    destruction_record, witness_confirm x 2
    list_execute                                    R-DISP-3            } seconds_destroy
      + records.files.removal after the commit                        }
    the destruction certificate PDF as a background job                 seconds_pdf

    .venv/bin/python benchmarks/disposal.py --records 100000
    .venv/bin/python benchmarks/disposal.py --records 2000 --profile   # cProfile of list and execution

The seeded database and files are kept in benchmarks/out/disposal-<N>-seed/
and copied to benchmarks/out/disposal-<N>/ for each run (a run destroys
what it lists); --fresh seeds anew, as does a change of the shares seeded.

Last line: disposal due=… listed=… held_kept=… on_loan_kept=… destroyed=…
files_left=… tombstones=… seconds_list=… seconds_destroy=… pdf_pages=… seconds_pdf=…
(targets on 2 cores: listed = due - held - on loan, files_left = 0,
tombstones = destroyed, seconds_list < 10, seconds_destroy < 120 for at
least 10,000 records).
"""
import argparse
import cProfile
import io
import json
import os
import pathlib
import pstats
import shutil
import sys
import threading
import time
from contextlib import contextmanager

from _disposal_seed import SHARES, TODAY, YEAR, seed
from _setup import OUT, peak_rss_mb, start_django


def prepare(args):
    """Django on a fresh copy of the seeded database and files; seeds them
    first when there is no copy. Returns the manifest."""
    run_dir, seed_dir = OUT / f"disposal-{args.records}", OUT / f"disposal-{args.records}-seed"
    seeded = seed_dir / "manifest.json"
    if args.fresh or (seeded.exists() and json.loads(seeded.read_text()).get("shares") != SHARES):
        shutil.rmtree(seed_dir, ignore_errors=True)
    shutil.rmtree(run_dir, ignore_errors=True)
    if seeded.exists():
        shutil.copytree(seed_dir, run_dir)
    os.environ.setdefault("ARCHIVE_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    start_django(name=run_dir.name)
    if not (run_dir / "manifest.json").exists():
        from django.db import connections

        print(f"Seeding {args.records:,} records in {seed_dir} (once; --fresh seeds again)…", flush=True)
        seed(args.records, run_dir)
        connections.close_all()
        shutil.copytree(run_dir, seed_dir, ignore=shutil.ignore_patterns("job_tmp", "jobs"))
    return json.loads((run_dir / "manifest.json").read_text())


# -- measuring -------------------------------------------------------------------


class Queries:
    """Counts the statements run inside the block."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@contextmanager
def measured(label, profile=False, timings=None):
    from django.db import connection

    queries, profiler = Queries(), cProfile.Profile() if profile else None
    started, cpu_started = time.monotonic(), time.process_time()
    with connection.execute_wrapper(queries):
        if profiler:
            profiler.enable()
        try:
            yield
        finally:
            if profiler:
                profiler.disable()
    seconds, cpu = time.monotonic() - started, time.process_time() - cpu_started
    if timings is not None:
        timings[label] = seconds
    print(f"  {label:<40} {seconds:8.2f} s  (CPU {cpu:7.2f} s)  {queries.count:>8,} queries", flush=True)
    if profiler:
        text = io.StringIO()
        profiler.dump_stats(OUT / f"disposal-profile-{label.split()[0].rstrip(',')}.prof")
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(30)
        (OUT / f"disposal-profile-{label.split()[0].rstrip(',')}.txt").write_text(text.getvalue())
        print("\n".join(text.getvalue().splitlines()[:55]), flush=True)


def candidates(year):
    """(listable ids, {id: [reasons]}, the function asked): what the
    appraisal screen reads (disposal.queries.appraisal), or the services'
    selector when the screens are not there."""
    try:
        from disposal.queries import appraisal
    except ImportError:
        from disposal.selectors import appraisal_candidates

        return (*appraisal_candidates(year), "disposal.selectors.appraisal_candidates")
    result = appraisal(year)
    return result.listable, result.problems, "disposal.queries.appraisal"


def build_list(people, profile, timings):
    """The appraisal screen's candidates, then a new list of all of them,
    in one transaction as the screen's "add all" does."""
    from django.db import transaction

    from disposal.models import ItemAction, ListKind
    from disposal.services import list_add_items, list_create

    started = time.monotonic()
    with measured("appraisal (the screen's query)", profile, timings):
        listable, problems, source = candidates(YEAR)
    with measured("list_create + list_add_items", profile, timings), transaction.atomic():
        disposal_list = list_create(kind=ListKind.APPRAISAL, year=YEAR, by=people["archivist"],
                                    opinion=f"{YEAR}年度到期档案经鉴定已无保存价值，拟予销毁。")
        items = list_add_items(disposal_list=disposal_list, records=listable, by=people["archivist"],
                               action=ItemAction.DESTROY)
    seconds = time.monotonic() - started
    print(f"  (candidates from {source})")
    reasons = {}
    for texts in problems.values():
        for text in texts:
            reasons[text] = reasons.get(text, 0) + 1
    print(f"  candidates: {len(listable):,} listable, {len(problems):,} kept apart: "
          + ", ".join(f"{text} {count:,}" for text, count in sorted(reasons.items())), flush=True)
    return disposal_list, len(items), len(listable) + len(problems), seconds


def approve_and_witness(disposal_list, people, timings):
    from disposal.models import DestructionMethod
    from disposal.services import destruction_record, list_approve, list_submit, witness_confirm

    with measured("list_submit", timings=timings):
        disposal_list = list_submit(disposal_list=disposal_list, by=people["archivist"])
    with measured("list_approve (department head)", timings=timings):
        disposal_list = list_approve(disposal_list=disposal_list, by=people["head"])
    with measured("list_approve (leadership)", timings=timings):
        disposal_list = list_approve(disposal_list=disposal_list, by=people["leader"])
    with measured("destruction_record + witness_confirm x2", timings=timings):
        destruction = destruction_record(
            disposal_list=disposal_list, by=people["archivist"], date=TODAY, place="档案室销毁间",
            method=DestructionMethod.BOTH, executor=people["archivist"],
            witnesses=[people["witness-1"], people["witness-2"]],
        )
        for witness in destruction.witnesses.filter(replaced_at__isnull=True).select_related("user"):
            witness_confirm(witness=witness, by=witness.user)
    return disposal_list


def execute(disposal_list, people, profile, timings):
    """list_execute in its own transaction, then the commit that removes
    the files' bytes (records.files.removal, on commit), then a second
    removal run that must find nothing left."""
    from django.db import transaction

    from disposal.services import list_execute
    from records.files.removal import remove_destroyed_files

    started = time.monotonic()
    # The caller's transaction (as a view's would be): its commit is timed
    # apart, with the removal of the bytes that runs on commit.
    block = transaction.atomic()
    block.__enter__()
    try:
        with measured("list_execute", profile, timings):
            disposal_list = list_execute(disposal_list=disposal_list, by=people["archivist"])
    except BaseException:
        block.__exit__(*sys.exc_info())
        raise
    with measured("commit, then the bytes removed on commit", profile, timings):
        block.__exit__(None, None, None)
    seconds = time.monotonic() - started
    with measured("remove_destroyed_files (a later run)", timings=timings):
        removed, failed = remove_destroyed_files()
    if removed or failed:
        print(f"MISMATCH the removal after commit left {removed:,} files to a later run, {len(failed)} failed")
    return disposal_list, seconds


@contextmanager
def progress_of(job_pk, started, every=30):
    """Prints the job's progress (pages done of the estimate) every
    `every` seconds from another thread, as "My jobs" shows it."""
    from django.db import connection

    from jobs.models import Job

    stop = threading.Event()

    def watch():
        while not stop.wait(every):
            done, total = Job.objects.filter(pk=job_pk).values_list("done", "total").get()
            print(f"  … {done or 0} / {total or '?'} pages ({time.monotonic() - started:.0f} s)", flush=True)
        connection.close()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield
    finally:
        stop.set()
        watcher.join()


def certificate_pdf(disposal_list, people):
    """档案销毁清册 / 销毁证明 through the background job's code path: the
    job is queued as the register page queues it and run in this process
    as the worker runs it (jobs.runner.execute_job)."""
    from pypdf import PdfReader

    try:
        from disposal.registers import destruction_certificate
    except ImportError:
        print("  no certificate: disposal.registers is not there yet")
        return 0, 0.0
    from jobs.models import Job
    from jobs.runner import execute_job
    from jobs.services import job_start
    from records.register_jobs import PDF_JOB

    started = time.monotonic()
    job = job_start(kind=PDF_JOB, owner=people["archivist"], title=f"销毁清册 {disposal_list.number}",
                    params={"register": "disposal_certificate",
                            "query": {"list": [str(disposal_list.pk)], "format": ["pdf"]}},
                    language="zh-hans")
    with progress_of(job.pk, started):
        execute_job(str(job.pk))
    seconds = time.monotonic() - started
    job = Job.objects.get(pk=job.pk)
    if job.failure or not job.result_file:
        print(f"MISMATCH the certificate job failed: {job.failure or 'no file'}")
        return 0, seconds
    with job.result_file.open("rb") as pdf:
        pages = len(PdfReader(pdf).pages)
    rows = destruction_certificate(people["archivist"], disposal_list).row_count
    print(f"  certificate: {rows:,} records, {pages} pages, {job.result_file.size / 1e6:.1f} MB, {seconds:.1f} s "
          f"({pages / seconds:.2f} pages/s)", flush=True)
    if rows != disposal_list.items.filter(carried_out_at__isnull=False).count():
        print(f"MISMATCH the certificate lists {rows:,} records, not every one destroyed")
    return pages, seconds


# -- counting ------------------------------------------------------------------


def expected(manifest):
    """The benchmark's own arithmetic from what it seeded."""
    due = manifest["due"]
    ids = {fate: set(pks) for fate, pks in due.items()}
    every = set().union(*ids.values())
    held, on_loan = ids.get("held", set()), ids.get("on_loan", set())
    return {"due": every, "held": held, "on_loan": on_loan, "destroy": every - held - on_loan}


def outcome(manifest, plan):
    """What the run left: counted in the database and on disk."""
    from django.conf import settings

    from records.models import Attachment, Record, RecordStatus

    destroyed = set(Record.objects.filter(status=RecordStatus.DESTROYED).values_list("pk", flat=True))
    statuses = dict(Record.objects.filter(pk__in=plan["held"] | plan["on_loan"]).values_list("pk", "status"))
    root = pathlib.Path(settings.PRIVATE_MEDIA_ROOT)
    files = {int(pk): root / name for pk, name in manifest["files"].items()}
    return {
        "destroyed": destroyed,
        "held_kept": sum(statuses[pk] != RecordStatus.DESTROYED for pk in plan["held"]),
        "on_loan_kept": sum(statuses[pk] == RecordStatus.ON_LOAN for pk in plan["on_loan"]),
        "files_left": sum(path.exists() for pk, path in files.items() if pk in destroyed),
        "files_lost": sum(not path.exists() for pk, path in files.items() if pk not in destroyed),
        "tombstones": Attachment.objects.filter(destroyed_at__isnull=False).count(),
        "bytes_pending": Attachment.objects.filter(destroyed_at__isnull=False, bytes_removed_at__isnull=True).count(),
    }


def check(plan, found, listed, app_due):
    """MISMATCH lines for every figure off its target."""
    due, held, on_loan = len(plan["due"]), len(plan["held"]), len(plan["on_loan"])
    problems = []
    if app_due != due:
        problems.append(f"the appraisal screen found {app_due:,} due, the seeding made {due:,}")
    if listed != due - held - on_loan:
        problems.append(f"listed={listed:,} but due - held - on loan = {due - held - on_loan:,}")
    if found["destroyed"] != plan["destroy"]:
        problems.append(f"{len(found['destroyed'] - plan['destroy']):,} records destroyed that should not be, "
                        f"{len(plan['destroy'] - found['destroyed']):,} not destroyed that should be")
    if found["held_kept"] != held or found["on_loan_kept"] != on_loan:
        problems.append(f"kept {found['held_kept']:,} of {held:,} held and {found['on_loan_kept']:,} of {on_loan:,} on loan")
    if found["files_left"] or found["bytes_pending"]:
        problems.append(f"{found['files_left']:,} destroyed files still on disk, {found['bytes_pending']:,} rows pending")
    if found["files_lost"]:
        problems.append(f"{found['files_lost']:,} files of records not destroyed are gone")
    if found["tombstones"] != len(found["destroyed"]):
        problems.append(f"tombstones={found['tombstones']:,} but destroyed={len(found['destroyed']):,}")
    for problem in problems:
        print(f"MISMATCH {problem}")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--fresh", action="store_true", help="seed the database and files anew")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile the list's building and the execution (benchmarks/out/disposal-profile-*.txt)")
    parser.add_argument("--no-pdf", action="store_true", help="skip the certificate")
    return parser.parse_args()


def main():
    args = parse_args()
    manifest = prepare(args)
    from accounts.models import User

    people = {user.username.removeprefix("bench-"): user for user in User.objects.filter(username__startswith="bench-")}
    plan = expected(manifest)
    print(f"{args.records:,} records; appraisal year {YEAR}: seeded {len(plan['due']):,} due, of which "
          f"{len(plan['held']):,} held, {len(plan['on_loan']):,} on loan, "
          f"{len(manifest['due'].get('released', [])):,} with a released hold; load average {os.getloadavg()[0]:.1f}",
          flush=True)
    timings = {}
    disposal_list, listed, app_due, seconds_list = build_list(people, args.profile, timings)
    disposal_list = approve_and_witness(disposal_list, people, timings)
    disposal_list, seconds_destroy = execute(disposal_list, people, args.profile, timings)
    pages, seconds_pdf = (0, 0.0) if args.no_pdf else certificate_pdf(disposal_list, people)
    found = outcome(manifest, plan)
    check(plan, found, listed, app_due)
    print(f"peak RSS {peak_rss_mb():.0f} MB; load average {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    print(f"disposal due={len(plan['due'])} listed={listed} held_kept={found['held_kept']} "
          f"on_loan_kept={found['on_loan_kept']} destroyed={len(found['destroyed'])} files_left={found['files_left']} "
          f"tombstones={found['tombstones']} seconds_list={seconds_list:.1f} seconds_destroy={seconds_destroy:.1f} "
          f"pdf_pages={pages} seconds_pdf={seconds_pdf:.1f}")


if __name__ == "__main__":
    sys.exit(main())
