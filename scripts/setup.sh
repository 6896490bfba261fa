# shellcheck shell=bash
# Shared set-up for run.sh, test.sh and scripts/pg_cluster.sh. Source it; it only
# defines variables and functions, nothing runs until a function is called.
#
# Every step is idempotent and cheap the second time: apt is touched only when a
# package is missing, pip only when pyproject.toml (or the wanted extras) changed,
# compilemessages skips up-to-date catalogues, collectstatic skips unchanged files.
# So a second run works offline.
#
# Overridable from the environment:
#   ARCHIVE_PYTHON    interpreter used to create the virtualenv (default: python3)
#   ARCHIVE_VENV      virtualenv directory (default: .venv in the repository)
#   ARCHIVE_SKIP_APT  1 = never call apt-get (a missing package is then only reported)
#   ARCHIVE_PG_BIN    directory of PostgreSQL's initdb/pg_ctl for the test cluster

ARCHIVE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV_DIR="${ARCHIVE_VENV:-$ARCHIVE_ROOT/.venv}"
VENV_PY="$VENV_DIR/bin/python"
# Written into the virtualenv after a successful pip install; see ensure_venv.
INSTALL_STAMP="$VENV_DIR/.archive-install-stamp"
APT_UPDATED=0

# Debian packages. gettext gives msgfmt for compilemessages; poppler-utils gives
# pdftotext/pdffonts for checking PDF registers; the Pango/HarfBuzz libraries are
# what WeasyPrint loads at import time. The CJK font ships in static/fonts.
# ocrmypdf, tesseract and its Simplified Chinese data read scanned files for
# search (records.files.ocr); ocrmypdf renders PDF pages with ghostscript.
RUN_PACKAGES=(gettext poppler-utils libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
    ocrmypdf tesseract-ocr tesseract-ocr-chi-sim ghostscript)
# Only the test suite drives a browser. The font package lets Chromium render
# Chinese in screenshots even where a page does not load the shipped font.
TEST_PACKAGES=(chromium fonts-wqy-microhei)

log() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() {
    printf 'ERROR: %s\n' "$*" >&2
    exit 1
}

# Prints the directory holding PostgreSQL's initdb and pg_ctl: $ARCHIVE_PG_BIN,
# or the newest /usr/lib/postgresql/*/bin of Debian's packages. Fails if none.
pg_bin_dir() {
    local initdb
    if [ -n "${ARCHIVE_PG_BIN:-}" ]; then
        echo "$ARCHIVE_PG_BIN"
        return 0
    fi
    initdb="$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)"
    [ -x "$initdb" ] || return 1 # an unmatched glob stays literal
    dirname "$initdb"
}

# manage ARGS... : run manage.py with the virtualenv's interpreter.
manage() { "$VENV_PY" "$ARCHIVE_ROOT/manage.py" "$@"; }

# Run a command as root: directly when we are root, through sudo otherwise.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    else
        sudo "$@"
    fi
}

# Sets PYTHON to an interpreter >= 3.11, or stops with a clear message.
find_python() {
    local candidate="${ARCHIVE_PYTHON:-python3}"
    command -v "$candidate" >/dev/null 2>&1 ||
        die "'$candidate' not found. Install Python 3.11 or newer (Debian/Ubuntu: apt-get install python3 python3-venv), or set ARCHIVE_PYTHON."
    if ! "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
        die "'$candidate' is $("$candidate" --version 2>&1); this project needs Python 3.11 or newer. Set ARCHIVE_PYTHON to a newer interpreter."
    fi
    PYTHON="$candidate"
}

is_installed() {
    dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed'
}

