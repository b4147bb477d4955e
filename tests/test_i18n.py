"""zh-Hans and English: chosen from the browser, switchable, remembered, complete."""

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from babel.messages.pofile import read_po

from app.certificates.models import Certificate
from app.config import PROJECT_ROOT
from app.extensions import db
from tests import factories
from tests.helpers import post, sign_in_as

PO = PROJECT_ROOT / "app" / "translations" / "zh_Hans" / "LC_MESSAGES" / "messages.po"


@pytest.mark.parametrize(
    ("accept", "lang"),
    [
        (None, "zh-Hans"),
        ("fr-FR,fr;q=0.9", "zh-Hans"),
        ("en-US,en;q=0.8", "en"),
        ("zh-TW", "zh-Hans"),
        ("de,en;q=0.5", "en"),
    ],
)
def test_language_follows_the_browser_with_zh_hans_as_default(client, accept, lang):
    headers = {"Accept-Language": accept} if accept else {}
    page = client.get("/", headers=headers).get_data(as_text=True)
    assert f'<html lang="{lang}">' in page


def test_switching_language_is_remembered_and_returns_to_the_page(client):
    response = post(client, "/language", {"lang": "en", "next": "/login"})
    assert response.headers["Location"] == "/login"
    page = client.get("/login", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert '<html lang="en">' in page and "Sign in" in page
    post(client, "/language", {"lang": "zh_Hans", "next": "/login"})
    assert "登录" in client.get("/login").get_data(as_text=True)


def test_switching_to_an_unknown_language_changes_nothing(client):
    post(client, "/language", {"lang": "xx", "next": "https://evil.example/"})
    assert '<html lang="zh-Hans">' in client.get("/").get_data(as_text=True)


def _catalogue():
    with PO.open("rb") as handle:
        return read_po(handle)


def test_every_message_has_a_chinese_translation():
    missing = [
        m.id
        for m in _catalogue()
        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    fuzzy = [m.id for m in _catalogue() if m.id and m.fuzzy]
    assert missing == [] and fuzzy == []


def test_catalogue_holds_every_string_in_the_code(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            "--no-location",
            ".",
        ],
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        in_code = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalogue() if m.id}
    assert in_code - translated == set()


def test_dates_are_shown_in_the_schools_time_zone(client):
    school = factories.make_school(factories.make_bureau())
    parent = factories.make_parent(factories.make_class(school))
    issued = datetime(2026, 11, 23, 17, 30, tzinfo=UTC)  # 01:30 on the 24th in Shanghai
    db.session.add(
        Certificate(
            number="PP-TEST-0000-0001",
            user_id=parent.id,
            audience="parent",
            content_version="x 1",
            issued_at=issued,
            expires_at=issued + timedelta(days=3650),
        )
    )
    db.session.commit()
    sign_in_as(client, parent)
    assert "2026年11月24日" in client.get("/certificate").get_data(as_text=True)
    client.set_cookie("pp_lang", "en")
    assert "24 Nov 2026" in client.get("/certificate").get_data(as_text=True)
