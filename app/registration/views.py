"""Registering with the class join code the teacher gave, and adding another child later."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app import seclog
from app.auth.access import role_required
from app.auth.models import Role
from app.auth.services import PhoneTaken
from app.auth.signin import sign_in
from app.classes.models import LinkStatus
from app.classes.services import AlreadyLinked, TooManyPending
from app.extensions import db, limiter
from app.registration.forms import ChildForm, RegistrationForm
from app.registration.services import add_child as add_child_to_account
from app.registration.services import register_parent
from app.timeutil import utcnow

bp = Blueprint("registration", __name__)


def _register_limit() -> str:
    return current_app.config["REGISTER_RATE_LIMIT"]


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"])
def register():
    """A parent creates their own account with the join code the teacher gave them."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = RegistrationForm(join_code=request.args.get("code", ""))
    if form.validate_on_submit():
        try:
            user, link = register_parent(
                real_name=form.real_name.data,
                phone=form.phone.data,
                password=form.password.data,
                wechat_id=form.wechat_id.data,
                school_class=form.school_class,
                child_name=form.child_name.data,
                relation=form.relation.data,
                student_number=form.student_number.data or "",
                now=utcnow(),
            )
            db.session.commit()
        except (PhoneTaken, IntegrityError):
            db.session.rollback()
            form.phone.errors.append(_("This mobile number already has an account. Please sign in instead."))
        else:
            sign_in(user)
            seclog.record("register", user=user.id, link_status=link.status)
            if link.status == LinkStatus.APPROVED:
                flash(_("Welcome! You are now linked to your child's class."), "success")
            else:
                flash(
                    _(
                        "Welcome! The teacher will confirm that you are this child's guardian. "
                        "You can start the lessons now."
                    ),
                    "info",
                )
            return redirect(url_for("main.path"))
    return render_template("registration/register.html", form=form)


def _add_child_limit() -> str:
    return current_app.config["ADD_CHILD_RATE_LIMIT"]


def _account_key() -> str:
    return f"add-child:{current_user.id if current_user.is_authenticated else 'anonymous'}"


@bp.route("/learn/children/add", methods=["GET", "POST"])
@limiter.limit(_add_child_limit, key_func=_account_key, methods=["POST"])
@role_required(Role.PARENT)
def add_child():
    """One account can guard several children, in several classes (each with the guardian's
    separate consent for that child, which the form requires)."""
    form = ChildForm()
    if form.validate_on_submit():
        now = utcnow()
        try:
            link = add_child_to_account(
                current_user,
                form.school_class,
                form.child_name.data,
                form.relation.data,
                form.student_number.data or "",
                now,
            )
            db.session.commit()
        except AlreadyLinked:
            db.session.rollback()
            form.child_name.errors.append(_("You have already added this child in this class."))
        except TooManyPending:
            db.session.rollback()
            form.child_name.errors.append(
                _(
                    "%(num)d of your requests are still waiting for teachers. Please add this child "
                    "once a teacher has answered one of them.",
                    num=current_app.config["PENDING_REQUESTS_MAX"],
                )
            )
        else:
            if link.status == "approved":
                flash(_("Your child's class has been added."), "success")
            else:
                flash(_("Added. The teacher will confirm that you are this child's guardian."), "info")
            return redirect(url_for("main.path"))
    return render_template("registration/add_child.html", form=form)
