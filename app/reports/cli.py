"""`flask --app app reports refresh`: recompute every class's roll-ups (nightly, because
certificates expire without any event). `flask --app app reports drain [--every SECONDS]`: refresh
the classes queued by commits (ROLLUP_REFRESH=queued), once or as a service."""

import time

import click
from flask.cli import AppGroup
from sqlalchemy.exc import DBAPIError

from app.content.registry import catalogue
from app.extensions import db
from app.reports.rollups import queue
from app.reports.rollups.refresh import refresh_classes
from app.timeutil import utcnow

reports_cli = AppGroup("reports", help="Report roll-ups.")


def _required() -> list[str]:
    return [c.slug for c in catalogue().for_audience("parent")]


@reports_cli.command("refresh")
def refresh_command() -> None:
    """Recompute the roll-ups of every class not yet purged."""
    started = time.perf_counter()
    refresh_classes(None, _required(), utcnow())
    db.session.commit()
    click.echo(f"report roll-ups refreshed in {time.perf_counter() - started:.1f} s")


@reports_cli.command("drain")
@click.option(
    "--every",
    type=click.FloatRange(min=0.1),
    default=None,
    help="Keep running: drain, then pause this many seconds, forever (the drain service).",
)
@click.option("--batch", type=click.IntRange(1, 10_000), default=queue.BATCH, show_default=True)
def drain_command(every: float | None, batch: int) -> None:
    """Refresh the classes that commits queued (ROLLUP_REFRESH=queued) and empty the queue."""
    while True:
        started = time.perf_counter()
        try:
            rows, classes = queue.drain(_required(), utcnow(), batch)
        except DBAPIError as error:  # the database restarted or is away: try again next pass
            db.session.rollback()
            if every is None:
                raise
            click.echo(f"drain failed, retrying in {every:g} s: {type(error.orig).__name__}", err=True)
        else:
            if rows or every is None:
                took = time.perf_counter() - started
                click.echo(f"{classes} classes refreshed for {rows} queued changes in {took:.2f} s")
        if every is None:
            return
        time.sleep(every)
