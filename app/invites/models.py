"""A parent's standing in a class group, and the invite tokens that let them in."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, and_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.timeutil import UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.auth.models import User
    from app.classes.models import SchoolClass


class GroupMembership(db.Model):
    """One parent in one class group: the teacher's go-ahead for an invite (classes that issue on
    approval), admission, and removal. Removal stops any new invite until the teacher readmits;
    the audit log keeps the history."""

    __tablename__ = "group_memberships"
    __table_args__ = (UniqueConstraint("class_id", "parent_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id"), index=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    invite_approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invite_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    parent: Mapped[User] = relationship(foreign_keys=[parent_id])


class TokenState(StrEnum):
    ISSUED = "issued"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"


class RevokeReason(StrEnum):
    REPLACED = "replaced"  # the parent asked for a new code
    TEACHER = "teacher"
    REMOVED = "removed"  # the parent was removed from the group
    GRADUATED = "graduated"
    NOT_ELIGIBLE = "not_eligible"


class InviteToken(db.Model):
    """A single-use invite for one parent, one class and the WeChat ID the parent had when it was
    issued. Only a keyed hash of the code is stored, with the id of the key that made it."""

    __tablename__ = "invite_tokens"
    __table_args__ = (
        # At most one open (unused, unrevoked) token per parent and class, even under a double tap.
        Index(
            "uq_invite_tokens_open",
            "class_id",
            "parent_id",
            unique=True,
            sqlite_where=and_(db.text("used_at IS NULL"), db.text("revoked_at IS NULL")),
            postgresql_where=and_(db.text("used_at IS NULL"), db.text("revoked_at IS NULL")),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id"), index=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    wechat_id: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    key_id: Mapped[str] = mapped_column(String(16))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoke_reason: Mapped[str | None] = mapped_column(String(16))

    parent: Mapped[User] = relationship(foreign_keys=[parent_id])
    used_by: Mapped[User | None] = relationship(foreign_keys=[used_by_id])
    school_class: Mapped[SchoolClass] = relationship()

    def state(self, now: datetime) -> TokenState:
        if self.used_at is not None:
            return TokenState.USED
        if self.revoked_at is not None:
            return TokenState.REVOKED
        if self.expires_at <= now:
            return TokenState.EXPIRED
        return TokenState.ISSUED
