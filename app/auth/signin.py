"""Signing in and out: the session is rotated on sign-in and its row ended on sign-out."""

from __future__ import annotations

from flask import session
from flask_login import current_user, login_user, logout_user

from app.auth.cookie import ENDS
from app.auth.models import User
from app.auth.sessions import end_all_sessions, end_session, lifetime, start_session
from app.extensions import db
from app.timeutil import utcnow


def sign_in(user: User) -> None:
    """A fresh cookie session (nothing from before survives, so a planted session id is useless)
    with a new session row; committed here, because the row must exist before the cookie is used."""
    session.clear()
    now = utcnow()
    start_session(user, now)
    db.session.commit()
    session.permanent = True  # the cookie may outlive the browser, but not the session's row
    session[ENDS] = int((now + lifetime(user)).timestamp())
    login_user(user)


def sign_out() -> None:
    """End this device's session: its row goes, so a copy of the cookie no longer signs in."""
    if current_user.is_authenticated:
        end_session(current_user.session_token)
        db.session.commit()
    logout_user()
    session.clear()


def sign_out_everywhere() -> None:
    """End every session of the signed-in account, this one included."""
    end_all_sessions(current_user.id)
    db.session.commit()
    logout_user()
    session.clear()
