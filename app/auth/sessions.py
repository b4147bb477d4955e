"""Signed-in sessions: one row per sign-in on a device (the row, UserSession, is in models.py).

The session cookie (signed with SECRET_KEY) holds a random token; the database keeps only its keyed
hash (app/keyring.py) and when the session ends. Every request looks the row up, so deleting it
ends the session at once: signing out ends this device's row (a copied cookie stops working),
"sign out everywhere", a new password, a switched-off or deleted account end them all. Parents
stay signed in for at most 30 days, teachers and staff for at most 12 hours, counted from the
sign-in (not extended by use), since staff pages show many families' data and are often opened on
shared school computers.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import instance_dict
from sqlalchemy.orm.util import identity_key

from app.auth.lookup import live_session_user
from app.auth.models import Role, User, UserSession
from app.extensions import db
from app.keyring import candidate_hashes, keyed_hash


def lifetime(user: User) -> timedelta:
    """How long a sign-in lasts: parents 30 days, everyone else 12 hours (configurable)."""
    if user.role == Role.PARENT:
        return timedelta(days=current_app.config["SESSION_DAYS_PARENT"])
    return timedelta(hours=current_app.config["SESSION_HOURS_STAFF"])


def start_session(user: User, now: datetime) -> str:
    """A new session for `user`; returns the token for the cookie (also kept on `user`)."""
    db.session.execute(
        delete(UserSession).where(UserSession.user_id == user.id, UserSession.expires_at <= now)
    )
    token = secrets.token_urlsafe(32)
    key_id, token_hash = keyed_hash(token)
    db.session.add(
        UserSession(
            user_id=user.id,
            token_hash=token_hash,
            key_id=key_id,
            created_at=now,
            expires_at=now + lifetime(user),
        )
    )
    user.session_token = token
    return token


def load_session(token: str, now: datetime) -> User | None:
    """The active account whose live session `token` is; None for an ended or expired one. The
    account's row becomes a User of the request's session as if that session had loaded it
    (`make_transient_to_detached`, then `add`: no further query)."""
    if not token or len(token) > 100:
        return None
    values = live_session_user(candidate_hashes(token), now)
    if values is None:
        return None
    user = db.session.identity_map.get(identity_key(User, values["id"]))
    if user is None:
        user = User.__mapper__.class_manager.new_instance()
        instance_dict(user).update(values)  # as the ORM's loader fills an object from a row
        make_transient_to_detached(user)
        db.session.add(user)
    user.session_token = token
    return user


def end_session(token: str | None) -> None:
    """End one session (signing out on this device)."""
    if token:
        db.session.execute(delete(UserSession).where(UserSession.token_hash.in_(candidate_hashes(token))))


def end_all_sessions(user_id: int) -> int:
    """End every session of the account; returns how many were live or stale."""
    return db.session.execute(delete(UserSession).where(UserSession.user_id == user_id)).rowcount


def purge_expired(now: datetime) -> int:
    """Delete ended sessions (the nightly purge calls this)."""
    return db.session.execute(delete(UserSession).where(UserSession.expires_at <= now)).rowcount
