"""The audit log, within the reader's scope: a head teacher's classes, staff's school."""

from flask import Blueprint, abort, make_response, render_template, request
from flask_login import current_user

from app.audit.models import AuditEvent
from app.audit_log.queries import visible_events
from app.audit_log.wording import action_label, actor_label, detail_text, subject_label
from app.auth.access import role_required
from app.auth.models import Role
from app.classes.queries import visible_class_or_404
from app.forms import whole_number
from app.pagination import page_number, paginate
from app.web.http import private

bp = Blueprint("audit", __name__)

PAGE_SIZE = 50


@bp.route("/audit")
@role_required(Role.TEACHER, Role.STAFF)
def log():
    """Newest first, 50 to a page; `?class_id=` narrows to one class within reach."""
    query = visible_events(current_user)
    school_class = None
    raw_class = request.args.get("class_id", "")
    if raw_class:
        class_id = whole_number(raw_class)
        if not class_id:
            abort(404)
        school_class = visible_class_or_404(current_user, class_id)
        query = query.where(AuditEvent.class_id == school_class.id)
    page = paginate(query, page_number(request.args.get("page")), PAGE_SIZE)
    response = make_response(
        render_template(
            "audit/log.html",
            page=page,
            school_class=school_class,
            action_label=action_label,
            detail_text=detail_text,
            actor_label=actor_label,
            subject_label=subject_label,
        )
    )
    return private(response)
