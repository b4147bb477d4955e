"""The whole parent journey through the pages, in both languages: register with the join code,
read, fail a quiz, review, pass every quiz, accept the charter, get the certificate."""

import pytest
from markupsafe import escape
from sqlalchemy import select

from app.auth.models import User
from app.classes.models import GuardianLink
from app.extensions import db
from tests import factories
from tests.helpers import post
from tests.journey_helpers import read_course, take_quiz

TEXT = {
    "zh_Hans": {"path": "我的学习", "passed": "通过", "certified": "已认证", "charter": "群公约"},
    "en": {"path": "My path", "passed": "Passed", "certified": "Certified", "charter": "charter"},
}


@pytest.mark.parametrize("lang", ["zh_Hans", "en"])
def test_parent_goes_from_join_code_to_certificate(client, catalogue, lang):
    city = factories.make_bureau()
    school = factories.make_school(factories.make_bureau("区教育局", city))
    school_class = factories.make_class(school, factories.make_user("teacher", school_id=school.id))
    factories.add_student(school_class, "王小明", number="20260301")
    db.session.commit()
    client.set_cookie("pp_lang", lang)
    words = TEXT[lang]

    form = client.get(f"/register?code={school_class.join_code}").get_data(as_text=True)
    assert school_class.join_code in form
    response = post(
        client,
        "/register",
        {
            "join_code": school_class.join_code.lower(),
            "child_name": " 王小明 ",
            "student_number": "20260301",
            "relation": "mother",
            "real_name": "王芳",
            "phone": "138 0013 8000",
            "wechat_id": "wangfang_88",
            "password": "a-long-password",
            "privacy_consent": "y",
            "child_consent": "y",
        },
    )
    assert response.status_code == 302
    parent = db.session.scalar(select(User).where(User.phone == "13800138000"))
    link = db.session.scalar(select(GuardianLink).where(GuardianLink.parent_id == parent.id))
    assert link.status == "approved" and link.child_name == "王小明"

    path = client.get("/learn").get_data(as_text=True)
    assert words["path"] in path
    courses = catalogue.for_audience("parent")
    first = courses[0]
    read_course(client, first)

    failed, attempt = take_quiz(client, first, right=False)
    result = client.get(failed.headers["Location"]).get_data(as_text=True)
    missed_lessons = {first.quiz.question(item["q"]).lesson for item in attempt.draw}
    for slug in missed_lessons:
        assert str(escape(first.lesson(slug).title.get("zh-Hans" if lang == "zh_Hans" else "en"))) in result
    blocked = post(client, f"/learn/{first.slug}/quiz/start")
    assert blocked.headers["Location"].endswith(f"/learn/{first.slug}/quiz")

    read_course(client, first)
    for course in courses:
        if course is not first:
            read_course(client, course)
        passed, _ = take_quiz(client, course, right=True)
        assert words["passed"] in client.get(passed.headers["Location"]).get_data(as_text=True)

    charter = client.get(f"/classes/{school_class.id}/charter").get_data(as_text=True)
    assert words["charter"] in charter
    assert post(client, f"/classes/{school_class.id}/charter/accept").status_code == 302

    certificate = client.get("/certificate").get_data(as_text=True)
    assert words["certified"] in certificate
    assert "PP-" in certificate
    assert ", ".join(f"{c.slug} {c.version}" for c in courses) in certificate
