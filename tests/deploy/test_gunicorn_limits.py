"""Four gunicorn workers sharing Redis enforce a sign-in limit exactly, however the requests are
spread over the workers and however many arrive at once; with per-process (`memory://`) storage
each worker counts alone and lets through more (the control that shows the test can fail)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
LIMIT = 5
TRIES = 16


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(database_url: str, storage: str, tmp_path: Path) -> tuple[subprocess.Popen, str, Path]:
    port = _free_port()
    log = tmp_path / f"access-{port}.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "gunicorn-test-secret-0123456789abcdef",
        "RATELIMIT_STORAGE_URI": storage,
        "RATELIMIT_KEY_PREFIX": f"pp-gunicorn-{uuid.uuid4().hex}",
        "LOGIN_RATE_LIMIT_ACCOUNT": f"{LIMIT} per 10 minutes",
        "LOGIN_RATE_LIMIT_CLIENT": "1000 per 10 minutes",
    }
    # The production configuration (preloaded app, post_fork hook), with four workers and a log.
    command = [
        str(GUNICORN),
        "-c",
        "deploy/gunicorn.conf.py",
        "--workers",
        "4",
        "--bind",
        f"127.0.0.1:{port}",
    ]
    command += ["--access-logfile", str(log)]
    command += ["--access-logformat", "%(p)s %(m)s %(s)s", "app:create_app()"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/login", timeout=2).read()
            time.sleep(0.5)  # the other workers are forked by now
            return process, base, log
        except OSError:
            if process.poll() is not None:
                pytest.fail("gunicorn did not start: " + process.stderr.read().decode()[-2000:])
            time.sleep(0.1)
    process.kill()
    pytest.fail("gunicorn did not answer")


def tries_through(base: str) -> list[int]:
    """TRIES parallel wrong-password sign-ins for one account; the status of each."""
    first = urllib.request.urlopen(base + "/login", timeout=10)
    cookie = first.headers["Set-Cookie"].split(";", 1)[0]
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', first.read().decode()).group(1)
    body = urllib.parse.urlencode(
        {"csrf_token": token, "phone": "13800138000", "password": "not-the-one"}
    ).encode()

    def one(_):
        request = urllib.request.Request(base + "/login", data=body, headers={"Cookie": cookie})
        try:
            return urllib.request.urlopen(request, timeout=30).status
        except urllib.error.HTTPError as refused:
            return refused.code

    with ThreadPoolExecutor(max_workers=TRIES) as pool:
        return list(pool.map(one, range(TRIES)))


def workers_that_answered(log: Path) -> set[str]:
    time.sleep(0.3)  # the access log is written after each answer
    return {line.split()[0] for line in log.read_text().splitlines() if " POST " in line}


@pytest.fixture
def server(app, tmp_path):
    started = []

    def start(storage):
        process, base, log = start_gunicorn(app.config["SQLALCHEMY_DATABASE_URI"], storage, tmp_path)
        started.append(process)
        return base, log

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=20)


def test_four_workers_sharing_redis_allow_exactly_the_limit(server, redis_url):
    base, log = server(redis_url)
    answers = tries_through(base)
    assert sorted(answers) == [200] * LIMIT + [429] * (TRIES - LIMIT)
    assert len(workers_that_answered(log)) > 1  # the tries really were spread over workers


def test_per_process_storage_lets_each_worker_count_alone(server):
    base, log = server("memory://")
    answers = tries_through(base)
    spread = len(workers_that_answered(log))
    assert spread > 1
    assert answers.count(200) > LIMIT
