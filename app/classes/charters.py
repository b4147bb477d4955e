"""Charter versions. A teacher's edit becomes a new version only when the text or the quiet hours
change; parents accept each version anew, so an unchanged save must not cost them a step.
Plain functions; the caller commits."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from app.audit.services import Action, record
from app.auth.models import User
from app.classes.models import Charter, SchoolClass
from app.classes.services import current_charter
from app.extensions import db


def editable_body(charter: Charter, default_template: str) -> str:
    """The Markdown a teacher starts from: their own text, or the default template in their
    language, with `{quiet_hours}` left in so the hours stay tied to the version."""
    return charter.body_md if charter.body_md is not None else default_template


def stored_body(typed: str, default_templates: Iterable[str]) -> str | None:
    """The text to keep for a version. An unchanged default template stays None, so every parent
    keeps reading it in their own language; anything else is kept as typed."""
    text = typed.replace("\r\n", "\n").replace("\r", "\n").strip()
    if any(text == template.replace("\r\n", "\n").strip() for template in default_templates if template):
        return None
    return text


def revise_charter(
    school_class: SchoolClass,
    body_md: str | None,
    quiet_start: str,
    quiet_end: str,
    actor: User,
    now: datetime,
) -> Charter | None:
    """Version N+1 with this text (None: the default template) and quiet hours ("HH:MM", in the
    school's time zone, possibly across midnight); None when nothing differs from version N."""
    current = current_charter(school_class.id)
    if (current.body_md, current.quiet_start, current.quiet_end) == (body_md, quiet_start, quiet_end):
        return None
    charter = Charter(
        class_id=school_class.id,
        version=current.version + 1,
        body_md=body_md,
        quiet_start=quiet_start,
        quiet_end=quiet_end,
        created_at=now,
        created_by_id=actor.id,
    )
    db.session.add(charter)
    db.session.flush()
    record(Action.CHARTER_CHANGED, actor, now, school_class=school_class, version=charter.version)
    return charter
