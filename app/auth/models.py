"""People who sign in: parents, teachers, school staff and bureau staff."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.timeutil import UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.orgs.models import Bureau, School


class Role(StrEnum):
    PARENT = "parent"
    TEACHER = "teacher"
    STAFF = "staff"
    BUREAU = "bureau"


class User(UserMixin, db.Model):
    """One account per person; the phone number is the login (S16: each guardian has their own)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(11), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    real_name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(16), default=Role.PARENT)
    wechat_id: Mapped[str | None] = mapped_column(String(20))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"), index=True)
    bureau_id: Mapped[int | None] = mapped_column(ForeignKey("bureaus.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    school: Mapped[School | None] = relationship()
    bureau: Mapped[Bureau | None] = relationship()

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    @property
    def audience(self) -> str:
        """Which courses are theirs: teachers take the group-owner course, everyone else the parents'."""
        return "teacher" if self.role == Role.TEACHER else "parent"

    def home_timezone(self) -> str | None:
        """The time zone of the school this person belongs to (a parent: their first class's)."""
        if self.school is not None:
            return self.school.timezone
        if self.role == Role.PARENT:
            from app.classes.models import GuardianLink, SchoolClass
            from app.orgs.models import School

            return db.session.scalar(
                select(School.timezone)
                .join(SchoolClass, SchoolClass.school_id == School.id)
                .join(GuardianLink, GuardianLink.class_id == SchoolClass.id)
                .where(GuardianLink.parent_id == self.id)
                .order_by(GuardianLink.id)
                .limit(1)
            )
        return None
