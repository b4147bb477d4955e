"""A course page and a lesson (the path that lists the courses is the learner's home, in
app/main; adding another child is app/registration)."""

from flask import Blueprint, abort, make_response, redirect, render_template, url_for
from flask_login import current_user

from app.auth.access import role_required
from app.auth.models import Role
from app.content.registry import course_or_404
from app.extensions import db
from app.forms import EmptyForm
from app.learning.services import (
    lesson_after,
    mark_read,
    next_lesson,
    path_progress,
    reads_by_course,
)
from app.timeutil import utcnow
from app.web.http import shareable
from app.web.pagecache import shared_page

bp = Blueprint("learning", __name__, url_prefix="/learn")

LEARNERS = (Role.PARENT, Role.TEACHER)


@bp.route("/<course_slug>")
@role_required(*LEARNERS)
def course(course_slug: str):
    """A course: its lessons with read marks, and the way to its quiz."""
    course = course_or_404(course_slug, current_user.audience)
    reads = reads_by_course(current_user)
    read = reads.get(course.slug, {})
    return render_template(
        "learning/course.html",
        course=course,
        read=read,
        resume_lesson=next_lesson(course, read),
        progress=path_progress(current_user, [course], reads)[0],
    )


@bp.route("/<course_slug>/<lesson_slug>")
@role_required(*LEARNERS)
def lesson(course_slug: str, lesson_slug: str):
    """One lesson, its Markdown rendered at start-up and the page once per language and mode."""
    course = course_or_404(course_slug, current_user.audience)
    lesson = course.lesson(lesson_slug)
    if lesson is None:
        abort(404)
    page = shared_page(
        lambda: render_template(
            "learning/lesson.html",
            course=course,
            lesson=lesson,
            number=None if lesson.optional else course.lessons.index(lesson) + 1,
            form=EmptyForm(),
        )
    )
    return shareable(make_response(page))


@bp.route("/<course_slug>/<lesson_slug>/read", methods=["POST"])
@role_required(*LEARNERS)
def finish_lesson(course_slug: str, lesson_slug: str):
    """Mark the lesson read and go on: the next lesson, or the quiz after the last one."""
    course = course_or_404(course_slug, current_user.audience)
    lesson = course.lesson(lesson_slug)
    if lesson is None or lesson.optional:
        abort(404)
    mark_read(current_user, course, lesson, utcnow())
    db.session.commit()
    following = lesson_after(course, lesson)
    if following is not None:
        return redirect(url_for("learning.lesson", course_slug=course.slug, lesson_slug=following.slug))
    return redirect(url_for("quizzes.overview", course_slug=course.slug))
