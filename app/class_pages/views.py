"""The head teacher's class page and settings, graduation, guardian requests, password links
for parents, and the class charter every member of the class can read."""

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.auth.access import role_required
from app.auth.link_page import password_link_page
from app.auth.links import issue_password_link
from app.auth.models import LinkPurpose, Role
from app.certificates.services import current_certificate
from app.class_pages import bp
from app.classes.forms import DeclineForm, GraduateForm, InviteSettingsForm
from app.classes.lifecycle import update_invite_settings
from app.classes.models import InvitePolicy
from app.classes.queries import (
    class_parent_or_404,
    pending_counts_by_parent,
    pending_links_for_teacher,
    teacher_class_or_404,
    teacher_link_or_404,
    teacher_parent_or_404,
    visible_class_or_404,
)
from app.classes.services import (
    accept_charter,
    charter_body,
    current_charter,
    decide_link,
    decline_all_pending,
    has_accepted,
)
from app.content.registry import catalogue
from app.extensions import db
from app.forms import EmptyForm
from app.i18n import content_lang
from app.invites.overview import class_overview
from app.invites.services import graduate_class
from app.invites.wording import REFUSAL_TEXT
from app.pagination import page_number, paginate, paginate_list
from app.security import is_safe_next
from app.timeutil import utcnow
from app.web.http import private


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
        body=body,
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
    return redirect(url_for("main.path"))


APPROVALS_PER_PAGE = 20
GUARDIANS_PER_PAGE = 30
PENDING_ON_CLASS_PAGE = 5


@bp.route("/teacher/approvals")
@role_required(Role.TEACHER)
def approvals():
    """Parents whose child did not match the roster on two facts wait here for the teacher,
    twenty to a page; an account with several requests can be declined in one go."""
    page = paginate(
        pending_links_for_teacher(current_user), page_number(request.args.get("page")), APPROVALS_PER_PAGE
    )
    return render_template(
        "classes/approvals.html",
        page=page,
        from_account=pending_counts_by_parent(current_user, list({link.parent_id for link in page.items})),
        form=DeclineForm(),
    )


@bp.route("/teacher/approvals/parents/<id:parent_id>/decline", methods=["POST"])
@role_required(Role.TEACHER)
def decline_all(parent_id: int):
    """Decline every request one account has waiting in the teacher's classes."""
    parent = teacher_parent_or_404(current_user, parent_id)
    form = DeclineForm()
    if not form.validate():
        flash(form.reason.errors[0], "error")
        return redirect(url_for("classes.approvals"))
    reason = (form.reason.data or "").strip() or None
    declined = decline_all_pending(current_user, parent, utcnow(), reason=reason)
    db.session.commit()
    if declined:
        flash(
            ngettext(
                "Declined %(num)d request from %(name)s.",
                "Declined %(num)d requests from %(name)s.",
                len(declined),
                name=parent.real_name,
            ),
            "info",
        )
    else:
        flash(_("Nothing from %(name)s is waiting any more.", name=parent.real_name), "info")
    return redirect(url_for("classes.approvals"))


@bp.route("/teacher/approvals/<id:link_id>/<decision>", methods=["POST"])
@role_required(Role.TEACHER)
def decide(link_id: int, decision: str):
    """Approve or reject one pending guardian link in the teacher's own class."""
    if decision not in ("approve", "reject"):
        abort(404)
    link = teacher_link_or_404(current_user, link_id)
    target = request.form.get("next", "")
    back = target if is_safe_next(target) else url_for("classes.approvals")
    form = DeclineForm()
    if link.status != "pending":
        flash(_("This request was already decided."), "info")
        return redirect(back)
    if link.school_class.graduated:
        flash(_("This class has graduated: nothing more can change."), "warning")
        return redirect(back)
    if not form.validate():
        flash(form.reason.errors[0], "error")
        return redirect(back)
    reason = (form.reason.data or "").strip() or None
    decide_link(link, current_user, decision == "approve", utcnow(), reason=reason)
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
    return redirect(back)


