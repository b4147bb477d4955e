"""Sign in, sign out, change a password, choose one through a one-time link (registering is
app/registration)."""

from flask import Blueprint, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from app import seclog
from app.auth.forms import ChangePasswordForm, LoginForm, SetPasswordForm
from app.auth.links import find_password_link, use_password_link
from app.auth.services import authenticate, own_password_matches
from app.auth.sessions import end_all_sessions
from app.auth.signin import sign_in, sign_out, sign_out_everywhere
from app.canonical import canonical_phone
from app.extensions import db, limiter
from app.keyring import keyed_hash
from app.security import hash_password, is_safe_next, mask_phone
from app.timeutil import utcnow
from app.web.http import private

bp = Blueprint("auth", __name__)


def _login_account_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT_ACCOUNT"]


def _login_client_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT_CLIENT"]


def _login_account_key() -> str:
    """The account being tried, whatever address the tries come from: keyed on the canonical
    phone, the very value the sign-in looks up, so no other spelling of it gets a fresh count."""
    phone = canonical_phone(request.form.get("phone", ""))
    return "login-account:" + keyed_hash(phone)[1][:32]  # no phone number in the limit storage


def _failed(response) -> bool:
    """A success redirects; only failures count against the client address's allowance."""
    return response.status_code == 200


@bp.route("/login", methods=["GET", "POST"])
# Per account, every try counts, and the count is one atomic step in the storage: however many
# workers or parallel requests, the allowance holds exactly. Per client address only failures
# count (a carrier puts many parents behind one address); that count follows the answer, so
# parallel requests may pass it by the number in flight.
@limiter.limit(_login_account_limit, key_func=_login_account_key, methods=["POST"])
@limiter.limit(_login_client_limit, methods=["POST"], deduct_when=_failed)
def login():
    """Phone and password; the same message whether the phone is unknown or the password wrong."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        phone = canonical_phone(form.phone.data)
        user = authenticate(phone, form.password.data)
        if user is None:
            seclog.record("login.failed", phone=phone)
            flash(_("The mobile number or password is not right. Please try again."), "error")
        elif not user.active:
            seclog.record("login.refused", user=user.id, reason="switched_off")
            flash(_("This account has been switched off. Please ask your school."), "error")
        else:
            sign_in(user)
            seclog.record("login.ok", user=user.id, role=user.role)
            target = request.args.get("next")
            return redirect(target if is_safe_next(target) else url_for("main.home"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out (a POST with a CSRF token, so no other site can sign a person out)."""
    if current_user.is_authenticated:
        seclog.record("logout", user=current_user.id)
    sign_out()
    flash(_("You have signed out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/logout/everywhere", methods=["POST"])
@login_required
def logout_everywhere():
    """Sign out on every phone and computer (a lost phone, a shared computer)."""
    seclog.record("logout.everywhere", user=current_user.id)
    sign_out_everywhere()
    flash(_("You have signed out on every device."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """A new password ends every session of the account; this device is signed in afresh."""
    form = ChangePasswordForm()
    form.account_phone = current_user.phone
    if form.validate_on_submit():
        if not own_password_matches(current_user, form.current.data):
            form.current.errors.append(_("This is not your current password."))
        else:
            user = current_user._get_current_object()
            user.password_hash = hash_password(form.password.data)
            end_all_sessions(user.id)
            sign_in(user)
            seclog.record("password.changed", user=user.id)
            flash(
                _("Your password is changed. Every other phone or computer has been signed out."), "success"
            )
            return redirect(url_for("main.home"))
    return private(make_response(render_template("auth/change_password.html", form=form)))


@bp.route("/password/<secret>", methods=["GET", "POST"])
def set_password(secret: str):
    """Choose a password with a one-time link from the school or the head teacher. Whoever holds
    the link sets the password of the link's account; anyone signed in on this phone is signed out."""
    now = utcnow()
    link = find_password_link(secret, now)
    form = SetPasswordForm()
    form.account_phone = link.user.phone if link else None
    if link is not None and form.validate_on_submit():
        if use_password_link(link, form.password.data, now):
            db.session.commit()
            seclog.record("password.set_by_link", user=link.user_id, purpose=link.purpose)
            logout_user()
            flash(
                _("Your password is set. Please sign in with your mobile number and the new password."),
                "success",
            )
            return private(redirect(url_for("auth.login")), secret=True)
        db.session.rollback()
        link = None
    masked = mask_phone(link.user.phone) if link else ""
    page = render_template("auth/set_password.html", link=link, form=form, masked=masked)
    return private(make_response(page, 200 if link else 404), secret=True)
