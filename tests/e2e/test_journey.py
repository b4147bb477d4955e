"""The whole journey in a real browser on a 360 px phone, in zh-Hans and in English: a parent
registers, reads, fails a quiz, rereads, passes, accepts the charter, is certified and gets the
invite code; the head teacher checks and admits it; school staff open the report. No page of
the way scrolls sideways."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.content.registry import catalogue
from app.extensions import db
from app.invites.models import InviteToken
from app.quizzes.models import QuizAttempt
from tests import factories
from tests.e2e.helpers import accessibility_violations, no_sideways_scroll

PASSWORD = "a-good-long-password"
visited: list[str] = []


def go(page, path: str) -> None:
    page.goto(page.base + path)
    check_width(page)


def check_width(page) -> None:
    """Every page of the way: nothing scrolls sideways at 360 px, and axe-core finds no WCAG 2.2
    AA violation."""
    page.wait_for_load_state()
    visited.append(page.url)
    assert no_sideways_scroll(page), f"{page.url} scrolls sideways at 360 px"
    violations = accessibility_violations(page)
    assert not violations, f"{page.url}: {violations}"


def click_primary(page) -> None:
    page.locator("main .button.primary").last.click()
    check_width(page)


def answer(page, attempt_id: int, right: bool) -> None:
    """Tick the right (or wrong) choices of the attempt, as the draw stored on the server says."""
    db.session.expire_all()
    attempt = db.session.get(QuizAttempt, attempt_id)
    course = catalogue().courses[attempt.course_slug]
    for position, item in enumerate(attempt.draw):
        question = course.quiz.question(item["q"])
        tokens = [t for t, key in item["choices"] if (key in question.correct_keys) == right]
        if not right:
            tokens = tokens[:1] or [item["choices"][0][0]]
        for token in tokens:
            page.locator(f'input[name="q{position}"][value="{token}"]').check()
    db.session.rollback()
    page.locator("main form button.primary").click()
    check_width(page)


def read_course(page, course) -> None:
    go(page, f"/learn/{course.slug}/{course.lessons[0].slug}")
    for _lesson in course.lessons:
        click_primary(page)  # "I have read it": next lesson, then the quiz


def take_quiz(page, right: bool) -> None:
    page.locator("main form button.primary").click()  # start the quiz
    check_width(page)
    attempt_id = int(re.search(r"/quiz/(\d+)", page.url).group(1))
    answer(page, attempt_id, right)


@pytest.fixture
def school(world):
    factories.add_student(world.class_a, "张小雨", number="S0042")
    db.session.commit()
    return world


@pytest.mark.parametrize("lang", ["zh_Hans", "en"])
def test_from_registration_to_admission(new_page, school, lang):
    parent = new_page(lang, axe=True)
    go(parent, f"/register?code={school.class_a.join_code}")
    parent.fill("#child_name", "张小雨")
    parent.fill("#student_number", "S0042")
    parent.select_option("#relation", "mother")
    parent.fill("#real_name", "张丽")
    parent.fill("#phone", "13912345678")
    parent.fill("#password", PASSWORD)
    parent.fill("#wechat_id", "zhangli_2026")
    parent.check("#privacy_consent")
    parent.check("#child_consent")
    parent.locator("main form button.primary").click()
    check_width(parent)
    assert parent.url.endswith("/learn")

    courses = catalogue().for_audience("parent")
    first = courses[0]
    read_course(parent, first)
    take_quiz(parent, right=False)
    failed = parent.locator(".banner-warning.big").inner_text()
    assert ("还没通过" in failed) if lang == "zh_Hans" else ("Not passed yet" in failed)
    read_course(parent, first)  # reread, then try again
    take_quiz(parent, right=True)
    for course in courses[1:]:
        read_course(parent, course)
        take_quiz(parent, right=True)

    go(parent, f"/classes/{school.class_a.id}/charter")
    click_primary(parent)  # accept the charter
    go(parent, "/certificate")
    assert parent.locator(".certificate .code").inner_text().startswith("PP-")

    go(parent, f"/classes/{school.class_a.id}/invite")
    click_primary(parent)  # show my invite code
    code = parent.locator(".invite-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}", code)
    assert parent.locator(".qr svg").count() == 1

    teacher = new_page(lang, axe=True)
    go(teacher, "/login")
    teacher.fill("#phone", school.users["teacher"].phone)
    teacher.fill("#password", factories.PASSWORD)
    teacher.locator("main form button").click()
    check_width(teacher)
    go(teacher, f"/teacher/verify#{code.replace('-', '')}")
    assert teacher.input_value("#code") == code.replace("-", "")  # filled from the QR's fragment
    assert "#" not in teacher.url  # and the code is gone from the address
    teacher.locator("main form button.primary").last.click()
    check_width(teacher)
    assert teacher.locator(".verdict-valid").count() == 1
    assert "zhangli_2026" in teacher.content()
    teacher.locator(".verdict form button.primary").click()
    check_width(teacher)
    db.session.expire_all()
    assert db.session.scalars(select(InviteToken)).one().used_at is not None
    db.session.rollback()

    staff = new_page(lang, axe=True)
    go(staff, "/login")
    staff.fill("#phone", school.users["staff"].phone)
    staff.fill("#password", factories.PASSWORD)
    staff.locator("main form button").click()
    go(staff, f"/reports/schools/{school.school.id}")
    assert staff.locator("svg[role=img]").count() >= 3
    assert "张丽" not in staff.content()  # school staff never see parents' names
    assert len(visited) > 40
