"""Recording consent: when, and on which version of the privacy notice.

The forms ask for it (two separate, unticked boxes: the notice, and the guardian's separate
consent for the child's name and student number); these record it once the form has it.
"""

from __future__ import annotations

from datetime import datetime

from app.auth.models import User
from app.classes.models import GuardianLink
from app.content.notice import notice_version


def record_privacy_consent(user: User, now: datetime, version: str | None = None) -> None:
    """The person agreed to the privacy notice (the current version unless told otherwise)."""
    user.privacy_consent_at = now
    user.privacy_version = version or notice_version()


def record_child_consent(link: GuardianLink, now: datetime, version: str | None = None) -> None:
    """The guardian agreed separately to processing this child's name and student number."""
    link.child_consent_at = now
    link.child_consent_version = version or notice_version()
