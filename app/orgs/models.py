"""Education bureaus (a tree: city → districts) and schools."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db


class Bureau(db.Model):
    """An education bureau; `parent` is the bureau above it (a district's city), None at the top."""

    __tablename__ = "bureaus"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("bureaus.id"), index=True)

    parent: Mapped[Bureau | None] = relationship(remote_side=[id])


class School(db.Model):
    """A school; it belongs to exactly one district bureau and reasons in its own time zone."""

    __tablename__ = "schools"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    bureau_id: Mapped[int] = mapped_column(ForeignKey("bureaus.id"), index=True)
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    # When set, a class's invites wait until its head teacher holds the group-owner certificate.
    require_teacher_certificate: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    bureau: Mapped[Bureau] = relationship()
