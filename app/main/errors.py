"""Friendly, translated error pages; never a stack trace."""

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.extensions import db

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
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        db.session.rollback()
        code = error.code or 500
        template = PAGES.get(code, "errors/generic.html")
        return render_template(template, code=code), code

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        app.logger.exception("unhandled error")
        db.session.rollback()
        return render_template("errors/500.html"), 500
