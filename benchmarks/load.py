"""Load benchmark (issue 11): signed-in users against the production server.

Builds (once) a database of 100,000 records with search.py's generator under
benchmarks/out/load-<N>/, starts gunicorn with deploy/gunicorn.conf.py and
production settings on 127.0.0.1, signs 50 staff users in through the login
form, then runs locust headless twice against the same server:

1. baseline: the users request the health view (/healthz, no database);
2. pages: the users request the record list, a search for a 2-character word
   (合同), a record page and the home page, in equal shares.

Each user waits 0.5-1.5 s between requests (--wait), so 50 users offer about
50 requests/s: the baseline shows what the server delivers when a request
costs nothing, the pages run whether it keeps up with real pages. A response
counts as an error unless it is 200 and shows the signed-in user's menu.

    .venv/bin/python benchmarks/load.py                  # 100,000 records, 50 users, 30 s
    .venv/bin/python benchmarks/load.py --users 50 --seconds 30 --workers 3
    .venv/bin/python benchmarks/load.py --wait 0 0       # no pause: the server's capacity

locust runs in its own process and virtualenv (var/bench-venv, made and filled
with the version of pyproject's "bench" extra on first use), since importing
it beside the site's libraries failed (shared/docs/pitfalls.md). This file is
also the locustfile: the user classes at the end exist where locust imports.
Ends with `load users=… rps=… p95_ms=… errors=… baseline_rps=…`; targets:
errors = 0, rps >= half of baseline_rps, p95 <= 300 ms.
"""
import argparse
import csv
import http.client
import itertools
import json
import os
import pathlib
import random
import re
import subprocess
import sys
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

try:
    import locust
except ImportError:  # the site's virtualenv: this file drives the benchmark
    locust = None

ROOT = pathlib.Path(__file__).resolve().parent.parent
PLAN_VARIABLE = "ARCHIVE_LOAD_PLAN"
SIGNED_IN = 'class="user-menu__name"'
SEARCH_WORD = "合同"
SEARCH_PATH = "/records/?" + urlencode({"q": SEARCH_WORD})
# The name each request is reported under (the record page: any /records/<id>/).
PAGE_NAMES = {"/healthz": "baseline: /healthz", "/": "home page", "/records/": "record list",
              SEARCH_PATH: f"search {SEARCH_WORD}"}
RECORD_PAGE = "record page"
PASSWORD = "load-bench-2026"
# Production settings for the server and for this process (the same keys, so
# what one writes the other reads); never used outside benchmarks/out/.
SERVER_SETTINGS = {
    "ARCHIVE_ENV": "production",
    "ARCHIVE_SECRET_KEY": "load-benchmark-only-7c1f0e9a4b2d8c6e5f3a1b0d9e8c7f6a5b4c3d2e1f0a9b8c7d6e",
    "ARCHIVE_ALLOWED_HOSTS": "127.0.0.1",
    "ARCHIVE_FIELD_KEY": "bG9hZC1iZW5jaG1hcmstb25seS1maWVsZC1rZXkhISE=",
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=30, help="length of the pages run")
    parser.add_argument("--baseline-seconds", type=int, default=15)
    parser.add_argument("--wait", type=float, nargs=2, default=(0.5, 1.5), metavar=("MIN", "MAX"),
                        help="seconds each user waits between requests")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: deploy/gunicorn.conf.py's)")
    parser.add_argument("--port", type=int, default=18765)
    parser.add_argument("--bench-venv", type=pathlib.Path, default=ROOT / "var" / "bench-venv")
    parser.add_argument("--fresh", action="store_true", help="generate the database anew")
    return parser.parse_args()


# --- locust in its own virtualenv ---------------------------------------------

