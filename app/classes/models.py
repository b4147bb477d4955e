"""A class, its roster, the parents linked to its students, and its charter."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.timeutil import UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.auth.models import User
    from app.orgs.models import School


class ClassStatus(StrEnum):
    ACTIVE = "active"
    GRADUATED = "graduated"


class InvitePolicy(StrEnum):
    AUTOMATIC = "automatic"  # an eligible parent gets a code at once
    APPROVAL = "approval"  # an eligible parent waits for the teacher's go-ahead


class SchoolClass(db.Model):
    """A class (班级) in a school year, run by a head teacher who owns its parent group.

    Graduating dissolves the group; after the retention period the purge deletes its personal
    data and keeps only `archived_counts`, so reports still add up.
    """

    __tablename__ = "classes"
    # One class of a name per grade and school year: two simultaneous "create" taps make one.
    __table_args__ = (UniqueConstraint("school_id", "grade", "name", "school_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    grade: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(50))
    school_year: Mapped[str] = mapped_column(String(9))
    join_code: Mapped[str] = mapped_column(String(8), unique=True)
    head_teacher_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(12), default=ClassStatus.ACTIVE, server_default="active")
    graduated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    archived_counts: Mapped[dict | None] = mapped_column(JSON)
    invite_policy: Mapped[str] = mapped_column(
        String(12), default=InvitePolicy.AUTOMATIC, server_default="automatic"
    )
    invite_valid_hours: Mapped[int] = mapped_column(Integer, default=72, server_default="72")

    school: Mapped[School] = relationship()
    head_teacher: Mapped[User | None] = relationship()

    @property
    def graduated(self) -> bool:
        return self.status == ClassStatus.GRADUATED


class RosterStudent(db.Model):
    """A child on the class roster, with the facts the school holds to match a guardian."""

    __tablename__ = "roster_students"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    student_number: Mapped[str | None] = mapped_column(String(32))
    guardian_phone: Mapped[str | None] = mapped_column(String(11))


class Relation(StrEnum):
    MOTHER = "mother"
    FATHER = "father"
    GRANDFATHER_PATERNAL = "grandfather_paternal"
    GRANDMOTHER_PATERNAL = "grandmother_paternal"
    GRANDFATHER_MATERNAL = "grandfather_maternal"
    GRANDMOTHER_MATERNAL = "grandmother_maternal"
    OTHER = "other_guardian"


class LinkStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class GuardianLink(db.Model):
    """A parent account ↔ a child in a class, with the relation.

    Approved automatically on a two-fact roster match (name plus student number or guardian phone),
    otherwise by the class's teacher.
    """

    __tablename__ = "guardian_links"
    __table_args__ = (UniqueConstraint("parent_id", "class_id", "child_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id"), index=True)
    student_id: Mapped[int | None] = mapped_column(ForeignKey("roster_students.id"), index=True)
    child_name: Mapped[str] = mapped_column(String(50))
    relation: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(12), default=LinkStatus.PENDING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reject_reason: Mapped[str | None] = mapped_column(String(200))
    # The guardian's separate consent to processing the child's name and student number (PIPL
    # art. 28, 29, 31: a child under 14), and the privacy notice version it was given on.
    child_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    child_consent_version: Mapped[str | None] = mapped_column(String(20))
    # A student number was typed and matched no roster child by name and number: a guess, counted
    # against the account's misses per class and day (the number itself is not kept).
    number_missed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    parent: Mapped[User] = relationship(foreign_keys=[parent_id])
    school_class: Mapped[SchoolClass] = relationship()
    student: Mapped[RosterStudent | None] = relationship()


class Charter(db.Model):
    """One version of a class's group charter (群公约). A body of None means the default template
    from the content files, shown in the reader's language. `{quiet_hours}` in a body stands for
    this version's quiet hours, which are kept with the version: changing them is a new version."""

    __tablename__ = "charters"
    __table_args__ = (UniqueConstraint("class_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    body_md: Mapped[str | None] = mapped_column(Text)
    quiet_start: Mapped[str] = mapped_column(String(5), default="21:30", server_default="21:30")
    quiet_end: Mapped[str] = mapped_column(String(5), default="07:00", server_default="07:00")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class CharterAcceptance(db.Model):
    """A parent accepted one charter version; a new version needs a new acceptance."""

    __tablename__ = "charter_acceptances"
    __table_args__ = (UniqueConstraint("user_id", "charter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    charter_id: Mapped[int] = mapped_column(ForeignKey("charters.id"), index=True)
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
