"""Lending race benchmark (R-LEND-1: a record cannot be out twice).

Several processes (default 8) each hold one approved BORROW request for every
one of 50 records (one request per process and record, each from its own
borrower). They wait at a barrier, then all call the real service,
lending.services.loan_check_out, on every record in the same order. Counted
afterwards in the database: loans made, records lent more than once, and
errors (any exception other than LendingRefused).

    .venv/bin/python benchmarks/lending_race.py                      # SQLite under benchmarks/out/
    .venv/bin/python benchmarks/lending_race.py --processes 16 --records 200
    bash scripts/pg_cluster.sh sh -c \\
        '.venv/bin/python benchmarks/lending_race.py --database-url "$DATABASE_URL"'

Target: loans=<records> double_lent=0 errors=0 on both databases. The SQLite
database is made afresh on every run; on PostgreSQL each run adds its own
users and records, tagged, and counts only those.
"""
import argparse
import multiprocessing
import os
import shutil
import sys
import time
import uuid

from _setup import OUT, ROOT, start_django

NAME = "lending-race"


def configure(database_url):
    """What start_django does, minus migrate: the parent has migrated."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "archive_site.settings"
    os.environ.pop("DATABASE_URL", None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ["ARCHIVE_VAR_DIR"] = str(OUT / NAME)
    import django

    django.setup()


def prepare(processes, records, tag):
    """Filed records and, per process, a borrower with an approved request
    for each record. Returns the archivist's id, the record ids, and the
    request ids per process (in record order)."""
    from django.db import transaction

    from accounts.models import Department, User
    from accounts.roles import Role, assign_role
    from lending.models import RequestState
    from lending.services import request_create
    from records.models import Category, Record, RecordStatus, SecurityLevel
    from records.services import record_file

    archive = Department.objects.filter(owns_archive=True).first()
    if archive is None:
        archive = Department.objects.create(code="SCB", name="市场部", owns_archive=True)
    archivist = User.objects.create(username=f"race-archivist-{tag}", department=archive)
    assign_role(archivist, Role.ARCHIVIST)
    borrowers = []
    for index in range(processes):
        borrower = User.objects.create(username=f"race-borrower-{tag}-{index}", department=archive)
        assign_role(borrower, Role.STAFF)
        borrowers.append(borrower)
    category = Category.objects.get(code="HTDL")
    record_ids, request_ids = [], [[] for _ in range(processes)]
    with transaction.atomic():
        for number in range(records):
            record = Record(
                title=f"借阅竞争测试 {tag} 第{number + 1}号",
                category=category,
                year=2024,
                retention_years=30,
                security_level=SecurityLevel.INTERNAL,
                status=RecordStatus.SUBMITTED,
                department=archive,
                pages=3,
            )
            record.save()
            record = record_file(record=record, by=archivist)
            record_ids.append(record.pk)
            for index, borrower in enumerate(borrowers):
                request = request_create(
                    requester=borrower, record=record, kind="borrow", days=2, purpose="借阅竞争测试"
                )
                if request.state != RequestState.APPROVED:
                    raise SystemExit(f"set-up: request {request.pk} is {request.state}, not approved")
                request_ids[index].append(request.pk)
    return archivist.pk, record_ids, request_ids


def worker(index, database_url, archivist_id, request_ids, barrier, results):
    configure(database_url)
    from django.db import connection

    from accounts.models import User
    from lending.exceptions import LendingRefused
    from lending.models import LoanRequest
    from lending.services import loan_check_out

    archivist = User.objects.get(pk=archivist_id)
    by_pk = LoanRequest.objects.in_bulk(request_ids)
    requests = [by_pk[pk] for pk in request_ids]
    loans = refused = 0
    errors = []
    barrier.wait()
    started = time.perf_counter()
    for request in requests:
        try:
            loan_check_out(request=request, by=archivist)
        except LendingRefused:
            refused += 1
        except Exception as exc:  # counted as an error: the race must only ever refuse
            errors.append(f"{type(exc).__name__}: {exc}")
        else:
            loans += 1
    elapsed = time.perf_counter() - started
    connection.close()
    results.put((index, loans, refused, errors, elapsed))


def count(record_ids):
    from django.db.models import Count

    from lending.models import Loan

    loans = Loan.objects.filter(record_id__in=record_ids)
    double = loans.values("record").annotate(n=Count("pk")).filter(n__gt=1).count()
    open_records = loans.filter(returned_at__isnull=True).values("record").distinct().count()
    return loans.count(), double, open_records


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--records", type=int, default=50)
    parser.add_argument("--database-url", default=None, help="e.g. postgres://…; default: SQLite under benchmarks/out/")
    args = parser.parse_args()

    if not args.database_url:
        shutil.rmtree(OUT / NAME, ignore_errors=True)
    set_up_started = time.perf_counter()
    start_django(args.database_url, NAME)
    from django.db import connection

    backend = connection.vendor
    tag = uuid.uuid4().hex[:8]
    archivist_id, record_ids, request_ids = prepare(args.processes, args.records, tag)
    set_up = time.perf_counter() - set_up_started
    connection.close()

    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(args.processes)
    results = context.Queue()
    processes = [
        context.Process(
            target=worker, args=(index, args.database_url, archivist_id, request_ids[index], barrier, results)
        )
        for index in range(args.processes)
    ]
    wall_started = time.perf_counter()
    for process in processes:
        process.start()
    rows = []
    for _ in processes:
        rows.append(results.get(timeout=600))
    for process in processes:
        process.join()
    wall = time.perf_counter() - wall_started

    loans, double_lent, open_records = count(record_ids)
    errors = [error for row in rows for error in row[3]]
    crashed = [process.exitcode for process in processes if process.exitcode != 0]
    attempts = args.processes * args.records
    print(f"backend={backend} processes={args.processes} records={args.records} attempts={attempts} "
          f"set_up_s={set_up:.1f}")
    for index, made, refused, errs, elapsed in sorted(rows):
        print(f"  process {index}: loans={made} refused={refused} errors={len(errs)} elapsed_s={elapsed:.2f}")
    print(f"wall_s={wall:.2f} (with start-up) records_out={open_records} "
          f"refused={sum(row[2] for row in rows)} crashed_processes={len(crashed)}")
    for error in errors[:5]:
        print(f"  error: {error}")
    print(f"lending_race loans={loans} double_lent={double_lent} errors={len(errors) + len(crashed)} backend={backend}")


if __name__ == "__main__":
    main()
