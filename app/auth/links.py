"""One-time links to choose a password: a new teacher's welcome, or a reset handed over in person
by school staff (for teachers) or a head teacher (for parents of the class). No SMS needed.

The link carries a 256-bit secret; only its keyed hash is stored. A newer link ends the older
unused ones of the same person; using one ends it.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import select, update

from app.audit.services import Action, record
from app.auth.models import LinkPurpose, PasswordLink, User
from app.extensions import db
from app.keyring import candidate_hashes, keyed_hash, matches

if TYPE_CHECKING:
    from app.classes.models import SchoolClass  # a type only: classes sit above auth
from app.auth.sessions import end_all_sessions
from app.security import hash_password

SECRET_BYTES = 32


def issue_password_link(
    user: User,
    purpose: LinkPurpose,
    actor: User | None,
    now: datetime,
    *,
    school_class: SchoolClass | None = None,
) -> str:
    """A fresh link secret for `user`; older unused links of theirs end. Audited."""
    db.session.execute(
        update(PasswordLink)
        .where(PasswordLink.user_id == user.id, PasswordLink.used_at.is_(None))
        .values(expires_at=now)
    )
    secret = secrets.token_urlsafe(SECRET_BYTES)
    key_id, token_hash = keyed_hash(secret)
    db.session.add(
        PasswordLink(
            user_id=user.id,
            purpose=purpose,
            token_hash=token_hash,
            key_id=key_id,
            created_by_id=actor.id if actor else None,
            created_at=now,
            expires_at=now + timedelta(hours=current_app.config["PASSWORD_LINK_HOURS"]),
        )
    )
    action = Action.WELCOME_LINK if purpose == LinkPurpose.WELCOME else Action.RESET_LINK
    record(
        action,
        actor,
        now,
        school_class=school_class,
        school_id=None if school_class else user.school_id,
        subject=user,
    )
    return secret


def find_password_link(secret: str, now: datetime) -> PasswordLink | None:
    """The unused, unexpired link this secret opens, or None."""
    if not secret or len(secret) > 100:
        return None
    link = db.session.scalar(
        select(PasswordLink).where(PasswordLink.token_hash.in_(candidate_hashes(secret)))
    )
    if link is None or not matches(secret, link.key_id, link.token_hash):
        return None
    if link.used_at is not None or link.expires_at <= now or not link.user.active:
        return None
    return link


def use_password_link(link: PasswordLink, password: str, now: datetime) -> bool:
    """Set the password and end the link, once: a second use of the same link changes nothing."""
    result = db.session.execute(
        update(PasswordLink)
        .where(PasswordLink.id == link.id, PasswordLink.used_at.is_(None), PasswordLink.expires_at > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    link.user.password_hash = hash_password(password)
    end_all_sessions(link.user.id)  # whoever was signed in with the old password is signed out
    return True
