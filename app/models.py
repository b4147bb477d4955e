"""Every model, imported in one place so that Alembic and the shell see the whole schema."""

from app.auth.models import Role, User
from app.certificates.models import Certificate
from app.classes.models import (
    Charter,
    CharterAcceptance,
    GuardianLink,
    LinkStatus,
    Relation,
    RosterStudent,
    SchoolClass,
)
from app.learning.models import LessonRead
from app.orgs.models import Bureau, School
from app.quizzes.models import AttemptAnswer, QuizAttempt

__all__ = [
    "AttemptAnswer",
    "Bureau",
    "Certificate",
    "Charter",
    "CharterAcceptance",
    "GuardianLink",
    "LessonRead",
    "LinkStatus",
    "QuizAttempt",
    "Relation",
    "Role",
    "RosterStudent",
    "School",
    "SchoolClass",
    "User",
]
