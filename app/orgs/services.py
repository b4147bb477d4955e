"""Setting up the organisation from the command line: bureaus and schools (their first accounts
are made in app/auth/org_accounts.py). Plain functions; the caller commits. A refusal raises
SetupError with a one-line message for the site operator (English: the command line is not
translated)."""

from __future__ import annotations

import zoneinfo

from app.canonical import single_line
from app.extensions import db
from app.orgs.models import Bureau, School

ORG_NAME_MAX = 100  # bureaus.name, schools.name
TIMEZONE_MAX = 64  # schools.timezone


class SetupError(Exception):
    """A setup step that was refused; the message says why in one line."""


def clean_name(raw: str, what: str, limit: int) -> str:
    """A name as stored: control characters dropped, runs of spaces made one, not empty, not too long."""
    name = " ".join(single_line(raw or "").split())
    if not name:
        raise SetupError(f"the {what} must not be empty")
    if len(name) > limit:
        raise SetupError(f"the {what} has {len(name)} characters; at most {limit} fit")
    return name


def clean_timezone(raw: str) -> str:
    """An IANA time zone name that zoneinfo knows, such as Asia/Shanghai."""
    zone = (raw or "").strip()
    if len(zone) > TIMEZONE_MAX or zone not in zoneinfo.available_timezones():
        raise SetupError(f"unknown time zone {raw!r} (use an IANA name such as Asia/Shanghai)")
    return zone


def bureau_or_error(bureau_id: int) -> Bureau:
    bureau = db.session.get(Bureau, bureau_id)
    if bureau is None:
        raise SetupError(f"there is no bureau with id {bureau_id} (see `flask org list`)")
    return bureau


def school_or_error(school_id: int) -> School:
    school = db.session.get(School, school_id)
    if school is None:
        raise SetupError(f"there is no school with id {school_id} (see `flask org list`)")
    return school


def bureau_chain(bureau: Bureau) -> list[Bureau]:
    """The bureau and those above it, top first."""
    chain = [bureau]
    while chain[-1].parent is not None and len(chain) < 50:
        chain.append(chain[-1].parent)
    return chain[::-1]


def add_bureau(name: str, parent_id: int | None) -> Bureau:
    """A bureau at the top (a city) or beneath another (a district)."""
    parent = bureau_or_error(parent_id) if parent_id is not None else None
    bureau = Bureau(name=clean_name(name, "bureau name", ORG_NAME_MAX), parent=parent)
    db.session.add(bureau)
    db.session.flush()
    return bureau


def add_school(name: str, bureau_id: int, timezone: str) -> School:
    """A school beneath a (district) bureau, reasoning in its own time zone."""
    bureau = bureau_or_error(bureau_id)
    school = School(
        name=clean_name(name, "school name", ORG_NAME_MAX),
        bureau=bureau,
        timezone=clean_timezone(timezone),
    )
    db.session.add(school)
    db.session.flush()
    return school
