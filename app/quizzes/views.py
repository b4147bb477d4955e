"""Taking a course quiz: the overview, starting, answering, and the result."""

from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.auth.access import role_required
from app.auth.models import Role
from app.certificates.services import certify_if_complete
from app.content.registry import catalogue, course_or_404
from app.extensions import db, limiter
from app.forms import EmptyForm
from app.i18n import content_lang
from app.learning.services import reads_by_course
from app.quizzes.presenters import shown_questions
from app.quizzes.queries import own_attempt_or_404, passed_course_slugs
from app.quizzes.services import (
    RetryRules,
    SubmissionRefused,
    discard_stale,
    is_stale,
    lessons_to_review,
    quiz_state,
    start_attempt,
    submit_attempt,
)
from app.timeutil import utcnow

bp = Blueprint("quizzes", __name__)

LEARNERS = (Role.PARENT, Role.TEACHER)


def _rules() -> RetryRules:
    config = current_app.config
    return RetryRules(
        fails=config["QUIZ_FAILS_BEFORE_WAIT"],
        window=timedelta(minutes=config["QUIZ_WAIT_WINDOW_MINUTES"]),
    )


def _state(course):
    reads = reads_by_course(current_user).get(course.slug, {})
    return quiz_state(current_user, course, reads, utcnow(), _rules())


def _course_of(attempt):
    course = course_or_404(attempt.course_slug, current_user.audience)
    if course.quiz is None:
        abort(404)
    return course


def _render_take(course, attempt, chosen, errors) -> str:
    return render_template(
        "quizzes/take.html",
        course=course,
        attempt=attempt,
        questions=shown_questions(course, attempt, content_lang()),
        form=EmptyForm(),
        chosen=chosen,
        errors=errors,
    )


@bp.route("/learn/<course_slug>/quiz")
@role_required(*LEARNERS)
def overview(course_slug: str):
    """What the quiz asks, and whether the person can start now (or why not yet)."""
    course = course_or_404(course_slug, current_user.audience)
    return render_template("quizzes/overview.html", course=course, state=_state(course), form=EmptyForm())


@bp.route("/learn/<course_slug>/quiz/start", methods=["POST"])
@role_required(*LEARNERS)
def start(course_slug: str):
    """Open an attempt (or return to the one already open) and show its questions."""
    course = course_or_404(course_slug, current_user.audience)
    try:
        attempt = start_attempt(current_user, course, _state(course), utcnow())
        if attempt is not None:
            db.session.commit()
    except IntegrityError:  # a second tap at the same moment opened it: go to that one
        db.session.rollback()
        attempt = start_attempt(current_user, course, _state(course), utcnow())
    if attempt is None:
        flash(_("This quiz cannot be started right now. The page below says why."), "warning")
        return redirect(url_for("quizzes.overview", course_slug=course.slug))
    return redirect(url_for("quizzes.take", attempt_id=attempt.id))


@bp.route("/quiz/<id:attempt_id>")
@role_required(*LEARNERS)
def take(attempt_id: int):
    """The questions of an open attempt; choices carry per-attempt random tokens only."""
    attempt = own_attempt_or_404(current_user.id, attempt_id)
    if attempt.submitted_at is not None:
        return redirect(url_for("quizzes.result", attempt_id=attempt.id))
    course = _course_of(attempt)
    if is_stale(course, attempt):
        return _questions_updated(course)
    return _render_take(course, attempt, chosen={}, errors={}), 200


def _questions_updated(course):
    """An open attempt drawn before the bank changed: nothing is graded; a fresh quiz waits."""
    discard_stale(current_user.id, course)
    db.session.commit()
    flash(_("The questions of this quiz were updated. Please start again with the new questions."), "info")
    return redirect(url_for("quizzes.overview", course_slug=course.slug))


def _submit_limit() -> str:
    return current_app.config["QUIZ_SUBMIT_RATE_LIMIT"]


def _learner_key() -> str:
    return f"quiz-submit:{current_user.id if current_user.is_authenticated else 'anonymous'}"


@bp.route("/quiz/<id:attempt_id>", methods=["POST"])
@limiter.limit(_submit_limit, key_func=_learner_key)
@role_required(*LEARNERS)
def submit(attempt_id: int):
    """Grade on the server. A refused submission records nothing and says why."""
    attempt = own_attempt_or_404(current_user.id, attempt_id)
    course = _course_of(attempt)
    if attempt.submitted_at is None and is_stale(course, attempt):
        return _questions_updated(course)
    answers = {key: request.form.getlist(key) for key in request.form if key.startswith("q")}
    try:
        submit_attempt(course, attempt, answers, utcnow())
    except SubmissionRefused as refused:
        db.session.rollback()
        if refused.reason == "closed":
            flash(_("This quiz was already submitted. Here is its result."), "info")
            return redirect(url_for("quizzes.result", attempt_id=attempt.id))
        message = (
            _("Please answer this question.")
            if refused.reason == "missing"
            else _("This answer is not one of the choices. Please choose again.")
        )
        flash(
            _("Please answer every question before you submit.")
            if refused.reason == "missing"
            else _("Some answers could not be read. Please choose again."),
            "error",
        )
        chosen = {k: set(v) for k, v in answers.items()}
        errors = {pos: message for pos in refused.positions}
        return _render_take(course, attempt, chosen, errors), 400
    certificate = None
    if attempt.passed:
        certificate = certify_if_complete(
            current_user,
            catalogue(),
            passed_course_slugs(current_user.id),
            utcnow(),
            current_app.config["CERTIFICATE_VALID_DAYS"],
        )
    db.session.commit()
    if certificate is not None:
        flash(_("Congratulations! You passed every required quiz and are now certified."), "success")
    return redirect(url_for("quizzes.result", attempt_id=attempt.id))


@bp.route("/quiz/<id:attempt_id>/result")
@role_required(*LEARNERS)
def result(attempt_id: int):
    """Score, pass or fail, every question with its explanation, and what to review."""
    attempt = own_attempt_or_404(current_user.id, attempt_id)
    if attempt.submitted_at is None:
        return redirect(url_for("quizzes.take", attempt_id=attempt.id))
    course = _course_of(attempt)
    review = [] if attempt.passed else lessons_to_review(course, attempt)
    return render_template(
        "quizzes/result.html",
        course=course,
        attempt=attempt,
        review=review,
        updated=is_stale(course, attempt),
        questions=shown_questions(course, attempt, content_lang()),
    )
