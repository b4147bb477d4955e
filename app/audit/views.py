"""The audit log, within the reader's scope: a head teacher's classes, staff's school."""

from flask import Blueprint, abort, make_response, render_template, request
from flask_login import current_user

from app.audit.models import AuditEvent
from app.audit.queries import visible_events
from app.audit.wording import action_label, detail_text
from app.auth.access import role_required
from app.auth.models import Role
from app.classes.queries import visible_class_or_404
from app.extensions import db
from app.http import private

bp = Blueprint("audit", __name__)

PAGE_SIZE = 50


def _page_number() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 10_000 else 1


@bp.route("/audit")
@role_required(Role.TEACHER, Role.STAFF)
def log():
    """Newest first, 50 to a page; `?class_id=` narrows to one class within reach."""
    query = visible_events(current_user)
    school_class = None
    raw_class = request.args.get("class_id", "")
    if raw_class:
        if not raw_class.isdigit() or not 0 < int(raw_class) < 2**31:
            abort(404)
        school_class = visible_class_or_404(current_user, int(raw_class))
        query = query.where(AuditEvent.class_id == school_class.id)
    page = _page_number()
    events = db.session.scalars(query.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).all()
    response = make_response(
        render_template(
            "audit/log.html",
            events=events[:PAGE_SIZE],
            more=len(events) > PAGE_SIZE,
            page=page,
            school_class=school_class,
            action_label=action_label,
            detail_text=detail_text,
        )
    )
    return private(response)
