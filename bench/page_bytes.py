"""Bytes a phone downloads on a first visit to each main page, gzip-compressed (as the production
path serves them): the HTML plus every stylesheet and script it links. Budget: a lesson page
≤ 40 KB in all, no web fonts.

    .venv/bin/python bench/page_bytes.py     # builds its own SQLite demo in a temporary folder
"""

from __future__ import annotations

import gzip
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app import create_app  # noqa: E402
from app.auth.models import User  # noqa: E402
from app.auth.sessions import start_session  # noqa: E402
from app.demo import load_demo  # noqa: E402
from app.extensions import db  # noqa: E402
from app.timeutil import utcnow  # noqa: E402

BUDGET = 40 * 1024
LINKED = re.compile(r'(?:href|src)="(/assets/[^"]+)"')


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def measure(client, path: str) -> tuple[int, int, int]:
    html = client.get(path).get_data()
    assets = [client.get(url).get_data() for url in sorted(set(LINKED.findall(html.decode())))]
    return gz(html), sum(gz(a) for a in assets), len(html)


def main() -> None:
    folder = tempfile.mkdtemp()
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bytes.sqlite3"})
    with app.app_context():
        upgrade()
        load_demo()
        db.session.commit()
        ids = {
            phone: start_session(db.session.scalar(select(User).where(User.phone == phone)), utcnow())
            for phone in ("13900000011", "13900000003", "13900000002")
        }
        db.session.commit()
    pages = {
        "13900000011": [
            "/learn",
            "/learn/etiquette",
            "/learn/etiquette/why-rules",
            "/learn/scams/fake-teacher-fee",
            "/certificate",
            "/classes/1/invite",
        ],
        "13900000003": ["/home", "/classes/1", "/teacher/verify"],
        "13900000002": ["/school/classes", "/reports/schools/1"],
    }
    print(f"{'page':<34} {'HTML':>8} {'CSS+JS':>8} {'total':>8}  (gzip; raw HTML)")
    over = []
    for phone, paths in pages.items():
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = ids[phone]
        for path in paths:
            html, assets, raw = measure(client, path)
            total = html + assets
            print(f"{path:<34} {html:>8,} {assets:>8,} {total:>8,}  ({raw:,})")
            if "/learn/" in path and path.count("/") == 3 and total > BUDGET:
                over.append(path)
    print("lesson pages within 40 KB:", "yes" if not over else f"no: {over}")


if __name__ == "__main__":
    main()
