"""App servers for the deployment tests: gunicorn with deploy/gunicorn.conf.py (preloaded app,
post_fork hook) over the suite's database, each on its own port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(database_url: str, env: dict, workers: int, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    settings = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "gunicorn-test-secret-0123456789abcdef",
        # the suite's token keys, so codes made by the tests verify on the servers
        "TOKEN_KEYS": "t1:test-token-key-one,t0:test-token-key-zero",
        "TOKEN_KEY_ID": "t1",
        "RATELIMIT_KEY_PREFIX": f"pp-gunicorn-{uuid.uuid4().hex}",
        **env,
    }
    command = [str(GUNICORN), "-c", "deploy/gunicorn.conf.py", "--workers", str(workers)]
    command += ["--bind", f"127.0.0.1:{port}", "--access-logfile", str(log)]
    command += ["--access-logformat", "%(p)s %(m)s %(U)s %(s)s", "app:create_app()"]  # worker pid first
    process = subprocess.Popen(
        command, cwd=ROOT, env=settings, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2).read()
            time.sleep(0.5)  # the other workers are forked by now
            return process, base
        except OSError:
            if process.poll() is not None:
                pytest.fail("gunicorn did not start: " + process.stderr.read().decode()[-2000:])
            time.sleep(0.1)
    process.kill()
    pytest.fail("gunicorn did not answer")


@pytest.fixture
def gunicorn(app, tmp_path):
    """start(env, workers) → (base URL, access log path); every server is stopped afterwards."""
    started = []

    def start(env: dict, workers: int = 1) -> tuple[str, Path]:
        log = tmp_path / f"access-{len(started)}.log"
        process, base = start_gunicorn(app.config["SQLALCHEMY_DATABASE_URI"], env, workers, log)
        started.append(process)
        return base, log

    yield start
    for process in started:
        process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown: SIGTERM's graceful one idles ~2 s
        process.wait(timeout=20)
