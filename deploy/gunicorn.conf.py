"""gunicorn settings for the archive's web process, behind a reverse proxy.

    ./.venv/bin/gunicorn -c deploy/gunicorn.conf.py archive_site.wsgi

deploy/systemd/archive-web.service starts it so; deploy/nginx/archive.conf is
the proxy in front. The site's own settings come from the environment (.env,
see .env.example) as for every manage.py command. Overridable here:

    ARCHIVE_WEB_BIND      address or unix:/path (default 127.0.0.1:8000)
    ARCHIVE_WEB_WORKERS   worker processes (default: one per CPU core, at least 2)
    ARCHIVE_WEB_TIMEOUT   seconds a request may take before its worker is
                          killed and restarted (default 120)
    ARCHIVE_WEB_ACCESS_LOG  file, "-" for stderr/the journal (default), or
                          "off"

Sync workers, one request per process, because the pages are CPU-bound Python
(template rendering, PDF building): threads would only queue on the GIL, and
on SQLite more processes than cores did not raise throughput but doubled the
99th percentile (shared/docs/pitfalls.md: "Load"). Slow clients do not tie a
worker up, since the proxy buffers requests and responses; long work
(registers, large imports, mail) runs in the worker service, not in requests.
"""
import os

wsgi_app = "archive_site.wsgi:application"
chdir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

bind = os.environ.get("ARCHIVE_WEB_BIND", "127.0.0.1:8000")
worker_class = "sync"
workers = int(os.environ.get("ARCHIVE_WEB_WORKERS", "0")) or max(2, os.cpu_count() or 1)
# A page that takes longer is a bug or belongs in a background job; the proxy
# waits a little longer (proxy_read_timeout), so gunicorn's limit decides.
timeout = int(os.environ.get("ARCHIVE_WEB_TIMEOUT", "120"))
graceful_timeout = 30
# Only the proxy talks to gunicorn, over short-lived connections.
keepalive = 2

# A worker that built a large PDF keeps its peak memory (WeasyPrint: hundreds
# of MB) until it exits: replace each worker after about 1,000 requests, the
# jitter keeping the workers from restarting at the same moment.
max_requests = 1000
max_requests_jitter = 200
# Load Django once in the master and fork the workers from it: a replaced
# worker serves again within milliseconds instead of re-importing the site.
# No worker may inherit a database connection from the master (pre_fork).
preload_app = True

# The heartbeat file on a RAM disk, so a busy disk never stalls a worker.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# gunicorn >= 25 opens a control socket under $HOME by default; the archive
# does not use it, and two servers on one machine would share its path.
control_socket_disable = True

# The proxy on this machine sets X-Forwarded-Proto/-For (127.0.0.1 only, the
# default of forwarded_allow_ips); Django reads them through
# SECURE_PROXY_SSL_HEADER and ARCHIVE_PROXY_COUNT.
_access_log = os.environ.get("ARCHIVE_WEB_ACCESS_LOG", "-")
accesslog = None if _access_log == "off" else _access_log
# The client's address as the proxy saw it, and the time taken in ms.
access_log_format = '%({x-forwarded-for}i)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
errorlog = "-"
loglevel = "info"
proc_name = "archive-web"


def pre_fork(server, worker):
    """Should a start-up step ever open a database connection in the master,
    close it before forking: processes must not share one."""
    from django.db import connections

    connections.close_all()
