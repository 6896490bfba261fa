#!/usr/bin/env bash
# Set up the archive and start it with demo data on http://127.0.0.1:8000/
#
#   ./run.sh
#
# First run on a fresh Debian/Ubuntu: installs the missing system packages (as
# root or through sudo), creates .venv, installs the project, compiles the
# translations, creates the SQLite database under var/ and loads the demo data.
# Later runs only check that all of that is in place and start the site.
# ARCHIVE_PORT changes the port; ARCHIVE_DEBUG=1 turns on Django's debug pages.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source=scripts/setup.sh
source scripts/setup.sh

PORT="${ARCHIVE_PORT:-8000}"

setup_site run

log "Applying database migrations"
manage migrate --noinput --verbosity 0

# seed_demo is idempotent: it creates what is missing and leaves existing data.
log "Loading the demo data"
manage seed_demo
manage seed_demo_lending

cat <<EOF

  市场部档案管理系统 / Marketing department records archive
  Open http://127.0.0.1:${PORT}/  (log in at http://127.0.0.1:${PORT}/accounts/login/)

  Demo logins (password for all: demo12345)
    Username    Role
    ---------   ------------
    staff       部门员工
    outsider    外部门人员
    archivist   档案管理员
    head        部门负责人
    leader      高层领导
    sysadmin    系统管理员
    cwhead      财务部负责人 (外部门人员)

  Press Ctrl+C to stop.

EOF

# The background worker (registers, large imports, re-indexing, file checks,
# reminders, mail) runs beside the web server and stops with it. Jobs it was
# running when it last stopped are queued again when it starts.
"$VENV_PY" manage.py run_worker --verbosity 0 &
WORKER_PID=$!

# Why runserver and not gunicorn here: a production run means
# ARCHIVE_ENV=production, which (rightly) forces HTTPS redirects and Secure
# cookies, so logging in over plain http://127.0.0.1 would not work. The demo
# is single-user on loopback, where the threaded development server is
# enough; production uses gunicorn behind a TLS proxy (deploy/, README). It
# still runs with DEBUG off by default, so people see the real error pages,
# and WhiteNoise serves the static files exactly as in production. --noreload
# keeps one web process. Ctrl+C, `kill <pid of run.sh>` or either process
# ending stops both.
export ARCHIVE_DEBUG="${ARCHIVE_DEBUG:-0}"
"$VENV_PY" manage.py runserver --noreload "127.0.0.1:${PORT}" &
WEB_PID=$!
stop_both() { kill "$WEB_PID" "$WORKER_PID" 2>/dev/null || true; wait 2>/dev/null || true; }
trap 'stop_both; exit 0' INT TERM
trap stop_both EXIT
wait -n "$WEB_PID" "$WORKER_PID"
