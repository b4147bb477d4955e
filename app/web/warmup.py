"""What every worker would otherwise do on its first pages, done once in gunicorn's master before
it forks the workers (`preload_app`, deploy/gunicorn.conf.py): the ORM's mappers configured, every
template compiled, both languages' catalogues and locale data loaded; the workers inherit it all.
Without it, after each start or reload, each worker's first school report took ~130 ms instead of
~20 ms (88 ms with it: what is left is the worker's own database connections and statements)."""

from __future__ import annotations

from flask import Flask
from flask_babel import format_datetime, format_decimal, format_percent, get_translations
from sqlalchemy.orm import configure_mappers

from app.canonical import invisible_characters
from app.timeutil import utcnow


def warm(app: Flask) -> None:
    configure_mappers()
    invisible_characters()
    environment = app.jinja_env
    for name in environment.list_templates(extensions=["html"]):
        environment.get_template(name)
    for language in app.config["LANGUAGES"]:
        cookie = f"{app.config['LANGUAGE_COOKIE']}={language}"
        with app.test_request_context("/", headers={"Cookie": cookie}):
            get_translations()
            format_decimal(1234.5), format_percent(0.5), format_datetime(utcnow())
