"""Shared users, one per role (accounts.roles), for every test module."""
import pytest
from django.db.models.signals import post_migrate
from django.utils import translation

from accounts.roles import Role, assign_role
from tests.factories import DepartmentFactory, RecordFactory, UserFactory
from records.models import RecordStatus
from records.services import record_file


def _reseed_file_plan(sender, **kwargs):
    """Transactional tests flush every table and re-send post_migrate; the file
    plan is seeded by a data migration, so put it back here for them."""
    if sender.label == "records":
        from records.file_plan import seed_file_plan
        from records.models import Category

        seed_file_plan(Category)


post_migrate.connect(_reseed_file_plan, dispatch_uid="tests.reseed_file_plan")


# test.sh runs pytest-xdist with --dist loadfile: a file stays on one worker.
# With --no-loadscope-reorder (pyproject.toml) xdist hands files out in
# collection order, so the slowest files go first and each worker ends on
# short ones; ordered by test count instead (xdist's default), the access
# matrix's 18 tests (~400 s on a loaded machine) started near the end.
# Seconds summed per file from --junitxml, SQLite, 2 workers, 2026-12-07 (a
# machine shared with other runs; the first file of each worker also carries
# the ~20 s test database set-up). A file missing from the list only starts
# later, nothing else changes; add one when it passes ~10 s.
SLOWEST_FILES_FIRST = (
    "tests/access_matrix/test_read_matrix.py",  # 232 s
    "tests/browser/test_role_journeys.py",  # 117 s
    "tests/records/test_search_index_size.py",  # 62 s (migrates back and forth)
    "tests/browser/test_accessibility.py",  # 55 s
    "tests/records/test_backup_restore.py",  # 45 s
    "tests/test_production_server.py",  # 38 s (migrates its own database)
    "tests/test_chinese_only.py",  # 33 s (seeds the demo)
    "tests/accounts/test_notice_migration.py",  # 29 s (migrates back and forth)
    "tests/records/test_chunked_registers.py",  # 28 s
    "tests/browser/test_ledger_journey.py",  # 27 s
    "tests/browser/test_client_journey.py",  # 19 s
    "tests/records/test_query_counts.py",  # 18 s
    "tests/lending/test_query_counts.py",  # 16 s
    "tests/browser/test_disposal_journey.py",  # 15 s
    "tests/browser/test_lending_journey.py",  # 15 s
    "tests/test_demo_data.py",  # 14 s (seeds the demo)
    "tests/browser/test_phone_layout.py",  # 13 s
    "tests/lending/test_demo.py",  # 12 s (seeds the demo)
    "tests/lending/test_views.py",  # 12 s
    "tests/contracts/test_query_counts.py",  # 11 s
    "tests/browser/test_busy.py",  # 11 s
    "tests/lending/test_admin.py",  # 10 s
    "tests/records/test_filing_views.py",  # 10 s
    "tests/browser/test_stocktake_journey.py",  # 10 s
    "tests/disposal/test_holds_views.py",  # 10 s
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """On xdist workers only, slowest files first (a stable sort: within a
    file, and among the files not listed, the order stays pytest-django's).
    A run in one process keeps its usual order."""
    if not hasattr(config, "workerinput"):
        return
    rank = {path: position for position, path in enumerate(SLOWEST_FILES_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the site's language (zh-hans): a language one
    test activated (a request, a command) must not carry over into the next
    test of the same process, whatever order the tests run in."""
    translation.deactivate()
    yield
    translation.deactivate()


def make_user(role, username, *, outside=False):
    kwargs = {"username": username}
    if outside:
        kwargs["department"] = DepartmentFactory(code="CWB", name="财务部")
    user = UserFactory(**kwargs)
    assign_role(user, role)
    return user


@pytest.fixture
def staff(db):
    return make_user(Role.STAFF, "staff")


@pytest.fixture
def outside_staff(db):
    return make_user(Role.OUTSIDE_STAFF, "outsider", outside=True)


@pytest.fixture
def archivist(db):
    return make_user(Role.ARCHIVIST, "archivist")


@pytest.fixture
def department_head(db):
    return make_user(Role.DEPARTMENT_HEAD, "head")


@pytest.fixture
def leadership(db):
    return make_user(Role.LEADERSHIP, "leader")


@pytest.fixture
def sysadmin(db):
    return make_user(Role.SYSADMIN, "sysadmin", outside=True)


@pytest.fixture
def role_users(staff, outside_staff, archivist, department_head, leadership, sysadmin):
    return {
        Role.STAFF: staff,
        Role.OUTSIDE_STAFF: outside_staff,
        Role.ARCHIVIST: archivist,
        Role.DEPARTMENT_HEAD: department_head,
        Role.LEADERSHIP: leadership,
        Role.SYSADMIN: sysadmin,
    }


@pytest.fixture
def private_storage(settings, tmp_path):
    """Attachments go to a temporary private storage, not into var/."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path, "base_url": None},
        },
    }
    return tmp_path


@pytest.fixture
def filed_record(archivist):
    """Return a factory that creates and files a record."""

    def make(**kwargs):
        record = RecordFactory(**kwargs)
        return record_file(record=record, by=archivist)

    return make


def speak_english(client):
    """Ask for the English interface the way a user does, with the language
    switch's cookie (the browser's Accept-Language is ignored on purpose)."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def run_queued_tasks():
    """Run every queued background task with django-tasks-db's own Worker
    (claim, run, record the result), as `manage.py run_worker --batch` does,
    but without its polling loop: that loop closes the database connection
    between tasks, which would end the test's transaction. The loop itself
    is tested once, in a transactional test (tests/jobs/test_worker.py).
    Returns how many tasks ran."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
        max_tasks=None, worker_id="test-worker", excluded_queue_names=[],
    )
    ran = 0
    while (task := DBTaskResult.objects.ready().first()) is not None:
        task.claim(worker.worker_id)
        worker.run_task(task)
        ran += 1
    return ran


@pytest.fixture
def run_jobs(db, private_storage, settings, tmp_path):
    """Call to run what the worker would: queued jobs and mail."""
    settings.JOBS_TMP_DIR = tmp_path / "job_tmp"
    return run_queued_tasks
