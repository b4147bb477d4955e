"""With Redis as the rate-limit storage, separate processes share one allowance.

Two worker processes, each its own app with `RATELIMIT_STORAGE_URI` pointing at Redis, check codes
for the same teacher: together they get exactly the allowance, not twice it. Needs Redis; CI starts
it and sets REQUIRE_REDIS=1 so that a missing Redis fails instead of skipping.
"""

import json
import subprocess
import sys
import uuid

WORKER = """
import json, re, sys
from app import create_app
config = json.loads(sys.argv[1])
app = create_app(config)
client = app.test_client()
with client.session_transaction() as session:
    session["_user_id"] = config["session_id"]
page = client.get("/teacher/verify").get_data(as_text=True)
token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
codes = [client.post("/teacher/verify", data={"csrf_token": token, "code": "ZZZZ-ZZZZ-ZZ"}).status_code
         for _ in range(config["requests"])]
print(json.dumps(codes))
"""


def signed_in(user) -> str:
    """A live session token for `user`, for another process to put in its cookie."""
    from app.auth.sessions import start_session
    from app.extensions import db
    from app.timeutil import utcnow

    token = start_session(user, utcnow())
    db.session.commit()
    return token


def run_worker(config: dict) -> list[int]:
    result = subprocess.run(
        [sys.executable, "-c", WORKER, json.dumps(config)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_two_processes_share_one_allowance_in_redis(app, world, redis_url):
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "RATELIMIT_STORAGE_URI": redis_url,
        "RATELIMIT_KEY_PREFIX": f"pp-test-{uuid.uuid4().hex}",
        "VERIFY_RATE_LIMIT_TEACHER": "3 per minute",
        "session_id": signed_in(world.users["teacher"]),
        "requests": 2,
    }
    first = run_worker(config)
    second = run_worker(config)
    assert first == [200, 200]
    assert second == [200, 429]  # the third check is the last the two processes share


def test_in_memory_storage_does_not_share(app, world):
    """The control: without Redis each process counts alone, so both get their two checks."""
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "RATELIMIT_STORAGE_URI": "memory://",
        "VERIFY_RATE_LIMIT_TEACHER": "3 per minute",
        "session_id": signed_in(world.users["teacher"]),
        "requests": 2,
    }
    assert run_worker(config) == [200, 200]
    assert run_worker(config) == [200, 200]
