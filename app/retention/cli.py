"""`flask --app app purge [--yes] [--days N]`: see app/retention/purge.py."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from app.extensions import db
from app.retention.purge import ClassPurge, PurgeReport, purge
from app.retention.scopes import UNLINKED
from app.timeutil import utcnow


@click.command("purge")
@click.option("--yes", is_flag=True, help="Really delete (without it: a dry run that changes nothing).")
@click.option(
    "--days",
    type=click.IntRange(1, 36500),
    help="Retention period in days (default: the RETENTION_DAYS setting, 180).",
)
@with_appcontext
def purge_command(yes: bool, days: int | None) -> None:
    """Delete personal data past the retention period (dry run unless --yes)."""
    days = days if days is not None else current_app.config["RETENTION_DAYS"]
    try:
        report = purge(utcnow(), days, apply=yes)
        if yes:
            db.session.commit()
        else:
            db.session.rollback()
    except Exception:
        db.session.rollback()
        raise
    print_report(report, days)


def _rows(rows: dict[str, int]) -> str:
    deleted = ", ".join(f"{name} {n}" for name, n in rows.items() if n and name != UNLINKED)
    unlinked = rows.get(UNLINKED, 0)
    return (deleted or "no rows") + (f"; parents cleared from {unlinked} audit events" if unlinked else "")


def _describe(item: ClassPurge) -> str:
    school_class = item.school_class
    return (
        f'class {school_class.id} "{school_class.name}" ({school_class.school_year}, '
        f'school {school_class.school_id} "{school_class.school.name}"), '
        f"graduated {school_class.graduated_at:%Y-%m-%d}"
    )


def print_report(report: PurgeReport, days: int) -> None:
    """What was (or would be) deleted, per class and in total."""
    verb = "deleted" if report.applied else "would delete"
    click.echo(f"retention {days} days: cutoff {report.cutoff:%Y-%m-%d %H:%M} UTC")
    if report.empty:
        click.echo(
            "nothing to purge: no graduated class or departed parent is past the retention period, "
            "no ended sign-in session"
        )
        return
    if not report.applied:
        click.echo("DRY RUN: nothing is changed; run again with --yes to delete")
    for item in report.classes:
        click.echo(_describe(item))
        click.echo(f"  {verb}: {_rows(item.rows)}")
        kept = ", ".join(f"{name} {n}" for name, n in item.archived.items())
        click.echo(f"  anonymous counts kept: {kept}")
    click.echo(f"departed parent accounts: {report.parents}")
    if report.parents:
        click.echo(f"  {verb}: {_rows(report.parent_rows)}")
    click.echo(f"ended sign-in sessions: {report.ended_sessions}")
    counted = f"{len(report.classes)} classes, {report.parents} parent accounts"
    click.echo(f"total: {counted}; {verb}: {_rows(report.totals)}")
