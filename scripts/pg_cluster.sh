#!/usr/bin/env bash
# Run one command against a throwaway PostgreSQL cluster:
#
#   scripts/pg_cluster.sh COMMAND [ARGS...]
#   e.g. scripts/pg_cluster.sh .venv/bin/pytest -k lending
#
# Creates a cluster in a new temporary directory, exports DATABASE_URL (database
# "archive", superuser "archive") for COMMAND, then always stops the cluster and
# deletes the directory, also on failure or Ctrl+C. Exits with COMMAND's status.
# COMMAND runs from the repository root.
#
# The server listens on no TCP port at all, only on a Unix socket inside the
# temporary directory (mode 0700). So it cannot collide with another server or
# another run of this script, which a "free" TCP port could between the moment
# it is picked and the moment postgres binds it, and no other local user can
# reach it, which is what makes `trust` authentication acceptable here.
#
# ARCHIVE_PG_BIN overrides the directory holding initdb/pg_ctl
# (default: the newest /usr/lib/postgresql/*/bin, installing Debian's postgresql
# package when there is none and we may).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/setup.sh
source scripts/setup.sh

[ "$#" -gt 0 ] || die "usage: scripts/pg_cluster.sh COMMAND [ARGS...]"

if ! PG_BIN="$(pg_bin_dir)"; then
    ensure_packages postgresql
    PG_BIN="$(pg_bin_dir)" || die "PostgreSQL's initdb not found under /usr/lib/postgresql/*/bin"
fi

# Kept short: a Unix socket path must fit in about 100 bytes.
PG_DIR="$(mktemp -d /tmp/archive-pg.XXXXXX)"
PG_DATA="$PG_DIR/data"
PG_PORT=5432 # only names the socket file (.s.PGSQL.5432) inside PG_DIR
PG_SUPERUSER=archive
PG_DB=archive

# shellcheck disable=SC2317  # called through the EXIT trap
cleanup() {
    if [ -f "$PG_DATA/postmaster.pid" ]; then
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 ||
            as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PG_DIR"
}
trap cleanup EXIT
# Turn signals into a normal exit so that the EXIT trap runs.
trap 'exit 130' INT
trap 'exit 143' TERM

# initdb and postgres refuse to run as root. As root, run them as the "postgres"
# system user that Debian's package creates, or else as a system user of our own.
# They run from PG_DIR because they fail when they cannot read the current
# directory (the checkout may be under /root).
if [ "$(id -u)" -eq 0 ]; then
    PG_OS_USER=postgres
    if ! id "$PG_OS_USER" >/dev/null 2>&1; then
        PG_OS_USER=archive-test
        id "$PG_OS_USER" >/dev/null 2>&1 ||
            useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_OS_USER"
    fi
    chown "$PG_OS_USER" "$PG_DIR"
    as_pg() { (cd "$PG_DIR" && runuser -u "$PG_OS_USER" -- "$@"); }
else
    as_pg() { (cd "$PG_DIR" && "$@"); }
fi

log "Starting a throwaway PostgreSQL ($("$PG_BIN/postgres" --version | awk '{print $3}')) in $PG_DIR"
# C.UTF-8, not C: pg_trgm extracts no trigrams from Chinese text in a C-locale
# database (shared/docs/pitfalls.md). -N skips fsync: the cluster is thrown away.
if ! as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U "$PG_SUPERUSER" --auth=trust \
    --locale=C.UTF-8 --encoding=UTF8 -N >"$PG_DIR/initdb.log" 2>&1; then
    cat "$PG_DIR/initdb.log" >&2
    die "initdb failed"
fi
# Appending keeps the file's owner. Durability settings are off for speed only.
cat >>"$PG_DATA/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$PG_DIR'
unix_socket_permissions = 0700
port = $PG_PORT
fsync = off
synchronous_commit = off
full_page_writes = off
# No autovacuum: the tests roll back everything they write, and a VACUUM of
# those dead rows records "0 rows in N pages" for the table; every later test
# in that database is then planned as if its tables were empty, and a join of
# a thousand rows each became a cross product running for minutes (it hung
# tests/lending/test_query_counts.py). Never vacuumed, a table is estimated
# from its size, which is what the tests need.
autovacuum = off
EOF
if ! as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DIR/server.log" -w -t 60 start >/dev/null; then
    cat "$PG_DIR/server.log" >&2
    die "PostgreSQL did not start"
fi

psql_admin() {
    as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR" -p "$PG_PORT" -U "$PG_SUPERUSER" "$@"
}
# Django creates its test database from template1, so the extension that search
# needs is there from the start, as it would be after `CREATE EXTENSION` on a server.
psql_admin -d template1 -c 'CREATE EXTENSION IF NOT EXISTS pg_trgm'
psql_admin -d postgres -c "CREATE DATABASE $PG_DB"

# A socket directory goes in the host part of the URL, percent-encoded.
export DATABASE_URL="postgres://$PG_SUPERUSER@${PG_DIR//\//%2F}:$PG_PORT/$PG_DB"
# COMMAND runs in the background and we wait for it: bash runs a trap only once
# the foreground command has finished, so a TERM sent to this script alone would
# otherwise leave COMMAND and the cluster running. `<&0` keeps stdin (a
# background command gets /dev/null by default), e.g. for pytest --pdb.
"$@" <&0 &
child=$!
trap 'kill -INT "$child" 2>/dev/null; wait "$child"; exit 130' INT
trap 'kill -TERM "$child" 2>/dev/null; wait "$child"; exit 143' TERM
status=0
wait "$child" || status=$?
exit "$status"
