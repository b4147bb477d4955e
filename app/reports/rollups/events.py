"""Roll-ups kept current as events happen: a commit that changes what a class counts refreshes
that class's roll-ups inside the same transaction, or, with ROLLUP_REFRESH=queued, queues the class
for `flask reports drain` (app/reports/rollups/queue.py) in that transaction.

After each flush we note which classes and parents the flushed rows touch; just before the commit
we refresh (or queue) those classes (a parent's reading, quizzes and certificate count in each of their
classes) and add the new quiz answers to the per-school question counts. Rows changed by bulk
UPDATEs are not seen here, so every such change also touches an ORM row of the same event (an
admission sets the membership; a graduation sets the class).
"""

from __future__ import annotations

from collections import Counter

from flask import current_app, has_app_context
from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from app.certificates.models import Certificate
from app.classes.models import Charter, CharterAcceptance, GuardianLink, RosterStudent, SchoolClass
from app.content.registry import catalogue
from app.invites.models import GroupMembership, InviteToken
from app.learning.models import LessonRead
from app.quizzes.models import AttemptAnswer, QuizAttempt
from app.reports.rollups import refresh as rollups
from app.reports.rollups.queue import queue_classes
from app.timeutil import utcnow

_BY_CLASS = (GuardianLink, RosterStudent, Charter, InviteToken, GroupMembership)
_BY_PARENT = (CharterAcceptance, Certificate)
# The weekly trend counts requests, first certificates and admissions (and forgets purged classes):
# a commit that changes none of these (most quiz submissions, lessons read, charters accepted)
# leaves the weekly figures alone, and does not wait on its school's other classes.
_WEEKLY = (SchoolClass, GuardianLink, GroupMembership, Certificate)
_KEY = "reports.pending"


def _pending(session: Session) -> dict:
    empty = {"classes": set(), "parents": set(), "readers": Counter(), "answers": [], "weekly": False}
    return session.info.setdefault(_KEY, empty)


def _note_flush(session: Session, _context) -> None:
    pending = _pending(session)
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, _WEEKLY):
            pending["weekly"] = True
        if isinstance(obj, SchoolClass):
            pending["classes"].add(obj.id)
        elif isinstance(obj, _BY_CLASS):
            pending["classes"].add(obj.class_id)
        elif isinstance(obj, _BY_PARENT):
            pending["parents"].add(obj.user_id)
        elif isinstance(obj, LessonRead) and obj in session.new:
            pending["readers"][obj.user_id] += 1
    for obj in session.new:
        if isinstance(obj, AttemptAnswer):
            pending["answers"].append((obj.attempt_id, obj.question_id, bool(obj.correct)))


def _refresh_before_commit(session: Session) -> None:
    if not has_app_context():
        return
    session.flush()  # what is still pending is noted by this flush
    pending = session.info.pop(_KEY, None)
    if not pending or not any(pending.values()):
        return
    answers = pending["answers"]
    owners = _attempt_owners(session, {attempt_id for attempt_id, _q, _c in answers})
    pending["parents"].update(user_id for user_id, _course in owners.values())
    # Reading counts only once, at a person's first lesson: later lessons change no figure.
    pending["parents"].update(_first_time_readers(session, pending["readers"]))
    touched, schools = rollups.classes_touching(pending["parents"])
    class_ids = pending["classes"] | touched
    now = utcnow()
    if current_app.config["ROLLUP_REFRESH"] == "queued":
        queue_classes(class_ids, pending["weekly"], now)
    else:
        required = [c.slug for c in catalogue().for_audience("parent")]
        rollups.refresh_classes(class_ids, required, now, weekly=pending["weekly"])
    answered: Counter = Counter()
    right: Counter = Counter()
    for attempt_id, question_id, correct in answers:
        user_id, course = owners[attempt_id]
        for school_id in schools.get(user_id, ()):
            answered[(school_id, course, question_id)] += 1
            right[(school_id, course, question_id)] += int(correct)
    rollups.add_answers({key: (n, right[key]) for key, n in answered.items()})
    session.info.pop(_KEY, None)


def _attempt_owners(session: Session, attempt_ids: set[int]) -> dict[int, tuple[int, str]]:
    """{attempt: (its owner, its course)}, from the attempts this session already holds (the
    submission loaded its attempt), asking the database only for the others."""
    owners = {}
    for attempt_id in attempt_ids:
        attempt = session.identity_map.get(identity_key(QuizAttempt, attempt_id))
        if attempt is not None and not {"user_id", "course_slug"} & inspect(attempt).unloaded:
            owners[attempt_id] = (attempt.user_id, attempt.course_slug)
    missing = attempt_ids - owners.keys()
    if missing:
        rows = session.execute(
            select(QuizAttempt.id, QuizAttempt.user_id, QuizAttempt.course_slug).where(
                QuizAttempt.id.in_(missing)
            )
        )
        owners.update({attempt_id: (user_id, course) for attempt_id, user_id, course in rows})
    return owners


def _first_time_readers(session: Session, readers: Counter) -> set[int]:
    """Readers whose every recorded lesson came with this commit: they just started learning."""
    if not readers:
        return set()
    totals = session.execute(
        select(LessonRead.user_id, func.count())
        .where(LessonRead.user_id.in_(readers))
        .group_by(LessonRead.user_id)
    )
    return {user_id for user_id, count in totals if count == readers[user_id]}


def _forget(session: Session, *_args) -> None:
    session.info.pop(_KEY, None)


def install() -> None:
    """Listen on every ORM session (once, however many apps are built)."""
    for name, listener in (
        ("after_flush", _note_flush),
        ("before_commit", _refresh_before_commit),
        ("after_rollback", _forget),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
