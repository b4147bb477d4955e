"""Small helpers shared by the school staff tests."""

import re

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db

LINK = re.compile(r"/password/([A-Za-z0-9_-]+)")


def link_secret(page: str) -> str:
    """The secret of the password link shown on a page."""
    match = LINK.search(page)
    assert match, "no password link on the page"
    return match.group(1)


def actions() -> list[str]:
    """The audit actions written so far, oldest first."""
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
