"""The parent's invite page; the teacher's verify, admit, revoke, approve, remove and readmit."""

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app import seclog
from app.auth.access import role_required
from app.auth.models import Role
from app.certificates.services import current_certificate
from app.classes.queries import class_parent_or_404, parent_links, teacher_class_or_404, visible_class_or_404
from app.extensions import db, limiter
from app.forms import EmptyForm
from app.invites.eligibility import eligibility_gaps
from app.invites.forms import VerifyForm
from app.invites.models import InviteToken
from app.invites.queries import latest_token, membership
from app.invites.services import (
    IssueClash,
    NotEligible,
    Outcome,
    admit,
    approve_invite,
    issue_invite,
    readmit_member,
    remove_member,
    revoke_token,
    verify_code,
)
from app.invites.wording import LAPSE_TEXT, OUTCOME_TEXT, REFUSAL_TEXT
from app.qr import qr_svg
from app.security import group_code
from app.timeutil import utcnow
from app.web.http import private

bp = Blueprint("invites", __name__)


# ---- the parent ----


@bp.route("/classes/<id:class_id>/invite")
@role_required(Role.PARENT)
def mine(class_id: int):
    """Where the parent stands: what is missing, the code's status, or the button to get it."""
    school_class = visible_class_or_404(current_user, class_id)
    now = utcnow()
    return render_template(
        "invites/mine.html",
        school_class=school_class,
        gaps=eligibility_gaps(current_user, school_class, now),
        token=latest_token(school_class.id, current_user.id),
        member=membership(school_class.id, current_user.id),
        now=now,
        refusal_text=REFUSAL_TEXT,
        form=EmptyForm(),
    )


@bp.route("/classes/<id:class_id>/invite", methods=["POST"])
@role_required(Role.PARENT)
def issue(class_id: int):
    """Generate a code and show it, once. Asking again replaces (and ends) the earlier code."""
    school_class = visible_class_or_404(current_user, class_id)
    try:
        token, code = issue_invite(current_user, school_class, utcnow())
        db.session.commit()
        seclog.record("invite.issued", user=current_user.id, class_id=class_id, invite=token.id)
    except NotEligible as refused:
        seclog.record(
            "invite.refused", user=current_user.id, class_id=class_id, reasons=",".join(refused.reasons)
        )
        for reason in refused.reasons:
            flash(str(REFUSAL_TEXT[reason]), "warning")
        return redirect(url_for("invites.mine", class_id=class_id))
    except IssueClash:
        db.session.rollback()
        flash(_("Another code was made for you at the same moment. Please try once more."), "warning")
        return redirect(url_for("invites.mine", class_id=class_id))
    verify_url = url_for("invites.verify", _external=True) + "#" + code
    page = render_template(
        "invites/code.html",
        school_class=school_class,
        token=token,
        code=group_code(code),
        qr=qr_svg(verify_url, scale=5, title=_("Invite code %(code)s", code=group_code(code))),
        teacher=school_class.head_teacher,
    )
    return private(make_response(page), secret=True)


# ---- the teacher ----


def _teacher_limit() -> str:
    return current_app.config["VERIFY_RATE_LIMIT_TEACHER"]


def _client_limit() -> str:
    return current_app.config["VERIFY_RATE_LIMIT_CLIENT"]


def _teacher_key() -> str:
    return f"verify-teacher:{current_user.id if current_user.is_authenticated else 'anonymous'}"


@bp.route("/teacher/verify", methods=["GET", "POST"])
@role_required(Role.TEACHER)
@limiter.limit(_teacher_limit, key_func=_teacher_key, methods=["POST"])
@limiter.limit(_client_limit, methods=["POST"])
def verify():
    """Type or scan a code (the QR puts it after `#`, so it never reaches a server log; a small
    script copies it into the box). The answer is exactly one outcome."""
    form = VerifyForm()
    result = None
    now = utcnow()
    if form.validate_on_submit():
        result = verify_code(current_user, form.code.data, now)
        db.session.commit()
        seclog.record(
            "invite.checked",
            user=current_user.id,
            outcome=result.outcome,
            invite=result.token.id if result.token else "-",
        )
        form.code.data = ""  # the box is for the next code
    token = result.token if result else None
    page = render_template(
        "invites/verify.html",
        form=form,
        result=result,
        token=token,
        outcome_text=OUTCOME_TEXT,
        lapse_text=LAPSE_TEXT,
        valid=result is not None and result.outcome == Outcome.VALID,
        certificate=current_certificate(token.parent, now) if token else None,
        links=_links_of(token) if token else [],
        admit_form=EmptyForm(),
    )
    return private(make_response(page), secret=True)


def _links_of(token: InviteToken):
    return [link for link in parent_links(token.parent) if link.class_id == token.class_id]


def _own_token_or_404(token_id: int) -> InviteToken:
    token = db.session.get(InviteToken, token_id)
    if token is None or token.school_class.head_teacher_id != current_user.id:
        abort(404)
    return token


@bp.route("/teacher/invites/<id:token_id>/admit", methods=["POST"])
@role_required(Role.TEACHER)
def admit_token(token_id: int):
    """Mark the code used: the parent is admitted. Exactly once, whatever the double taps."""
    token = _own_token_or_404(token_id)
    if admit(current_user, token.id, utcnow()) is None:
        db.session.rollback()
        seclog.record("invite.admit_refused", user=current_user.id, invite=token.id)
        flash(_("This code can no longer be admitted. Check it again for the reason."), "error")
        return redirect(url_for("invites.verify"))
    db.session.commit()
    seclog.record("invite.admitted", user=current_user.id, invite=token.id, parent=token.parent_id)
    flash(
        _("%(name)s is admitted. Now confirm their request in WeChat.", name=token.parent.real_name),
        "success",
    )
    return redirect(url_for("classes.detail", class_id=token.class_id))


@bp.route("/teacher/invites/<id:token_id>/revoke", methods=["POST"])
@role_required(Role.TEACHER)
def revoke(token_id: int):
    token = _own_token_or_404(token_id)
    if revoke_token(current_user, token, utcnow()):
        db.session.commit()
        flash(_("The code of %(name)s is revoked.", name=token.parent.real_name), "success")
    else:
        flash(_("This code was already used or ended."), "info")
    return redirect(url_for("classes.detail", class_id=token.class_id))


MEMBER_ACTIONS = {
    "approve": (approve_invite, _l("The go-ahead is given: %(name)s can now get an invite code.")),
    "remove": (remove_member, _l("%(name)s is marked as removed from the group; open codes are ended.")),
    "readmit": (readmit_member, _l("%(name)s may get a new invite code again.")),
}


@bp.route("/classes/<id:class_id>/parents/<id:parent_id>/<action>", methods=["POST"])
@role_required(Role.TEACHER)
def member(class_id: int, parent_id: int, action: str):
    """Give the go-ahead for an invite, mark a parent removed from the group, or readmit them."""
    if action not in MEMBER_ACTIONS:
        abort(404)
    school_class = teacher_class_or_404(current_user, class_id)
    parent = class_parent_or_404(school_class, parent_id)
    if school_class.graduated:
        flash(_("This class has graduated: nothing more can change."), "warning")
        return redirect(url_for("classes.detail", class_id=class_id))
    service, message = MEMBER_ACTIONS[action]
    service(current_user, school_class, parent, utcnow())
    db.session.commit()
    flash(str(message) % {"name": parent.real_name}, "success")
    return redirect(url_for("classes.detail", class_id=class_id) + f"#parent-{parent.id}")
