"""Headers on every response, and the one proxy we trust for the client's address.

HTML pages get a strict Content Security Policy (no inline script anywhere in the site, no
third-party source, no framing). Every response is `Cache-Control: no-store` unless the view said
otherwise: most pages and downloads show someone's personal data; a page that shows none (a
lesson) and the content-hashed static files opt in to caching themselves. Over HTTPS in
production, browsers are told to use nothing else (HSTS).
"""

from __future__ import annotations

from flask import Flask, Response
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
HSTS = "max-age=31536000; includeSubDomains"


def secure(response: Response, production: bool) -> Response:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    if "Cache-Control" not in headers:
        headers["Cache-Control"] = "no-store"
    if response.mimetype == "text/html":
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
    if production:
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def install(app: Flask) -> None:
    production = app.config["PRODUCTION"]
    app.after_request(lambda response: secure(response, production))
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        # Only the address our own proxy saw counts; whatever a client puts in X-Forwarded-For
        # before it is ignored (nginx sets, not appends, the header: deploy/nginx/).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