def ensure_locust(venv):
    """The path of a locust of pyproject's pinned version, installed on first use."""
    with open(ROOT / "pyproject.toml", "rb") as file:
        pinned = next(d for d in tomllib.load(file)["project"]["optional-dependencies"]["bench"]
                      if d.startswith("locust"))
    program = venv / "bin" / "locust"
    version = pinned.split("==")[1]
    if program.exists() and version in subprocess.run([program, "--version"], capture_output=True, text=True).stdout:
        return program
    print(f"Installing {pinned} into {venv}…", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", pinned], check=True)
    return program


# --- the database ---------------------------------------------------------------

def prepare_database(args):
    """(usernames, record ids the users may open), generating the records first
    when the database is new."""
    from _setup import OUT, start_django

    name = f"load-{args.records}"
    if args.fresh:
        import shutil

        shutil.rmtree(OUT / name, ignore_errors=True)
    os.environ.update(SERVER_SETTINGS, ARCHIVE_ENV="development")
    start_django(None, name)
    from records.models import Record

    from _schema import missing_indexes

    missing = missing_indexes()
    if missing:
        sys.exit(f"The database lacks indexes the models declare ({', '.join(missing)}): it was built by an "
                 "earlier version of a migration; use --fresh.")
    existing = Record.objects.count()
    if existing and existing != args.records:
        sys.exit(f"The database holds {existing:,} records, not {args.records:,}; use --fresh or another --records.")
    if not existing:
        generate(args.records)
    usernames = make_users(args.users)
    # The planner's statistics, as migration records 0014 and the daily
    # upkeep gather them: a database filled after `migrate` has none that fit.
    from records.maintenance.statistics import refresh_planner_statistics

    refresh_planner_statistics()
    return OUT / name, usernames, visible_record_ids(usernames[0])


def generate(count):
    from search import build_index, generate as generate_records

    print(f"Generating {count:,} records…", flush=True)
    generate_records(count)
    stamp_filing_dates()
    seconds = build_index()
    print(f"Search index built in {seconds:.0f} s", flush=True)


def stamp_filing_dates():
    """search.py's records carry no filing time; the home page and the record
    list show the latest filed, so give each one a day after its document."""
    import datetime

    from django.db import transaction
    from django.utils import timezone

    from records.models import Record

    ids = list(Record.objects.order_by("pk").values_list("pk", "document_date"))
    for start in range(0, len(ids), 5000):
        rows = [Record(pk=pk, filed_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(10))
                                                           + datetime.timedelta(days=1, seconds=pk % 3600)))
                for pk, day in ids[start:start + 5000]]
        with transaction.atomic():
            Record.objects.bulk_update(rows, ["filed_at"])


