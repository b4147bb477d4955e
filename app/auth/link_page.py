"""The page that shows a freshly made password link once, for staff and head teachers alike."""

from flask import current_app, make_response, render_template, url_for

from app.auth.models import LinkPurpose, User
from app.web.http import private


def password_link_page(person: User, secret: str, purpose: LinkPurpose, back: str):
    """Render the link (never cached, never sent on as a referrer) with how to hand it over."""
    page = render_template(
        "password_link.html",
        person=person,
        link=url_for("auth.set_password", secret=secret, _external=True),
        welcome=purpose == LinkPurpose.WELCOME,
        hours=current_app.config["PASSWORD_LINK_HOURS"],
        back=back,
    )
    return private(make_response(page), secret=True)
