"""A parent joins a class: a new account with its first guardian link, or another child later.
Both record the consents the forms asked for. The caller commits."""

from __future__ import annotations

from datetime import datetime

from app.auth.models import Role, User
from app.auth.services import PhoneTaken, find_user_by_phone
from app.classes.models import GuardianLink, SchoolClass
from app.classes.services import link_guardian
from app.extensions import db
from app.registration.consent import record_child_consent, record_privacy_consent
from app.security import hash_password


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


def add_child(
    parent: User,
    school_class: SchoolClass,
    child_name: str,
    relation: str,
    student_number: str,
    now: datetime,
) -> GuardianLink:
    """Another child, in the same or another class, with the guardian's separate consent for
    that child (which the form requires). Raises classes' AlreadyLinked or TooManyPending."""
    link = link_guardian(parent, school_class, child_name, relation, student_number, now)
    record_child_consent(link, now)
    return link
