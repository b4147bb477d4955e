"""`flask --app app purge`: see app/retention/purge.py."""

import click
from flask.cli import with_appcontext


@click.command("purge")
@with_appcontext
def purge_command() -> None:
    """Delete personal data past the retention period (dry run unless --yes)."""
    raise click.ClickException("not built yet")
