"""Creating parent accounts and checking sign-ins."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import select

from app import seclog
from app.account.consent import record_child_consent, record_privacy_consent
from app.auth.models import Role, User
from app.classes.models import GuardianLink, SchoolClass
from app.classes.services import link_guardian
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


def register_parent(
    *,
    real_name: str,
    phone: str,
    password: str,
    wechat_id: str,
    school_class: SchoolClass,
    child_name: str,
    relation: str,
    student_number: str,
    now: datetime,
    privacy_version: str | None = None,
) -> tuple[User, GuardianLink]:
    """A new parent account with its first guardian link. The registration form has both consents
    (the privacy notice, and the guardian's separate one for the child): they are recorded with
    the notice version they were given on (`privacy_version`, the current one by default)."""
    if find_user_by_phone(phone) is not None:
        raise PhoneTaken
    user = User(
        phone=phone,
        password_hash=hash_password(password),
        real_name=real_name,
        role=Role.PARENT,
        wechat_id=wechat_id,
        created_at=now,
    )
    record_privacy_consent(user, now, privacy_version)
    db.session.add(user)
    db.session.flush()
    link = link_guardian(user, school_class, child_name, relation, student_number, now)
    record_child_consent(link, now, privacy_version)
    return user, link