# ---- the head teacher's class page ----


@bp.route("/classes/<id:class_id>")
@role_required(Role.TEACHER)
def detail(class_id: int):
    """Everything the head teacher runs, on one page: what waits, the join code, every
    guardian's progress and invite, the roster. Only the class's own teacher sees parents."""
    school_class = teacher_class_or_404(current_user, class_id)
    now = utcnow()
    courses = catalogue().for_audience("parent")
    overview = class_overview(school_class, courses, now)
    response = make_response(
        render_template(
            "classes/detail.html",
            school_class=school_class,
            overview=overview,
            guardians=paginate_list(
                overview.guardians, page_number(request.args.get("page")), GUARDIANS_PER_PAGE
            ),
            pending_shown=overview.pending[:PENDING_ON_CLASS_PAGE],
            courses=courses,
            now=now,
            teacher_certificate=current_certificate(current_user, now),
            refusal_text=REFUSAL_TEXT,
            form=EmptyForm(),
            decline_form=DeclineForm(),
        )
    )
    return private(response)


@bp.route("/classes/<id:class_id>/settings", methods=["GET", "POST"])
@role_required(Role.TEACHER)
def settings(class_id: int):
    """How invites are issued (automatically or on approval) and how long a code stays valid."""
    school_class = teacher_class_or_404(current_user, class_id)
    form = InviteSettingsForm(
        invite_policy=school_class.invite_policy, invite_valid_hours=str(school_class.invite_valid_hours)
    )
    if form.validate_on_submit():
        if school_class.graduated:
            flash(_("This class has graduated: nothing more can change."), "warning")
        elif update_invite_settings(
            school_class, InvitePolicy(form.invite_policy.data), form.hours, current_user, utcnow()
        ):
            db.session.commit()
            flash(_("Saved. New codes follow these settings."), "success")
        else:
            flash(_("Nothing changed."), "info")
        return redirect(url_for("classes.detail", class_id=class_id))
    return render_template("classes/settings.html", school_class=school_class, form=form)


@bp.route("/classes/<id:class_id>/graduate", methods=["GET", "POST"])
@role_required(Role.TEACHER)
def graduate(class_id: int):
    """Dissolve the group at graduation (S20): codes end, parents see it, data is purged later."""
    school_class = teacher_class_or_404(current_user, class_id)
    form = GraduateForm()
    if school_class.graduated:
        flash(_("This class has already graduated."), "info")
        return redirect(url_for("classes.detail", class_id=class_id))
    if form.validate_on_submit():
        ended = graduate_class(school_class, current_user, utcnow())
        db.session.commit()
        flash(
            _(
                "The class has graduated and its group is marked dissolved. %(n)d open codes were ended.",
                n=ended,
            ),
            "success",
        )
        return redirect(url_for("classes.detail", class_id=class_id))
    return render_template(
        "classes/graduate.html",
        school_class=school_class,
        form=form,
        retention_days=current_app.config["RETENTION_DAYS"],
    )


@bp.route("/classes/<id:class_id>/parents/<id:parent_id>/reset-link", methods=["POST"])
@role_required(Role.TEACHER)
def parent_reset_link(class_id: int, parent_id: int):
    """A one-time link for a parent of the class who forgot their password, handed over by the
    teacher in a private message or in person (no SMS needed)."""
    school_class = teacher_class_or_404(current_user, class_id)
    parent = class_parent_or_404(school_class, parent_id)
    if school_class.graduated:
        flash(_("This class has graduated: nothing more can change."), "warning")
        return redirect(url_for("classes.detail", class_id=class_id))
    secret = issue_password_link(parent, LinkPurpose.RESET, current_user, utcnow(), school_class=school_class)
    db.session.commit()
    return password_link_page(parent, secret, LinkPurpose.RESET, url_for("classes.detail", class_id=class_id))
