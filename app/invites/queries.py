"""Reading invite codes and group memberships: a parent's open or newest code for a class, the
token a typed code belongs to, a membership row."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.invites.models import GroupMembership, InviteToken
from app.keyring import candidate_hashes, matches
from app.security import normalize_code

INVITE_CODE_LENGTH = 10  # 50 bits, read as K7PX-2QMD-9F


def membership(class_id: int, parent_id: int) -> GroupMembership | None:
    return db.session.scalar(
        select(GroupMembership).where(
            GroupMembership.class_id == class_id, GroupMembership.parent_id == parent_id
        )
    )


def open_token(class_id: int, parent_id: int) -> InviteToken | None:
    """The parent's unused, unrevoked token for the class (it may have expired)."""
    return db.session.scalar(
        select(InviteToken).where(
            InviteToken.class_id == class_id,
            InviteToken.parent_id == parent_id,
            InviteToken.used_at.is_(None),
            InviteToken.revoked_at.is_(None),
        )
    )


def latest_token(class_id: int, parent_id: int) -> InviteToken | None:
    return db.session.scalar(
        select(InviteToken)
        .where(InviteToken.class_id == class_id, InviteToken.parent_id == parent_id)
        .order_by(InviteToken.issued_at.desc(), InviteToken.id.desc())
        .limit(1)
    )


def find_token(raw_code: str) -> InviteToken | None:
    """The token a typed code belongs to, under any live key, checked in constant time."""
    code = normalize_code(raw_code)
    if len(code) != INVITE_CODE_LENGTH:
        return None
    token = db.session.scalar(select(InviteToken).where(InviteToken.token_hash.in_(candidate_hashes(code))))
    if token is None or not matches(code, token.key_id, token.token_hash):
        return None
    return token
