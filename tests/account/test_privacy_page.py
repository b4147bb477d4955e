"""The privacy notice: public, in the reader's language, from the content files, sanitised."""

import pytest

from app.config import PROJECT_ROOT
from app.content.notice import load_notice
from app.content.reader import ContentError


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["Privacy notice", "Who sees what", "Article 28"]),
        ("zh_Hans", ["个人信息保护法", "谁能看到什么"]),
    ],
)
def test_anyone_can_read_the_notice_in_their_language(client, lang, words):
    client.set_cookie("pp_lang", lang)
    response = client.get("/privacy")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for word in words:
        assert word in page
    assert "2026-11" in page


def test_the_notice_states_the_configured_retention_period(app, client):
    client.set_cookie("pp_lang", "en")
    days = app.config["RETENTION_DAYS"]
    assert f"{days} days after the class graduates" in client.get("/privacy").get_data(as_text=True)
    assert "{retention_days}" not in client.get("/privacy").get_data(as_text=True)


def test_the_notice_goes_through_the_sanitising_renderer(tmp_path):
    folder = tmp_path / "courses" / "privacy"
    folder.mkdir(parents=True)
    (folder / "notice.yaml").write_text('version: "2099-01"\n', encoding="utf-8")
    for lang in ("zh-Hans", "en"):
        text = "Kept {retention_days} days.<script>alert(1)</script> [x](javascript:alert(1))"
        (folder / f"notice.{lang}.md").write_text(text, encoding="utf-8")
    notice = load_notice(tmp_path, 90)
    assert notice.version == "2099-01"
    html = notice.html.get("en")
    assert "Kept 90 days." in html and "<script" not in html and "javascript:" not in html


def test_a_missing_translation_or_version_stops_with_every_problem(tmp_path):
    folder = tmp_path / "courses" / "privacy"
    folder.mkdir(parents=True)
    (folder / "notice.zh-Hans.md").write_text("告知", encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_notice(tmp_path, 180)
    problems = "\n".join(raised.value.problems)
    assert "notice.yaml: version" in problems and "notice.en.md: missing en" in problems


def test_the_shipped_notice_loads(app):
    notice = load_notice(PROJECT_ROOT, app.config["RETENTION_DAYS"])
    assert notice.version and notice.html.get("zh-Hans") and notice.html.get("en")
