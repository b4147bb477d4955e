"""Every model, imported in one place so that Alembic and the shell see the whole schema."""

from app.audit.models import AuditEvent
from app.auth.models import PasswordLink, Role, User, UserSession
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
from app.invites.models import GroupMembership, InviteToken
from app.learning.models import LessonRead
from app.orgs.models import Bureau, School
from app.quizzes.models import AttemptAnswer, QuizAttempt
from app.reports.models import ClassRollup, CourseRollup, QuestionRollup, SchoolWeeklyRollup, WeeklyRollup

__all__ = [
    "ClassRollup",
    "CourseRollup",
    "QuestionRollup",
    "WeeklyRollup",
    "AuditEvent",
    "GroupMembership",
    "InviteToken",
    "PasswordLink",
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
    "SchoolWeeklyRollup",
    "School",
    "SchoolClass",
    "User",
    "UserSession",
]
