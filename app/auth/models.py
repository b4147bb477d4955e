"""People who sign in: parents, teachers, school staff and bureau staff."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Index, String, true
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
    # Teachers and staff of a set of schools, found without walking 1.5 million parents.
    __table_args__ = (Index("ix_users_role_school_id", "role", "school_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(11), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    real_name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(16), default=Role.PARENT)
    wechat_id: Mapped[str | None] = mapped_column(String(20))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"), index=True)
    bureau_id: Mapped[int | None] = mapped_column(ForeignKey("bureaus.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # When the person agreed to the privacy notice, and to which version (app/content/notice.py);
    # None for accounts made before consent was asked (teachers and staff get theirs from the school).
    privacy_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    privacy_version: Mapped[str | None] = mapped_column(String(20))

    school: Mapped[School | None] = relationship()
    bureau: Mapped[Bureau | None] = relationship()

    # Set when a session is started or loaded (app/auth/sessions.py); not a column.
    session_token = None

    def get_id(self) -> str:
        """The session's random token: what Flask-Login keeps in the signed cookie. The account is
        found through its session row, so ending the row ends the cookie."""
        if not self.session_token:
            raise RuntimeError("start_session() before login_user()")
        return self.session_token

    @property
    def is_active(self) -> bool:
        """Flask-Login refuses to sign in a deactivated account; the loader drops its sessions."""
        return self.active

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    @property
    def audience(self) -> str:
        """Which courses are theirs: teachers take the group-owner course, everyone else the parents'."""
        return "teacher" if self.role == Role.TEACHER else "parent"


class LinkPurpose(StrEnum):
    WELCOME = "welcome"
    RESET = "reset"


class PasswordLink(db.Model):
    """A one-time link to choose a password: a new teacher's welcome, or a reset given by staff
    or a teacher. Only a keyed hash of the link's secret is stored; a newer link ends older ones."""

    __tablename__ = "password_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    key_id: Mapped[str] = mapped_column(String(16))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class UserSession(db.Model):
    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    key_id: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
