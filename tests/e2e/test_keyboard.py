"""The parent's journey once more with the keyboard alone: Tab to move, Enter and Space to act,
arrow keys within a group of choices. Every element reached shows a visible focus ring."""

from __future__ import annotations

import re

import pytest

from app.content.registry import catalogue
from app.extensions import db
from app.quizzes.models import QuizAttempt
from tests import factories

MAX_TABS = 80
# The focused element's outline style if it matches the selector, else null.
FOCUSED_OUTLINE = """sel => {
    const el = document.activeElement;
    return el && el.matches(sel) ? getComputedStyle(el).outlineStyle : null;
}"""


def tab_to(page, selector: str) -> None:
    """Press Tab until the focused element matches `selector`; every stop must show its focus."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        outline = page.evaluate(FOCUSED_OUTLINE, selector)  # one round trip per stop
        if outline is not None:
            assert outline != "none", f"{selector} has no visible focus"
            return
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def activate(page, selector: str) -> None:
    """Tab to a button or link that leads to another page, and press Enter."""
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def choose(page, name: str, token: str, many: bool) -> None:
    """Select one choice: Space on a checkbox; arrow keys within a radio group."""
    target = f'input[name="{name}"][value="{token}"]'
    if many:
        tab_to(page, target)
        page.keyboard.press("Space")
        return
    tab_to(page, f'input[name="{name}"]')
    for _ in range(8):
        if page.locator(target).is_checked():
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"could not reach {target} with the arrow keys")


def answer_right(page) -> None:
    attempt_id = int(re.search(r"/quiz/(\d+)", page.url).group(1))
    db.session.expire_all()
    attempt = db.session.get(QuizAttempt, attempt_id)
    course = catalogue().courses[attempt.course_slug]
    plan = []
    for position, item in enumerate(attempt.draw):
        question = course.quiz.question(item["q"])
        right = [t for t, key in item["choices"] if key in question.correct_keys]
        plan.append((f"q{position}", right, question.type == "multiple"))
    db.session.rollback()
    for name, tokens, many in plan:
        for token in tokens:
            choose(page, name, token, many)
    activate(page, "main form button.primary")


@pytest.fixture
def parent_page(new_page, world):
    db.session.commit()
    page = new_page("en")
    page.goto(page.base + "/login")
    type_into(page, "#phone", world.users["parent"].phone)
    type_into(page, "#password", factories.PASSWORD)
    activate(page, "main form button")
    return page


def test_the_parent_journey_by_keyboard(parent_page, world):
    page = parent_page
    assert page.url.endswith("/learn")
    for course in catalogue().for_audience("parent"):
        page.goto(page.base + f"/learn/{course.slug}/{course.lessons[0].slug}")
        for _lesson in course.lessons:
            activate(page, "main form button.primary")  # I have read it
        activate(page, "main form button.primary")  # start the quiz
        answer_right(page)
        assert "/result" in page.url
    page.goto(page.base + f"/classes/{world.class_a.id}/charter")
    activate(page, "main form button.primary")
    page.goto(page.base + f"/classes/{world.class_a.id}/invite")
    activate(page, "main form button.primary")
    assert re.fullmatch(
        r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}", page.locator(".invite-code").inner_text().strip()
    )
