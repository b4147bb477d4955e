"""The parent's path, a course page, a lesson, and joining another child's class."""

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.account.consent import record_child_consent
from app.auth.access import role_required
from app.auth.forms import ChildForm
from app.auth.models import Role
from app.certificates.services import current_certificate
from app.classes.queries import parent_links
from app.classes.services import AlreadyLinked, TooManyPending, link_guardian
from app.content.pace import path_reading
from app.content.registry import catalogue, course_or_404
from app.extensions import db, limiter
from app.forms import EmptyForm
from app.http import shareable
from app.invites.services import path_classes
from app.learning.services import (
    lesson_after,
    mark_read,
    next_lesson,
    path_progress,
    reads_by_course,
)
from app.pagecache import shared_page
from app.timeutil import utcnow

bp = Blueprint("learning", __name__, url_prefix="/learn")

LEARNERS = (Role.PARENT, Role.TEACHER)


@bp.route("")
@role_required(*LEARNERS)
def path():
    """The checklist: each course with its progress, then charters, then the certificate."""
    courses = catalogue().for_audience(current_user.audience)
    reads = reads_by_course(current_user)
    progress = path_progress(current_user, courses, reads)
    resume = next((p for p in progress if p.state != "done"), None)
    resume_lesson = next_lesson(resume.course, reads.get(resume.course.slug, {})) if resume else None
    links = parent_links(current_user) if current_user.role == Role.PARENT else []
    now = utcnow()
    certificate = current_certificate(current_user, now)
    return render_template(
        "learning/path.html",
        progress=progress,
        resume=resume,
        resume_lesson=resume_lesson,
        path=path_reading(catalogue(), current_user.audience),
        charters=path_classes(current_user, links, now, certified=certificate is not None),
        certificate=certificate,
    )


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


def _add_child_limit() -> str:
    return current_app.config["ADD_CHILD_RATE_LIMIT"]


def _account_key() -> str:
    return f"add-child:{current_user.id if current_user.is_authenticated else 'anonymous'}"


@bp.route("/children/add", methods=["GET", "POST"])
@limiter.limit(_add_child_limit, key_func=_account_key, methods=["POST"])
@role_required(Role.PARENT)
def add_child():
    """One account can guard several children, in several classes (each with the guardian's
    separate consent for that child, which the form requires)."""
    form = ChildForm()
    if form.validate_on_submit():
        now = utcnow()
        try:
            link = link_guardian(
                current_user,
                form.school_class,
                form.child_name.data,
                form.relation.data,
                form.student_number.data or "",
                now,
            )
            record_child_consent(link, now)
            db.session.commit()
        except AlreadyLinked:
            db.session.rollback()
            form.child_name.errors.append(_("You have already added this child in this class."))
        except TooManyPending:
            db.session.rollback()
            form.child_name.errors.append(
                _(
                    "%(num)d of your requests are still waiting for teachers. Please add this child "
                    "once a teacher has answered one of them.",
                    num=current_app.config["PENDING_REQUESTS_MAX"],
                )
            )
        else:
            if link.status == "approved":
                flash(_("Your child's class has been added."), "success")
            else:
                flash(_("Added. The teacher will confirm that you are this child's guardian."), "info")
            return redirect(url_for("learning.path"))
    return render_template("learning/add_child.html", form=form)
