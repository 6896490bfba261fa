"""Several application servers share one PostgreSQL and one object store
(issue 17, point 4): two gunicorn servers, each with its own var directory
and the same settings (secret key, field key, DATABASE_URL, ARCHIVE_S3_*),
serve one archive. A file uploaded through one downloads through the other,
and two archivists handing out the same approved request at the same moment,
one through each server, make exactly one loan (R-LEND-1); the other is told
why, in Chinese. A back-office import previewed on one server is confirmed on
the other (its file waits in the shared bucket, records.import_files), and
workers starting together queue each daily task once (jobs.schedule).

PostgreSQL only: the servers reach pytest's test database through
DATABASE_URL, so the test is transactional (its rows committed, visible to
them). SQLite is one file on one machine, never shared by servers."""
import html
import os
import re
import threading
import uuid
from contextlib import ExitStack
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.db.models import Count
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from accounts.roles import Role
from jobs import schedule
from lending.models import Loan, LoanRequest, RequestState
from records.models import Attachment, Record, SecurityLevel
from tests.admin_support import admin_url
from tests.concurrency import at_once
from tests.conftest import make_user
from tests.lending.support import approved_request
from tests.records.test_filetypes import make_docx
from tests.spreadsheets import xlsx_bytes
from tests.storage_support import new_bucket, start_server
from tests.test_deployment import PRODUCTION_ENV
from tests.test_production_server import ProxiedBrowser, _csrf_token, running_gunicorn

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="several servers share one PostgreSQL database (run it with scripts/pg_cluster.sh)",
    ),
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "Tl7-two-servers-check"


class Browser(ProxiedBrowser):
    """One person's browser behind the proxy, on one server: bytes in and
    out (tests.test_production_server.ProxiedBrowser.send)."""

    def request(self, method, path, *, body=None, content_type=None):
        return self.send(method, path, body=body, content_type=content_type)

    def page(self, path):
        response, content = self.request("GET", path)
        assert response.status == 200, (path, response.status, content[:300])
        return content.decode()

    def post(self, path, form, *, files=None):
        """POST `form`, and `files` ({field: (filename, bytes)}) as multipart."""
        if files:
            boundary = uuid.uuid4().hex
            parts = []
            for name, value in form.items():
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
            for name, (filename, data) in files.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                    f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n"
                )
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            return self.request("POST", path, body=body, content_type=f"multipart/form-data; boundary={boundary}")
        return self.request("POST", path, body=urlencode(form), content_type="application/x-www-form-urlencoded")

    def sign_in(self, username):
        login = self.page("/accounts/login/")
        response, content = self.post(
            "/accounts/login/",
            {"csrfmiddlewaretoken": _csrf_token(login), "username": username, "password": PASSWORD},
        )
        assert response.status == 302, content.decode()[content.find(b"form-errors"):][:600]
        self.token = self.cookies["csrftoken"]


