"""gunicorn settings for ParentPass: `gunicorn -c deploy/gunicorn.conf.py "app:create_app()"`.

Workers: sync, (2 × cores) + 1 to start with. A request here is short CPU work in Python plus a few
milliseconds waiting on PostgreSQL; while one worker waits another computes, so a little more than
one worker per core keeps the cores busy, and the "+1" covers a worker busy with a slow request.
Sync workers are safe behind nginx, which buffers slow phones' requests and responses (deploy/nginx/),
so a worker is never held by a slow network. Sign-in is the exception: argon2id spends ~50 ms of CPU
and 19 MiB per check by design. Measure with bench/ before changing the count; `WEB_CONCURRENCY`
overrides it without editing this file.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
worker_class = "sync"
# Load the app (and the content catalogue, rendered once) before forking: workers share it.
preload_app = True
timeout = 30
graceful_timeout = 30
keepalive = 5
# Restart a worker after this many requests (with jitter, so they do not restart together): a
# guard against slow growth from any library; bench/ measured none in 10,000 requests.
max_requests = 20000
max_requests_jitter = 2000
# nginx writes the access log (without password-link secrets); gunicorn logs errors only.
accesslog = None
errorlog = "-"
loglevel = "info"
# The app trusts X-Forwarded-For through its own ProxyFix (TRUSTED_PROXIES), not gunicorn's.
forwarded_allow_ips = "127.0.0.1"


def post_fork(server, worker):
    """A worker must never share the parent's database connections: drop any the preloaded app
    opened (without closing them under the parent's feet); each worker opens its own."""
    from app.extensions import db

    app = server.app.wsgi()
    if "sqlalchemy" not in getattr(app, "extensions", {}):
        return  # not ParentPass (bench/load/hello.py is served with this file too)
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)


def when_ready(server):
    """Before the workers fork: compile every template and load both languages once, here in the
    master (app/web/warmup.py), so that no worker's first pages pay for it after a start or reload."""
    app = server.app.wsgi()
    if "sqlalchemy" not in getattr(app, "extensions", {}):
        return  # not ParentPass
    from app.web.warmup import warm

    warm(app)
