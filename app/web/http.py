"""Response headers for pages that show personal data or a secret."""

from flask import Response


def private(response: Response, *, secret: bool = False) -> Response:
    """Never cache this page (it shows personal data). With `secret` (a code or a link in the page
    or its address) also never send the address on as a referrer."""
    response.headers["Cache-Control"] = "no-store"
    if secret:
        response.headers["Referrer-Policy"] = "no-referrer"
    return response


def shareable(response: Response) -> Response:
    """A page with no personal data (a lesson): the phone may keep it (for offline reading) but
    checks with the site before reusing it. Every other page is `no-store` (app/web/headers.py)."""
    response.headers["Cache-Control"] = "private, no-cache"
    return response