def make_users(count):
    """bench-load-01… : staff of the archive's department, one password."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import Department, User
    from accounts.roles import Role, assign_role

    marketing = Department.objects.get(owns_archive=True)
    password = make_password(PASSWORD)
    usernames = [f"bench-load-{number:02d}" for number in range(1, count + 1)]
    for username in usernames:
        user, _created = User.objects.update_or_create(
            username=username, defaults={"department": marketing, "password": password, "full_name": username}
        )
        assign_role(user, Role.STAFF)
    return usernames


def visible_record_ids(username, sample=1000):
    from accounts.models import User
    from records.selectors import visible_records

    ids = list(visible_records(User.objects.get(username=username)).values_list("pk", flat=True))
    return random.Random(11).sample(ids, min(sample, len(ids)))


# --- the server -------------------------------------------------------------------

def server_environment(var_dir, args):
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("ARCHIVE_", "DJANGO_")) and name != "DATABASE_URL"}
    env.update(SERVER_SETTINGS, ARCHIVE_VAR_DIR=str(var_dir), ARCHIVE_WEB_BIND=f"127.0.0.1:{args.port}",
               ARCHIVE_WEB_ACCESS_LOG=str(var_dir / "access.log"))
    if args.workers:
        env["ARCHIVE_WEB_WORKERS"] = str(args.workers)
    return env


def start_server(var_dir, args):
    log = open(var_dir / "gunicorn.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
        cwd=ROOT, env=server_environment(var_dir, args), stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped:\n{(var_dir / 'gunicorn.log').read_text()}")
        try:
            if request(args.port, "GET", "/healthz")[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit("gunicorn did not answer within 60 s")


def request(port, method, path, *, cookies=None, form=None):
    """(status, {cookie: value}, text) of one request as the proxy sends it."""
    headers = {"X-Forwarded-Proto": "https"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    body = None
    if form is not None:
        body = urlencode(form)
        headers.update({"Content-Type": "application/x-www-form-urlencoded", "Origin": f"https://127.0.0.1:{port}"})
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", errors="replace")
    finally:
        connection.close()
    received = dict(re.match(r"([^=]+)=([^;]*)", raw).groups() for raw in response.headers.get_all("Set-Cookie") or ())
    return response.status, received, text


def sign_in(port, username):
    """The cookies of a session opened through the login form."""
    _status, cookies, page = request(port, "GET", "/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
    status, received, _text = request(port, "POST", "/accounts/login/", cookies=cookies, form=form)
    if status != 302 or "sessionid" not in received:
        sys.exit(f"{username} could not sign in (HTTP {status})")
    return {**cookies, **received}


def warm_up(port, cookies, record_ids):
    """Every page is rendered a few times before anything is measured."""
    for path in ["/", "/records/", SEARCH_PATH, *(f"/records/{pk}/" for pk in record_ids[:3])] * 4:
        request(port, "GET", path, cookies=cookies)


# --- locust runs ----------------------------------------------------------------------

def run_locust(program, user_class, seconds, plan_path, args, out, server):
    """(locust's rows by page name, its failures, mean server ms by page name,
    the CPU shares of the run)."""
    prefix = out / f"locust-{user_class}"
    log_offset = (out / "access.log").stat().st_size
    command = [
        program, "-f", __file__, user_class, "--headless", "--only-summary",
        "--users", str(args.users), "--spawn-rate", str(args.users), "--run-time", f"{seconds}s",
        "--host", f"http://127.0.0.1:{args.port}", "--csv", str(prefix), "--loglevel", "WARNING",
    ]
    from _server_usage import CpuShares

    with CpuShares(server.pid) as cpu:
        result = subprocess.run(command, env={**os.environ, PLAN_VARIABLE: str(plan_path)},
                                capture_output=True, text=True)
    if result.returncode not in (0, 1):  # 1: some requests failed, reported below
        sys.exit(f"locust failed ({result.returncode}):\n{result.stderr[-3000:]}")
    with open(f"{prefix}_stats.csv", newline="") as file:
        rows = {row["Name"]: row for row in csv.DictReader(file)}
    with open(f"{prefix}_failures.csv", newline="") as file:
        failures = list(csv.DictReader(file))
    return rows, failures, server_times(out / "access.log", log_offset), cpu


def server_times(access_log, offset):
    """{page name: mean ms gunicorn spent on it} over the access log's lines
    after `offset`: the time a request took inside the server, without the
    wait for a free worker that the response times above include."""
    times = {}
    with open(access_log, "rb") as log:
        log.seek(offset)
        for line in log:
            match = re.search(r'"GET (\S+) HTTP[^"]*" .* (\d+)ms$', line.decode("utf-8", "replace").rstrip())
            if match:
                path = match.group(1)
                name = RECORD_PAGE if re.fullmatch(r"/records/\d+/", path) else PAGE_NAMES.get(path, path)
                times.setdefault(name, []).append(int(match.group(2)))
    times["Aggregated"] = [value for values in times.values() for value in values]
    return {name: sum(values) / len(values) for name, values in times.items() if values}


def report(title, rows, failures, served_in, cpu):
    print(f"\n{title}")
    print(f"  {'page':24} {'requests':>9} {'errors':>7} {'rps':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
          f"{'max ms':>7} {'server ms':>10}")
    for name, row in rows.items():
        server = f"{served_in[name]:.0f}" if name in served_in else ""
        print(f"  {name:24} {row['Request Count']:>9} {row['Failure Count']:>7} {float(row['Requests/s']):>6.1f} "
              f"{row['50%']:>7} {row['95%']:>7} {row['99%']:>7} {float(row['Max Response Time']):>7.0f} {server:>10}")
    for failure in failures[:10]:
        print(f"  error: {failure['Name']}: {failure['Error']} ({failure['Occurrences']}×)")
    total = rows["Aggregated"]
    print(cpu.describe(int(total["Request Count"])))
    return float(total["Requests/s"]), float(total["95%"]), int(total["Failure Count"])


def main():
    args = parse_args()
    program = ensure_locust(args.bench_venv)
    var_dir, usernames, record_ids = prepare_database(args)
    from django.db import connections

    connections.close_all()
    server = start_server(var_dir, args)
    from _server_usage import server_rss_mb

    try:
        with ThreadPoolExecutor(4) as pool:
            sessions = list(pool.map(lambda name: sign_in(args.port, name), usernames))
        warm_up(args.port, sessions[0], record_ids)
        plan = var_dir / "locust-plan.json"
        plan.write_text(json.dumps({"sessions": sessions, "records": record_ids, "wait": args.wait}))
        baseline = report(f"baseline: {args.users} users, /healthz, {args.baseline_seconds} s",
                          *run_locust(program, "HealthUser", args.baseline_seconds, plan, args, var_dir, server))
        pages = report(f"pages: {args.users} users, {args.seconds} s",
                       *run_locust(program, "PagesUser", args.seconds, plan, args, var_dir, server))
        print(f"\ngunicorn RSS after the run: {server_rss_mb(server.pid):.0f} MB; log: {var_dir / 'gunicorn.log'}")
    finally:
        server.terminate()
        server.wait(timeout=60)
    rps, p95, errors = pages
    print(f"load users={args.users} rps={rps:.1f} p95_ms={p95:.0f} errors={errors} baseline_rps={baseline[0]:.1f}")


# --- the locustfile: defined where locust imports this file -----------------------------

if locust is not None and os.environ.get(PLAN_VARIABLE):
    from locust import FastHttpUser, between, task

    PLAN = json.loads(pathlib.Path(os.environ[PLAN_VARIABLE]).read_text())
    SEATS = itertools.count()

    class SignedInUser(FastHttpUser):
        """One of the signed-in sessions, as the proxy forwards its requests."""

        abstract = True
        wait_time = between(*PLAN["wait"])

        def on_start(self):
            cookies = PLAN["sessions"][next(SEATS) % len(PLAN["sessions"])]
            self.headers = {
                "X-Forwarded-Proto": "https",
                "Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items()),
            }

        def fetch(self, path, name, marker=SIGNED_IN):
            with self.client.get(path, name=name, headers=self.headers, allow_redirects=False,
                                 catch_response=True) as response:
                if response.status_code != 200:
                    response.failure(f"HTTP {response.status_code}")
                elif marker not in response.text:
                    response.failure("page without the signed-in user's menu")

    class HealthUser(SignedInUser):
        @task
        def health(self):
            self.fetch("/healthz", PAGE_NAMES["/healthz"], marker="ok")

    class PagesUser(SignedInUser):
        @task
        def record_list(self):
            self.fetch("/records/", PAGE_NAMES["/records/"])

        @task
        def search(self):
            self.fetch(SEARCH_PATH, PAGE_NAMES[SEARCH_PATH])

        @task
        def record_page(self):
            self.fetch(f"/records/{random.choice(PLAN['records'])}/", RECORD_PAGE)

        @task
        def home(self):
            self.fetch("/", PAGE_NAMES["/"])


if __name__ == "__main__":
    main()
