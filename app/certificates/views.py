"""A person's own certificate."""

from flask import Blueprint, render_template
from flask_login import current_user

from app.auth.access import role_required
from app.auth.models import Role
from app.certificates.services import current_certificate
from app.timeutil import utcnow

bp = Blueprint("certificates", __name__)


@bp.route("/certificate")
@role_required(Role.PARENT, Role.TEACHER)
def mine():
    """The certificate with its number, date, content version and expiry, or what is left to do."""
    return render_template("certificates/mine.html", certificate=current_certificate(current_user, utcnow()))
