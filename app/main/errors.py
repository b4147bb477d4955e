"""Friendly, translated error pages; never a stack trace."""

from contextlib import suppress

from flask import Flask, g, make_response, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from limits.errors import StorageError
from redis.exceptions import RedisError
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from app import seclog
from app.extensions import db, login_manager
from app.limits import minutes, wait_of

PAGES = {
    400: "errors/400.html",
    403: "errors/403.html",
    404: "errors/404.html",
    429: "errors/429.html",
}


def register_error_pages(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        db.session.rollback()
        seclog.record("refused.csrf", path=request.path, reason=error.description)
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        db.session.rollback()
        code = error.code or 500
        if code in (403, 429):
            seclog.record(f"refused.{code}", path=request.path, user=_user_id())
        template = PAGES.get(code, "errors/generic.html")
        if code == 429:
            return _too_many(error)
        return render_template(template, code=code), code

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unreachable(error: OperationalError | InterfaceError):
        """The database is down or refused the work: nothing was committed (the transaction is
        rolled back), and the page says to come back, without touching the database again."""
        app.logger.error("database error: %s", type(error.orig).__name__ if error.orig else error)
        _forget_session_state()
        g._login_user = login_manager.anonymous_user()  # base.html must not ask the database who this is
        return render_template("errors/503.html", what="database"), 503

    @app.errorhandler(RedisError)
    @app.errorhandler(StorageError)
    def limits_unreachable(error: Exception):
        """The rate-limit storage is down: what it guards (sign-in, registration, code checks,
        quiz answers) is refused rather than left unguarded; every other page still reads."""
        app.logger.error("rate-limit storage unreachable: %s", type(error).__name__)
        _forget_session_state()
        return render_template("errors/503.html", what="limits"), 503

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        app.logger.exception("unhandled error")
        db.session.rollback()
        return render_template("errors/500.html"), 500


def _too_many(error: HTTPException):
    """The 429 page says how long to wait, in the reader's language, and so does Retry-After."""
    wait = wait_of(error)
    response = make_response(render_template(PAGES[429], wait_minutes=minutes(wait) if wait else None), 429)
    if wait:
        response.headers["Retry-After"] = str(wait)
    return response


def _forget_session_state() -> None:
    with suppress(Exception):  # the connection may be gone: then there is nothing left to undo
        db.session.rollback()


def _user_id() -> object:
    return current_user.id if current_user.is_authenticated else "-"
