#!/usr/bin/env bash
# Set up (as run.sh does), check, and run the whole test suite twice: on SQLite,
# then on a throwaway PostgreSQL cluster (scripts/pg_cluster.sh).
#
#   ./test.sh                 # everything
#   ./test.sh -k lending -x   # extra arguments go to both pytest runs
#
# Exits non-zero if a check or either test run fails (pytest's 5, "no tests
# collected", included). Both runs happen even when the SQLite run fails.
# ARCHIVE_TEST_SQLITE_NAME sets the SQLite test database file (default: a file
# under var/ named after this process, so parallel runs do not collide).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source=scripts/setup.sh
source scripts/setup.sh

# The first run must be on SQLite whatever the caller's environment says; the
# second one gets its DATABASE_URL from scripts/pg_cluster.sh.
unset DATABASE_URL

started=$SECONDS
setup_site test

log "Checking that every model change has a migration"
manage makemigrations --check --dry-run
log "Running Django's system checks"
manage check

if [ -z "${ARCHIVE_TEST_SQLITE_NAME:-}" ]; then
    ARCHIVE_TEST_SQLITE_NAME="$ARCHIVE_ROOT/var/test-suite-$$.sqlite3"
    # Django deletes the test database when pytest ends; this catches a run
    # that was killed.
    trap 'rm -f "$ARCHIVE_TEST_SQLITE_NAME" "$ARCHIVE_TEST_SQLITE_NAME"-wal "$ARCHIVE_TEST_SQLITE_NAME"-shm' EXIT
fi
export ARCHIVE_TEST_SQLITE_NAME

# pytest-xdist: one worker per core (ARCHIVE_TEST_WORKERS overrides, 0 = no
# workers); a test file stays on one worker, in order.
PARALLEL=(-n "${ARCHIVE_TEST_WORKERS:-auto}" --dist loadfile)

log "Test suite on SQLite"
phase=$SECONDS
sqlite_status=0
"$VENV_PY" -m pytest "${PARALLEL[@]}" "$@" || sqlite_status=$?
sqlite_seconds=$((SECONDS - phase))

log "Test suite on PostgreSQL"
phase=$SECONDS
pg_status=0
bash scripts/pg_cluster.sh "$VENV_PY" -m pytest "${PARALLEL[@]}" "$@" || pg_status=$?
pg_seconds=$((SECONDS - phase))

verdict() { if [ "$1" -eq 0 ]; then echo "ok"; else echo "FAILED (pytest exit $1)"; fi; }
echo
echo "test.sh summary (total ${SECONDS}s, set-up and checks $((SECONDS - started - sqlite_seconds - pg_seconds))s):"
echo "  SQLite:     $(verdict "$sqlite_status") in ${sqlite_seconds}s"
echo "  PostgreSQL: $(verdict "$pg_status") in ${pg_seconds}s"
[ "$sqlite_status" -eq 0 ] && [ "$pg_status" -eq 0 ]
