"""Pages that read the same for every reader, rendered once per process (per app).

A lesson page shows no personal data (the service worker keeps it for offline reading), so the
page a parent gets differs from any other reader's only by the language, elder mode, whether the
reader is signed in (and as which audience) and the CSRF token in its forms. The page is rendered
once per such combination with a placeholder where the token goes; each request fills in its own
token. Rendering the shared layout was a quarter of a lesson request's time (bench/README.md).

Not cached: pages with a flashed message (it belongs to one reader), addresses with a query
string (unbounded keys), and anything in debug mode (templates change while it runs).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from flask import current_app, g, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from app.i18n import elder_mode, select_locale

MAX_PAGES = 512  # lessons × languages × modes × audiences is far below this
# Random per process, so no content file or reader can put it in a page.
PLACEHOLDER = f"csrf-placeholder-{secrets.token_hex(16)}"


def shared_page(render: Callable[[], str]) -> str:
    """`render()`'s page for this request, rendered once per language, mode and audience."""
    if current_app.debug or request.query_string or session.get("_flashes"):
        return render()
    token = generate_csrf()
    audience = current_user.audience if current_user.is_authenticated else None
    # The selector's answer, not get_locale(): parsing a babel Locale costs more than the rest.
    key = (request.path, select_locale(), elder_mode(), audience)
    pages: dict[tuple, str] = current_app.extensions.setdefault("parentpass.pages", {})
    page = pages.get(key)
    if page is None:
        field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        setattr(g, field, PLACEHOLDER)  # generate_csrf() hands out what it finds in `g`
        try:
            page = render()
        finally:
            setattr(g, field, token)
        if PLACEHOLDER not in page or token in page:
            return page.replace(PLACEHOLDER, token)  # the token came another way: do not keep it
        if len(pages) < MAX_PAGES:
            pages[key] = page
    return page.replace(PLACEHOLDER, token)