def shared_database_url():
    """DATABASE_URL with pytest's test database in place of the configured one."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


def start_app_server(stack, tmp_path, name, variables):
    directory = tmp_path / name
    directory.mkdir()
    server_variables = dict(variables, ARCHIVE_VAR_DIR=str(directory), ARCHIVE_PROXY_COUNT="1")
    return stack.enter_context(running_gunicorn(directory, server_variables, workers=1))


@pytest.fixture
def two_servers(transactional_db, tmp_path):
    """The ports of two application servers on one database and one bucket."""
    s3 = start_server()
    bucket = new_bucket(s3)
    variables = dict(PRODUCTION_ENV, DATABASE_URL=shared_database_url(), **bucket.environment())
    with ExitStack() as stack:
        stack.callback(s3.server.stop)
        ports = [start_app_server(stack, tmp_path, name, variables) for name in ("server-a", "server-b")]
        yield ports, bucket


def with_password(user):
    """PASSWORD, hashed as the servers' settings can check it (the tests' own
    settings hash with MD5, which a production server does not accept)."""
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save()
    return user


def test_a_file_uploaded_through_one_server_downloads_through_the_other(two_servers, archivist, filed_record):
    (port_a, port_b), bucket = two_servers
    with_password(archivist)
    record = filed_record(security_level=SecurityLevel.INTERNAL)
    content = make_docx(["两台服务器共用的对象存储"])
    on_a, on_b = Browser(port_a), Browser(port_b)
    on_a.sign_in(archivist.username)
    on_b.sign_in(archivist.username)

    response, page = on_a.post(
        reverse("attachment_upload", args=[record.pk]), {"csrfmiddlewaretoken": on_a.token},
        files={"file": ("合同扫描.docx", content)},
    )
    assert response.status == 302, page[:500]
    attachment = Attachment.objects.get(record=record)
    assert bucket.keys() == [bucket.key(attachment.file.name)]

    response, downloaded = on_b.request("GET", reverse("attachment_download", args=[attachment.pk]))
    assert response.status == 200
    assert downloaded == content


def test_two_archivists_handing_out_one_request_through_two_servers_make_one_loan(
    two_servers, archivist, filed_record
):
    (port_a, port_b), _bucket = two_servers
    colleague = with_password(make_user(Role.ARCHIVIST, "archivist2"))
    with_password(archivist)
    borrower = make_user(Role.STAFF, "borrower")
    loan_request = approved_request(borrower, filed_record(), days=1)
    desks = [Browser(port_a), Browser(port_b)]
    desks[0].sign_in(archivist.username)
    desks[1].sign_in(colleague.username)

    path = reverse("lending_hand_out", args=[loan_request.pk])
    together = threading.Barrier(len(desks))
    answers = [None] * len(desks)

    def hand_out(index):
        desk = desks[index]
        together.wait()
        answers[index] = desk.post(path, {"csrfmiddlewaretoken": desk.token})

    threads = [threading.Thread(target=hand_out, args=(index,)) for index in range(len(desks))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [response.status for response, _ in answers] == [302, 302], answers

    assert Loan.objects.filter(record=loan_request.record).count() == 1
    assert LoanRequest.objects.get(pk=loan_request.pk).state == RequestState.OUT
    # Each desk follows its redirect: one reads that the record was handed
    # out, the other why it was not, in Chinese.
    pages = [desk.page(response.headers["Location"]) for desk, (response, _) in zip(desks, answers)]
    handed = [page for page in pages if f"已借给 {borrower.display_name}" in page]
    refused = [page for page in pages if "只有已批准的申请才能借出" in page]
    assert len(handed) == 1 and len(refused) == 1, pages
    assert "only an approved request" not in refused[0]


def hidden_fields(page, action):
    """The hidden inputs of the form posting to `action`."""
    form = re.search(r'<form[^>]*action="%s".*?</form>' % re.escape(action), page, re.S)
    assert form, page[:500]
    return {
        html.unescape(name): html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(0))
    }


def test_an_import_previewed_on_one_server_is_confirmed_on_the_other(two_servers, archivist):
    (port_a, port_b), bucket = two_servers
    with_password(archivist)
    on_a, on_b = Browser(port_a), Browser(port_b)
    on_a.sign_in(archivist.username)
    on_b.sign_in(archivist.username)
    url = admin_url(Record, "import")
    page = on_a.page(url)
    xlsx = re.search(r'<option value="(\d+)"[^>]*>xlsx</option>', page).group(1)
    rows = [["archive number", "title", "category code", "year"], ["", "两台服务器之间的导入", "NBZD", 2024]]
    response, preview = on_a.post(
        url, {"csrfmiddlewaretoken": on_a.token, "format": xlsx, "resource": "0"},
        files={"import_file": ("catalogue.xlsx", xlsx_bytes(rows))},
    )
    assert response.status == 200, preview[:500]
    confirmation = hidden_fields(preview.decode(), admin_url(Record, "process_import"))
    assert [key for key in bucket.keys() if "/import_tmp/" in key] == [
        bucket.key(f"import_tmp/{confirmation['import_file_name']}")
    ]

    response, _page = on_b.post(admin_url(Record, "process_import"), dict(confirmation, csrfmiddlewaretoken=on_b.token))
    assert response.status == 302
    assert Record.objects.filter(title="两台服务器之间的导入").count() == 1


def test_workers_starting_together_queue_each_daily_task_once():
    """run_worker queues the daily tasks as it starts (jobs.schedule); four
    workers starting at the same moment, each on its own connection, queue
    each of them once."""
    outcomes = at_once([lambda outcomes: outcomes.attempt(schedule.ensure_scheduled, refusal=())] * 4)
    assert outcomes.errors == []
    assert sum(outcomes.done) == len(schedule._daily) > 0
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY).values("task_path").annotate(n=Count("pk"))
    assert {row["task_path"]: row["n"] for row in waiting} == {task.module_path: 1 for task, _at in schedule._daily}
