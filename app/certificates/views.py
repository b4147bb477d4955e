"""A person's own certificate, and the check of a certificate number for teachers and staff."""

from flask import Blueprint, current_app, make_response, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import StringField
from wtforms.validators import DataRequired

from app.auth.access import role_required
from app.auth.models import Role
from app.certificates.services import certificate_status, current_certificate, find_certificate
from app.extensions import limiter
from app.forms import BaseForm, max_length
from app.security import mask_name
from app.timeutil import utcnow
from app.web.http import private

bp = Blueprint("certificates", __name__)


class CheckForm(BaseForm):
    number = StringField(
        _l("Certificate number"),
        validators=[
            DataRequired(_l("Please type the certificate number, e.g. PP-7K2M-Q9XD-4HTN.")),
            max_length(40),
        ],
    )


@bp.route("/certificate")
@role_required(Role.PARENT, Role.TEACHER)
def mine():
    """The certificate with its number, date, content version and expiry, or what is left to do."""
    return render_template("certificates/mine.html", certificate=current_certificate(current_user, utcnow()))


def _check_limit() -> str:
    return current_app.config["CERTIFICATE_CHECK_RATE_LIMIT"]


@bp.route("/certificates/check", methods=["GET", "POST"])
@role_required(Role.TEACHER, Role.STAFF, Role.BUREAU)
@limiter.limit(_check_limit, methods=["POST"])
def check():
    """Valid, expired or unknown, with the holder's name partly masked: enough to confirm a
    certificate someone shows, not enough to look people up."""
    form = CheckForm()
    result = None
    certificate = None
    now = utcnow()
    if form.validate_on_submit():
        certificate = find_certificate(form.number.data)
        result = certificate_status(certificate, now)
    response = make_response(
        render_template(
            "certificates/check.html",
            form=form,
            result=result,
            certificate=certificate,
            holder=mask_name(certificate.user.real_name) if certificate else "",
        )
    )
    return private(response)
