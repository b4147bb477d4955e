"""A parent with a whole history (for the download and for deletion), and a second parent whose
data must never show up in the first one's."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.auth.links import issue_password_link
from app.auth.models import LinkPurpose, User
from app.auth.sessions import start_session
from app.certificates.models import Certificate
from app.extensions import db
from app.invites.services import admit, issue_invite
from app.learning.services import mark_read
from app.quizzes.models import AttemptAnswer, QuizAttempt
from app.timeutil import utcnow
from tests import factories
from tests.factories import World


@dataclass
class Family:
    world: World
    parent: User  # 王芳, guardian of 王小明 in class A: certified, admitted to the group
    other: User  # 刘强, guardian of 刘洋 in class B: certified, with a code of his own
    code: str  # 王芳's invite code (used: she was admitted with it)
    certificate: Certificate


def give_history(
    parent: User, school_class, teacher: User, course, *, admitted: bool
) -> tuple[str, Certificate]:
    """A lesson read, a submitted quiz attempt, the certificate, the charter, an invite code (used
    when `admitted`), a reset link from the teacher and a live sign-in."""
    now = utcnow()
    mark_read(parent, course, course.lessons[0], now)
    attempt = QuizAttempt(
        user_id=parent.id,
        course_slug=course.slug,
        course_version=course.version,
        draw=[],
        total=2,
        score=2,
        passed=True,
        started_at=now,
        submitted_at=now,
    )
    db.session.add(attempt)
    db.session.flush()
    for position, question in enumerate(course.quiz.questions[:2]):
        db.session.add(
            AttemptAnswer(
                attempt_id=attempt.id, position=position, question_id=question.id, chosen=[0], correct=True
            )
        )
    certificate = factories.certify(parent)
    factories.accept_charter_of(parent, school_class)
    token, code = issue_invite(parent, school_class, now)
    db.session.commit()
    if admitted:
        assert admit(teacher, token.id, now) is not None
    issue_password_link(parent, LinkPurpose.RESET, teacher, now, school_class=school_class)
    start_session(parent, now)
    db.session.commit()
    return code, certificate


@pytest.fixture
def family(world, catalogue) -> Family:
    course = catalogue.for_audience("parent")[0]
    users = world.users
    code, certificate = give_history(users["parent"], world.class_a, users["teacher"], course, admitted=True)
    give_history(users["parent_other"], world.class_b, users["teacher_other"], course, admitted=False)
    return Family(world, users["parent"], users["parent_other"], code, certificate)
