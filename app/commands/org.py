"""`flask --app app org ...`: the site operator sets up bureaus, schools and first accounts.

Each command is a thin wrapper around app/orgs/services.py and app/auth/org_accounts.py: it
commits once on success; on any refusal it rolls back, prints one line and exits non-zero,
having written nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.exc import IntegrityError

from app.auth.org_accounts import BureauNode, NewAccount, add_bureau_user, add_staff, org_tree
from app.extensions import db
from app.orgs.models import Bureau
from app.orgs.services import SetupError, add_bureau, add_school, bureau_chain
from app.timeutil import utcnow

org_cli = AppGroup("org", help="Set up bureaus, schools and their first staff accounts.")
ID = click.IntRange(1, 2**31 - 1)  # a row id; anything else is refused before the database sees it


@contextmanager
def _one_transaction() -> Iterator[None]:
    """Commit what the block did, or roll it all back and turn the refusal into a one-line error."""
    try:
        yield
        db.session.commit()
    except SetupError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    except IntegrityError:
        db.session.rollback()
        raise click.ClickException(
            "another change got there first (phone already used?); nothing was written"
        ) from None


def _describe_bureau(bureau: Bureau) -> str:
    return f'{bureau.id} "{bureau.name}"'


def _path(bureau: Bureau) -> str:
    return " > ".join(_describe_bureau(b) for b in bureau_chain(bureau))


@org_cli.command("add-bureau")
@click.argument("name")
@click.option("--parent", "parent_id", type=ID, help="Id of the bureau above (a district's city).")
def add_bureau_command(name: str, parent_id: int | None) -> None:
    """Add an education bureau: a city at the top, or a district under --parent."""
    with _one_transaction():
        bureau = add_bureau(name, parent_id)
    where = f"under {_describe_bureau(bureau.parent)}" if bureau.parent else "at the top"
    click.echo(f"bureau {_describe_bureau(bureau)} {where}")


@org_cli.command("add-school")
@click.argument("name")
@click.option("--bureau", "bureau_id", type=ID, required=True, help="Id of the district bureau.")
@click.option("--timezone", default="Asia/Shanghai", show_default=True, help="IANA time zone name.")
def add_school_command(name: str, bureau_id: int, timezone: str) -> None:
    """Add a school under a bureau."""
    with _one_transaction():
        school = add_school(name, bureau_id, timezone)
    click.echo(f'school {school.id} "{school.name}" ({school.timezone}) under {_path(school.bureau)}')


@org_cli.command("add-staff")
@click.option("--school", "school_id", type=ID, required=True, help="Id of the school.")
@click.option("--name", required=True, help="The person's real name.")
@click.option("--phone", required=True, help="Their mainland mobile number: the login.")
def add_staff_command(school_id: int, name: str, phone: str) -> None:
    """Add a school staff account and print its one-time welcome link."""
    _add_account(lambda now: add_staff(school_id, name, phone, now))


@org_cli.command("add-bureau-user")
@click.option("--bureau", "bureau_id", type=ID, required=True, help="Id of the bureau.")
@click.option("--name", required=True, help="The person's real name.")
@click.option("--phone", required=True, help="Their mainland mobile number: the login.")
def add_bureau_user_command(bureau_id: int, name: str, phone: str) -> None:
    """Add a bureau account and print its one-time welcome link."""
    _add_account(lambda now: add_bureau_user(bureau_id, name, phone, now))


def _add_account(create: Callable[[datetime], NewAccount]) -> None:
    """Create the account in one transaction, then print who it is and its welcome link."""
    with _one_transaction():
        account = create(utcnow())
    user = account.user
    if user.school is not None:
        zone, place = user.school.timezone, f'school {user.school.id} "{user.school.name}"'
    else:
        zone, place = current_app.config["BABEL_DEFAULT_TIMEZONE"], f"bureau {_describe_bureau(user.bureau)}"
    expires = account.expires_at.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")
    link = current_app.config["SITE_URL"].rstrip("/") + "/password/" + account.secret
    click.echo(f'{user.role} account {user.id} "{user.real_name}" ({user.phone}) for {place}')
    click.echo(f"welcome link, valid until {expires} ({zone}), once:")
    click.echo(f"  {link}")
    click.echo(
        "Hand this link over in person (on paper or on your screen), never through a chat group: "
        "whoever opens it sets the account's password."
    )


@org_cli.command("list")
def list_command() -> None:
    """Print the bureau tree with its schools, time zones and account counts."""
    roots = org_tree()
    if not roots:
        click.echo("no bureaus yet: start with `flask org add-bureau NAME`")
        return
    for node in roots:
        _print_node(node, 0)


def _print_node(node: BureauNode, depth: int) -> None:
    indent = "  " * depth
    click.echo(f"{indent}bureau {_describe_bureau(node.bureau)}: {node.accounts} bureau account(s)")
    for school, staff in node.schools:
        click.echo(f'{indent}  school {school.id} "{school.name}" ({school.timezone}): {staff} staff')
    for child in node.children:
        _print_node(child, depth + 1)
