"""Four gunicorn workers sharing Redis enforce a sign-in limit exactly, however the requests are
spread over the workers and however many arrive at once; with per-process (`memory://`) storage
each worker counts alone and lets through more (the control that shows the test can fail)."""

from __future__ import annotations

import re
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

LIMIT = 5
TRIES = 16
LIMITS = {
    "LOGIN_RATE_LIMIT_ACCOUNT": f"{LIMIT} per 10 minutes",
    "LOGIN_RATE_LIMIT_CLIENT": "1000 per 10 minutes",
}


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


def test_four_workers_sharing_redis_allow_exactly_the_limit(gunicorn, redis_url):
    base, log = gunicorn({**LIMITS, "RATELIMIT_STORAGE_URI": redis_url}, workers=4)
    answers = tries_through(base)
    assert sorted(answers) == [200] * LIMIT + [429] * (TRIES - LIMIT)
    assert len(workers_that_answered(log)) > 1  # the tries really were spread over workers


def test_per_process_storage_lets_each_worker_count_alone(gunicorn):
    base, log = gunicorn({**LIMITS, "RATELIMIT_STORAGE_URI": "memory://"}, workers=4)
    answers = tries_through(base)
    spread = len(workers_that_answered(log))
    assert spread > 1
    assert answers.count(200) > LIMIT
