"""The class charter, and the teacher's list of guardian links to approve."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.access import role_required
from app.auth.models import Role
from app.classes.queries import pending_links_for_teacher, teacher_link_or_404, visible_class_or_404
from app.classes.services import accept_charter, charter_body, current_charter, decide_link, has_accepted
from app.content.markdown import render_markdown
from app.content.registry import catalogue
from app.extensions import db
from app.forms import EmptyForm
from app.i18n import content_lang
from app.timeutil import utcnow

bp = Blueprint("classes", __name__)


@bp.route("/classes/<id:class_id>/charter")
@login_required
def charter(class_id: int):
    """The class's current charter, with the accept button for its parents."""
    school_class = visible_class_or_404(current_user, class_id)
    charter = current_charter(school_class.id)
    body = charter_body(charter, catalogue().charter.get(content_lang()))
    return render_template(
        "classes/charter.html",
        school_class=school_class,
        charter=charter,
        body_html=render_markdown(body),
        accepted=has_accepted(current_user, charter),
        can_accept=current_user.role == Role.PARENT,
        form=EmptyForm(),
    )


@bp.route("/classes/<id:class_id>/charter/accept", methods=["POST"])
@role_required(Role.PARENT)
def accept(class_id: int):
    """Accept the version shown: the current one."""
    school_class = visible_class_or_404(current_user, class_id)
    accept_charter(current_user, current_charter(school_class.id), utcnow())
    db.session.commit()
    flash(_("Thank you. You have accepted the class group charter."), "success")
    return redirect(url_for("learning.path"))


@bp.route("/teacher/approvals")
@role_required(Role.TEACHER)
def approvals():
    """Parents whose child did not match the roster on two facts wait here for the teacher."""
    return render_template(
        "classes/approvals.html", links=pending_links_for_teacher(current_user), form=EmptyForm()
    )


@bp.route("/teacher/approvals/<id:link_id>/<decision>", methods=["POST"])
@role_required(Role.TEACHER)
def decide(link_id: int, decision: str):
    """Approve or reject one pending guardian link in the teacher's own class."""
    if decision not in ("approve", "reject"):
        abort(404)
    link = teacher_link_or_404(current_user, link_id)
    if link.status != "pending":
        flash(_("This request was already decided."), "info")
        return redirect(url_for("classes.approvals"))
    decide_link(link, current_user, decision == "approve", utcnow())
    db.session.commit()
    if decision == "approve":
        flash(
            _(
                "Approved: %(name)s is now linked to %(child)s.",
                name=link.parent.real_name,
                child=link.child_name,
            ),
            "success",
        )
    else:
        flash(
            _(
                "Rejected: %(name)s's request for %(child)s.",
                name=link.parent.real_name,
                child=link.child_name,
            ),
            "info",
        )
    return redirect(url_for("classes.approvals"))
