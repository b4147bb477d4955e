"""The session cookie ends when the sign-in does.

Flask gives every permanent session cookie the same lifetime (`PERMANENT_SESSION_LIFETIME`, the
parents' 30 days), so a teacher's cookie would outlive the 12-hour session behind it: harmless
while the row decides, but a cookie that claims a month on a shared school computer says the wrong
thing, and the browser keeps it. `sign_in` writes the session's end into the cookie (`_ends`, Unix
seconds); this interface never sets an expiry later than that.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask.sessions import SecureCookieSessionInterface

ENDS = "_ends"


class SignInCookieInterface(SecureCookieSessionInterface):
    def get_expiration_time(self, app, session) -> datetime | None:
        expires = super().get_expiration_time(app, session)
        ends = session.get(ENDS)
        if expires is not None and isinstance(ends, int):
            return min(expires, datetime.fromtimestamp(ends, UTC))
        return expires
