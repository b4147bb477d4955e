"""`flask --app app reports refresh`: recompute every class's roll-ups (nightly, because
certificates expire without any event)."""

import time

import click
from flask.cli import AppGroup

from app.content.registry import catalogue
from app.extensions import db
from app.reports.rollups import refresh_classes
from app.timeutil import utcnow

reports_cli = AppGroup("reports", help="Report roll-ups.")


@reports_cli.command("refresh")
def refresh_command() -> None:
    """Recompute the roll-ups of every class not yet purged."""
    started = time.perf_counter()
    refresh_classes(None, [c.slug for c in catalogue().for_audience("parent")], utcnow())
    db.session.commit()
    click.echo(f"report roll-ups refreshed in {time.perf_counter() - started:.1f} s")
