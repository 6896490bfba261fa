"""Signing in, requesting, and the database snapshot the write matrix
compares before and after each refused request."""
import functools

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction

from accounts.roles import Role

# Anonymous, then one user of every role (tests/conftest.py role_users).
MATRIX_ROLES = [None, *Role]

# Requests the matrix made in this session (tests/access_matrix/test_read_matrix.py
# asserts there were enough).
SENT = {"requests": 0}

# What each GET of the read matrix answered, by (username, page key):
# whether it was refused. The write matrix asks here before it sends the
# same GET again (the world is the same in every test).
REFUSED_GETS = {}

# Sessions come and go with every sign-in and message; they are not records
# of the business.
NOT_COMPARED = {"sessions.session"}

# Tables whose rows are written once and never changed.
APPEND_ONLY = {
    "admin.logentry",
    "auth.permission",
    "contenttypes.contenttype",
    "records.accesslog",
    "clients.clientdataaccess",
    "lending.remindersent",
}


def username(user):
    return user.get_username() if user.is_authenticated else ""


def role_id(role):
    return "anonymous" if role is None else role.value


def sign_in(client, world, role):
    """The user of `role` (anonymous for None), signed in on `client`."""
    if role is None:
        return AnonymousUser()
    user = world.users[role]
    client.force_login(user)
    return user


def send(client, method, url, data=None):
    """(response, None), or (None, what was raised): a view that raises is a
    server error the matrix reports with the rest."""
    SENT["requests"] += 1
    try:
        return getattr(client, method)(url, data if data is not None else {}), None
    except Exception as exc:  # noqa: BLE001 (every error is a finding, listed with its URL)
        return None, f"raised {type(exc).__name__}: {exc}"


def allowed_methods(view, depth=0):
    """The HTTP methods a view accepts, read from its class or from
    require_http_methods (require_POST, require_safe...); None when the view
    does not say (the admin's views, which take POST)."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return {name.upper() for name in view_class.http_method_names if hasattr(view_class, name)}
    for cell in getattr(view, "__closure__", None) or ():
        value = cell.cell_contents
        if isinstance(value, (list, tuple)) and value and all(isinstance(item, str) and item.isupper() for item in value):
            return set(value)
    inner = getattr(view, "__wrapped__", None)
    return allowed_methods(inner, depth + 1) if inner is not None and depth < 5 else None


def accepts_post(view):
    methods = allowed_methods(view)
    return methods is None or "POST" in methods


def _compared_models():
    for model in apps.get_models(include_auto_created=True):
        if model._meta.label_lower not in NOT_COMPARED:
            yield model


def _changes_leave_no_trace(model):
    """Models whose rows may change in place without a history row: their
    every row is compared (notices read, numbers taken, the search index).
    Rows only ever added (logs, link tables) are seen by the counts."""
    has_history = "history" in model.__dict__ or hasattr(model, "instance_type")
    return not (has_history or model._meta.auto_created or model._meta.label_lower in APPEND_ONLY)


@functools.cache
def _snapshot_plan():
    """(sql, names of its columns, models compared row by row). The query
    gives the row count and highest primary key of every table: a row added
    or removed shows, and a change to a model with history adds a history
    row."""
    quote = connection.ops.quote_name
    columns, names = [], []
    for model in _compared_models():
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        if model._meta.pk.get_internal_type() == "UUIDField":
            pk = f"CAST({pk} AS TEXT)"  # PostgreSQL has no MAX(uuid); the count shows an added row
        columns.extend([f"(SELECT COUNT(*) FROM {table})", f"(SELECT MAX({pk}) FROM {table})"])
        names.extend([f"{model._meta.label} rows", f"{model._meta.label} newest row"])
    by_row = tuple(model for model in _compared_models() if _changes_leave_no_trace(model))
    return "SELECT " + ", ".join(columns), tuple(names), by_row


def snapshot():
    """What the write matrix compares before and after a request."""
    sql, names, by_row = _snapshot_plan()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        state = dict(zip(names, cursor.fetchone()))
    for model in by_row:
        state[f"{model._meta.label} contents"] = list(model._base_manager.order_by("pk").values_list())
    return state


def differences(before, after):
    """What changed between two snapshots."""
    return [name for name in before if before[name] != after[name]]


def rows_written():
    """How many rows this connection has inserted, updated or deleted so
    far (rolled-back statements included): SQLite's total_changes(), the
    current transaction's counters on PostgreSQL. It only grows, so an
    unchanged figure means no table changed."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT COALESCE(SUM(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_all_tables"
            )
        else:
            cursor.execute("SELECT total_changes()")
        return cursor.fetchone()[0]


def changes_during(action):
    """(what `action` returned, the names of what it changed). Most refused
    requests write no row at all: rows_written() says so in one query, and
    the whole snapshot (a count of every table and every row of the models
    without history, hundreds of milliseconds on PostgreSQL) is skipped.
    When something was written, the action is undone (a savepoint) and done
    again between two snapshots, which name what changed; sessions, which
    NOT_COMPARED leaves out, are written then too."""
    savepoint = transaction.savepoint()
    written = rows_written()
    result = action()
    if rows_written() == written:
        transaction.savepoint_commit(savepoint)
        return result, []
    transaction.savepoint_rollback(savepoint)
    before = snapshot()
    result = action()
    return result, differences(before, snapshot())
