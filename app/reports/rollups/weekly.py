"""The weekly trend: registrations, first certificates and admissions per class and week (the
school's own week), and the same per school."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Date,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
    select,
    union_all,
)

from app.classes.models import (
    LinkStatus,
)
from app.extensions import db
from app.reports.models import (
    SchoolWeeklyRollup,
    WeeklyRollup,
)
from app.reports.rollups.sources import (
    certificates,
    classes,
    guardians,
    links,
    memberships,
    schools,
)


def week_of(column, zone_column):
    """The Monday (a date) of the week `column` falls in, in the school's time zone. PostgreSQL
    knows every zone; SQLite gets each zone's current UTC offset (exact for China, no DST)."""
    if db.engine.dialect.name == "postgresql":
        return cast(func.date_trunc("week", func.timezone(zone_column, column)), Date)
    zones = db.session.scalars(select(schools.c.timezone).distinct()).all()
    offsets = [(zone, _offset(zone)) for zone in zones] or [("Asia/Shanghai", "+480 minutes")]
    shift = case(*[(zone_column == zone, literal(offset)) for zone, offset in offsets], else_="+480 minutes")
    return func.date(column, shift, "weekday 0", "-6 days")


def _offset(zone: str) -> str:
    try:
        delta = datetime.now(ZoneInfo(zone)).utcoffset()
    except (KeyError, ValueError):
        return "+480 minutes"
    return f"{int(delta.total_seconds() // 60):+d} minutes"


def weekly_counts(scope):
    g = guardians(scope)
    first_certificate = (
        select(certificates.c.user_id, func.min(certificates.c.issued_at).label("at"))
        .where(certificates.c.user_id.in_(select(g.c.parent_id)))
        .group_by(certificates.c.user_id)
        .subquery("fc")
    )
    registered = select(
        links.c.class_id, links.c.created_at.label("at"), literal(1).label("r"), literal(0), literal(0)
    ).where(links.c.status != LinkStatus.REJECTED, links.c.class_id.in_(scope))
    certified = select(g.c.class_id, first_certificate.c.at, literal(0), literal(1), literal(0)).join_from(
        g, first_certificate, first_certificate.c.user_id == g.c.parent_id
    )
    joined = select(
        memberships.c.class_id, memberships.c.joined_at, literal(0), literal(0), literal(1)
    ).where(memberships.c.joined_at.is_not(None), memberships.c.class_id.in_(scope))
    events = union_all(registered, certified, joined).subquery("e")
    columns = list(events.c)
    week = week_of(columns[1], schools.c.timezone).label("week")
    return (
        select(
            columns[0],
            week,
            classes.c.school_id,
            func.sum(columns[2]),
            func.sum(columns[3]),
            func.sum(columns[4]),
        )
        .join_from(events, classes, classes.c.id == columns[0])
        .join(schools, schools.c.id == classes.c.school_id)
        .group_by(columns[0], week, classes.c.school_id)
    )


def school_week_statements(school_ids) -> tuple:
    """Sum the class weeks of these schools (None: all) into their school weeks."""
    weekly = WeeklyRollup.__table__
    query = select(
        weekly.c.school_id,
        weekly.c.week,
        func.sum(weekly.c.registered),
        func.sum(weekly.c.certified),
        func.sum(weekly.c.joined),
    ).group_by(weekly.c.school_id, weekly.c.week)
    wipe = delete(SchoolWeeklyRollup)
    if school_ids is not None:
        query = query.where(weekly.c.school_id.in_(school_ids))
        wipe = wipe.where(SchoolWeeklyRollup.school_id.in_(school_ids))
    return (
        wipe,
        insert(SchoolWeeklyRollup).from_select(
            ["school_id", "week", "registered", "certified", "joined"], query
        ),
    )
