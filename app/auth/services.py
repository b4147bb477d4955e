"""Finding accounts and checking sign-ins and passwords (accounts are made in app/registration,
app/auth/org_accounts.py and app/school)."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from app import seclog
from app.auth.models import User
from app.extensions import db
from app.limits import spend
from app.security import hash_password, needs_rehash, verify_password


class PhoneTaken(Exception):
    """An account with this phone number exists already."""


def find_user_by_phone(phone: str) -> User | None:
    return db.session.scalar(select(User).where(User.phone == phone))


def authenticate(phone: str, password: str) -> User | None:
    """The account when phone and password match; None otherwise, in the same time either way.
    A hash made with older parameters is replaced now, while the password is at hand."""
    user = find_user_by_phone(phone)
    ok = verify_password(user.password_hash if user else None, password)
    if not ok:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def own_password_matches(user: User, password: str) -> bool:
    """The signed-in person's own password, asked before changing it or deleting the account.
    Every check spends one of the account's tries (`PASSWORD_CHECK_RATE_LIMIT`, shared by both
    pages, raising TooManyTries when used up), so a phone left unlocked gives a guesser a handful
    of guesses, not thousands an hour; a wrong one goes to the security log."""
    spend(current_app.config["PASSWORD_CHECK_RATE_LIMIT"], f"password-check:{user.id}")
    if verify_password(user.password_hash, password):
        return True
    seclog.record("password.check_failed", user=user.id)
    return False
