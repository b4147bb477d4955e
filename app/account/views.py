"""The privacy notice, the account page, the download of one's own data, and a parent deleting
their own account."""

from __future__ import annotations

import json

from flask import Blueprint, abort, make_response, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from app.account.export import personal_data
from app.account.forms import DeleteAccountForm
from app.account.queries import holdings, own_links
from app.account.services import delete_parent_account
from app.auth.models import Role
from app.auth.services import own_password_matches
from app.content.notice import install_notice, privacy_notice
from app.extensions import db
from app.forms import EmptyForm
from app.i18n import content_lang
from app.timeutil import utcnow
from app.web.http import private

bp = Blueprint("account", __name__)


@bp.record_once
def _load_notice(state) -> None:
    """Read the notice at start-up, like the rest of the content."""
    install_notice(state.app)


@bp.route("/privacy")
def privacy():
    """The privacy notice, for anyone, in the reader's language."""
    notice = privacy_notice()
    return render_template("account/privacy.html", notice=notice, body=notice.html.get(content_lang()))


@bp.route("/account")
@login_required
def overview():
    """What ParentPass holds about the signed-in person, and what they can do about it."""
    page = render_template(
        "account/overview.html",
        links=own_links(current_user),
        held=holdings(current_user, utcnow()),
        notice=privacy_notice(),
        form=EmptyForm(),
    )
    return private(make_response(page))


@bp.route("/account/data.json")
@login_required
def download():
    """Everything about the signed-in person, as a file to keep (never cached on the way)."""
    now = utcnow()
    body = json.dumps(personal_data(current_user, now), ensure_ascii=False, indent=2)
    response = make_response(body)
    response.mimetype = "application/json"
    response.headers["Content-Disposition"] = f'attachment; filename="parentpass-my-data-{now:%Y-%m-%d}.json"'
    return private(response)


@bp.route("/account/delete")
@login_required
def delete():
    """What deleting the account does, and the password box (parents); for everyone else, that
    the school switches their account off."""
    return private(make_response(render_template("account/delete.html", form=DeleteAccountForm())))


@bp.route("/account/delete", methods=["POST"])
@login_required
def delete_account():
    """Delete a parent's account with their password; sign out; say it is done. A second tap
    finds the account gone (signed out: the sign-in page, or nothing left to delete)."""
    if current_user.role != Role.PARENT:
        abort(403)
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if own_password_matches(current_user, form.password.data):
            user = current_user._get_current_object()
            delete_parent_account(user, utcnow())
            db.session.expunge(user)  # its row is gone: nothing may load or flush it again
            db.session.commit()
            logout_user()
            session.clear()
            return redirect(url_for("account.deleted"))
        form.password.errors.append(_("That is not your password. Nothing has been deleted."))
    return private(make_response(render_template("account/delete.html", form=form)))


@bp.route("/account/deleted")
def deleted():
    """The confirmation, after signing out (someone signed in is sent to their account page)."""
    if current_user.is_authenticated:
        return redirect(url_for("account.overview"))
    return render_template("account/deleted.html")