# ensure_packages PKG... : install the Debian packages that are missing.
# Runs `apt-get update` at most once per script run, and only when something is
# missing, so repeated runs neither wait for nor need the network.
ensure_packages() {
    local pkg missing=()
    if ! command -v dpkg >/dev/null 2>&1; then
        warn "not a Debian/Ubuntu system: make sure these are installed: $*"
        return 0
    fi
    for pkg in "$@"; do
        is_installed "$pkg" || missing+=("$pkg")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0

    if [ "${ARCHIVE_SKIP_APT:-0}" = 1 ]; then
        warn "missing Debian packages (ARCHIVE_SKIP_APT=1, not installing): ${missing[*]}"
        return 0
    fi
    if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
        die "missing Debian packages: ${missing[*]}. Run this script as root, install sudo, or install them yourself: apt-get install ${missing[*]}"
    fi
    log "Installing Debian packages: ${missing[*]}"
    if [ "$APT_UPDATED" -eq 0 ]; then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        APT_UPDATED=1
    fi
    as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ensure_venv TARGET : a virtualenv at $VENV_DIR with the project installed from
# TARGET, either "." (the site) or ".[test]" (the site plus test tools). The
# install is non-editable: pyproject.toml carries the dependencies, the code runs
# from the checkout (manage.py and pytest-django put it on sys.path).
ensure_venv() {
    local target="$1" fingerprint
    if ! "$VENV_PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
        find_python
        # Debian's python3 lacks ensurepip until pythonX.Y-venv is installed.
        if ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
            ensure_packages "python$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')-venv"
        fi
        log "Creating the virtualenv $VENV_DIR"
        "$PYTHON" -m venv --clear "$VENV_DIR"
    fi

    # Reinstall only when pyproject.toml changed. A stamp for ".[test]" also
    # satisfies ".", since it installed a superset.
    fingerprint="$(sha256sum "$ARCHIVE_ROOT/pyproject.toml" | cut -d' ' -f1)"
    if [ -f "$INSTALL_STAMP" ] && {
        grep -qxF "$fingerprint $target" "$INSTALL_STAMP" ||
            { [ "$target" = "." ] && grep -qxF "$fingerprint .[test]" "$INSTALL_STAMP"; }
    }; then
        return 0
    fi
    log "Installing the project and its dependencies ($target) into $VENV_DIR"
    # Build from a copy of the project metadata: building in the checkout would
    # write build/ and rewrite the *.egg-info files there. The project ships no
    # importable package of its own (tool.setuptools.packages is empty), so the
    # metadata is all pip needs.
    local build_dir
    build_dir="$(mktemp -d)"
    cp "$ARCHIVE_ROOT/pyproject.toml" "$build_dir/"
    cp "$ARCHIVE_ROOT"/README* "$ARCHIVE_ROOT"/LICENSE* "$build_dir/" 2>/dev/null || true
    if ! (cd "$build_dir" && "$VENV_PY" -m pip install --quiet --disable-pip-version-check "$target"); then
        rm -rf "$build_dir"
        die "pip could not install the project's dependencies (see above)"
    fi
    rm -rf "$build_dir"
    echo "$fingerprint $target" >"$INSTALL_STAMP"
}

# Compile the gettext catalogues (.po -> .mo).
compile_translations() {
    local venv_name
    # Until the first translation pass there is no .po file and possibly no
    # locale/ directory at all, and compilemessages then stops with "This script
    # should be run from the Django Git checkout...": nothing to compile is fine.
    if [ -z "$(find "$ARCHIVE_ROOT" \( -path "$VENV_DIR" -o -name .venv -o -name .git \
        -o -name node_modules -o -name staticfiles \) -prune -o -name '*.po' -print -quit)" ]; then
        log "No translation catalogues (.po) yet; skipping compilemessages"
        return 0
    fi
    log "Compiling translations"
    # compilemessages walks every directory below the current one: keep it out of
    # the virtualenv, or it recompiles Django's own catalogues in site-packages.
    venv_name="$(basename "$VENV_DIR")"
    (cd "$ARCHIVE_ROOT" && manage compilemessages --verbosity 0 \
        --ignore="$venv_name" --ignore=.venv --ignore=node_modules --ignore=staticfiles)
}

# collectstatic compresses every file again on each run (about 15 s, mostly the
# 5 MB CJK font), so it only runs when a static directory, the settings or the
# installed packages (Django admin's files) changed since the last collection.
collect_static() {
    local stamp="$ARCHIVE_ROOT/var/.static-collected"
    if [ -f "$stamp" ] && [ -d "$ARCHIVE_ROOT/staticfiles" ] &&
        [ ! "$INSTALL_STAMP" -nt "$stamp" ] &&
        [ ! "$ARCHIVE_ROOT/archive_site/settings.py" -nt "$stamp" ] &&
        [ -z "$(find "$ARCHIVE_ROOT" \( -path "$VENV_DIR" -o -name .venv -o -name .git \
            -o -name node_modules -o -name staticfiles -o -name var \) -prune \
            -o \( -path '*/static' -o -path '*/static/*' \) -newer "$stamp" -print -quit)" ]; then
        log "Static files are up to date"
        return 0
    fi
    log "Collecting static files"
    touch "$stamp.new" # files changed while collecting are collected next time
    manage collectstatic --noinput --verbosity 0
    mv "$stamp.new" "$stamp"
}

# The key for client data encrypted at rest (R-CLIENT): $ARCHIVE_FIELD_KEY, or
# one generated once into var/field_key (kept private) and exported.
ensure_field_key() {
    local key_file="$ARCHIVE_ROOT/var/field_key"
    [ -n "${ARCHIVE_FIELD_KEY:-}" ] && return 0
    if [ ! -s "$key_file" ]; then
        log "Generating the client-data key into $key_file"
        (umask 077 && "$VENV_PY" -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())' >"$key_file")
    fi
    ARCHIVE_FIELD_KEY="$(cat "$key_file")"
    export ARCHIVE_FIELD_KEY
}

# protect_var_dir DIR : the data directory is the server account's alone. DIR is
# 0700; the SQLite database, the field key and the attachments are 0600 in
# 0700 folders (Django's FILE_UPLOAD_*_PERMISSIONS keep new attachments so).
# The database file is created empty before migrate fills it (SQLite takes an
# empty file as a new database), so it never exists world-readable, and SQLite
# gives its -wal and -shm files the database file's mode.
protect_var_dir() {
    local dir="$1"
    (umask 077 && mkdir -p "$dir")
    chmod 700 "$dir"
    if [ -z "${DATABASE_URL:-}" ]; then
        (umask 077 && touch "$dir/archive.sqlite3")
    fi
    local file
    for file in "$dir/archive.sqlite3" "$dir/archive.sqlite3-wal" "$dir/archive.sqlite3-shm" "$dir/field_key"; do
        [ -e "$file" ] && chmod 600 "$file"
    done
    if [ -d "$dir/attachments" ]; then
        find "$dir/attachments" -type d ! -perm 700 -exec chmod 700 {} +
        find "$dir/attachments" -type f ! -perm 600 -exec chmod 600 {} +
    fi
    return 0
}

# setup_site MODE : everything both scripts need before Django can run.
# MODE is "run" (the site) or "test" (the site plus browser and test tools).
setup_site() {
    local mode="$1"
    cd "$ARCHIVE_ROOT" || die "cannot enter $ARCHIVE_ROOT"
    if [ "$mode" = test ]; then
        local packages=("${RUN_PACKAGES[@]}" "${TEST_PACKAGES[@]}")
        # The second test run needs a PostgreSQL server (scripts/pg_cluster.sh).
        # Checked by its binaries: postgresql-15 may be there without the
        # "postgresql" package that depends on it.
        pg_bin_dir >/dev/null || packages+=(postgresql)
        ensure_packages "${packages[@]}"
        ensure_venv ".[test]"
    else
        ensure_packages "${RUN_PACKAGES[@]}"
        ensure_venv "."
    fi
    protect_var_dir "$ARCHIVE_ROOT/var"
    ensure_field_key
    compile_translations
    collect_static
}
