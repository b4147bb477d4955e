"""Who is certified, and issuing the certificate when the last required quiz is passed."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from app.auth.models import User
from app.certificates.models import Certificate
from app.content.catalogue import Catalogue
from app.extensions import db
from app.security import group_code, normalize_code, random_code


def current_certificate(user: User, now: datetime) -> Certificate | None:
    """The person's newest certificate that has not expired."""
    return db.session.scalar(
        select(Certificate)
        .where(Certificate.user_id == user.id, Certificate.expires_at > now)
        .order_by(Certificate.issued_at.desc())
        .limit(1)
    )


def is_certified(user: User, now: datetime) -> bool:
    return current_certificate(user, now) is not None


def new_certificate_number() -> str:
    """`PP-` and 12 random Crockford characters (60 bits): checkable, not guessable."""
    while True:
        number = "PP-" + group_code(random_code(12))
        if db.session.scalar(select(Certificate.id).where(Certificate.number == number)) is None:
            return number


def certify_if_complete(
    user: User, catalogue: Catalogue, passed: set[str], now: datetime, valid_days: int
) -> Certificate | None:
    """Issue a certificate when every required course of the person's audience is among the
    courses they have `passed` (the quizzes know which: they sit above and pass it down) and they
    hold no valid one. Returns the new certificate, or None."""
    required = {c.slug for c in catalogue.for_audience(user.audience)}
    if not required or not required <= passed:
        return None
    if is_certified(user, now):
        return None
    certificate = Certificate(
        number=new_certificate_number(),
        user_id=user.id,
        audience=user.audience,
        content_version=catalogue.content_version(user.audience),
        issued_at=now,
        expires_at=now + timedelta(days=valid_days),
    )
    db.session.add(certificate)
    db.session.flush()
    return certificate


def find_certificate(raw_number: str) -> Certificate | None:
    """The certificate a typed number names, forgiving case, spaces, hyphens, O/0 and I/L/1."""
    code = normalize_code(raw_number)
    if code.startswith("PP"):
        code = code[2:]
    if len(code) != 12:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.number == "PP-" + group_code(code)))


def certificate_status(certificate: Certificate | None, now: datetime) -> str:
    """`valid`, `expired` or `unknown` (no such number)."""
    if certificate is None:
        return "unknown"
    return "valid" if certificate.expires_at > now else "expired"
