"""Optional lessons ("more to read") are there to read, and ask nothing: no step, no quiz, no gate."""

from sqlalchemy import func, select

from app.extensions import db
from app.learning.models import LessonRead
from tests.helpers import csrf_token, post, sign_in_as

COURSE = "/learn/scams"
OPTIONAL = "/learn/scams/more-scams"


def test_the_course_page_lists_optional_lessons_apart_and_counts_only_required_steps(
    client, world, catalogue
):
    client.set_cookie("pp_lang", "en")
    sign_in_as(client, world.users["parent"])
    page = client.get(COURSE).get_data(as_text=True)
    required = len(catalogue.courses["scams"].lessons)
    assert f"0 of {required + 1} steps done" in page
    more = page.index("More to read (optional)")
    assert page.index('href="/learn/scams/more-scams"') > more
    assert page.index('href="/learn/scams/what-to-do"') < more


def test_an_optional_lesson_reads_without_a_step_to_mark(client, world):
    client.set_cookie("pp_lang", "en")
    sign_in_as(client, world.users["parent"])
    page = client.get(OPTIONAL).get_data(as_text=True)
    assert "More to read (optional)" in page
    assert "/more-scams/read" not in page
    assert 'href="/learn/scams"' in page and "Back to Staying safe from scams" in page
    response = post(client, f"{OPTIONAL}/read", {"csrf_token": csrf_token(client, OPTIONAL)})
    assert response.status_code == 404
    reads = select(func.count()).select_from(LessonRead).where(LessonRead.user_id == world.users["parent"].id)
    assert db.session.scalar(reads) == 0


def test_reading_every_required_lesson_leads_to_the_quiz(client, world, catalogue):
    sign_in_as(client, world.users["parent"])
    lessons = catalogue.courses["scams"].lessons
    for lesson in lessons:
        url = f"{COURSE}/{lesson.slug}"
        response = post(client, f"{url}/read", {"csrf_token": csrf_token(client, url)})
    assert response.headers["Location"].endswith("/learn/scams/quiz")
    client.set_cookie("pp_lang", "en")
    page = client.get(COURSE).get_data(as_text=True)
    assert f"{len(lessons)} of {len(lessons) + 1} steps done" in page
    assert "Go to the quiz" in page  # the unread optional lesson holds nothing up
