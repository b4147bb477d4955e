"""`flask demo load` builds the demo once and keeps existing data."""

from sqlalchemy import func, select

from app.auth.models import User
from app.certificates.services import is_certified
from app.extensions import db
from app.timeutil import utcnow


def test_demo_load_builds_the_demo_and_prints_the_logins(runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "13900000011" in result.output and "parentpass-demo" in result.output
    certified = db.session.scalar(select(User).where(User.phone == "13900000011"))
    halfway = db.session.scalar(select(User).where(User.phone == "13900000012"))
    assert is_certified(certified, utcnow())
    assert not is_certified(halfway, utcnow())


def test_the_demo_shows_every_invite_state(runner):
    from app.classes.models import GuardianLink, SchoolClass
    from app.invites.eligibility import eligibility_gaps
    from app.invites.queries import membership

    runner.invoke(args=["demo", "load"])
    school_class = db.session.scalars(select(SchoolClass)).one()
    by_phone = {u.phone: u for u in db.session.scalars(select(User))}
    assert eligibility_gaps(by_phone["13900000011"], school_class, utcnow()) == []  # may get a code
    assert membership(school_class.id, by_phone["13900000014"].id).joined_at is not None
    waiting = db.session.scalars(
        select(GuardianLink).where(GuardianLink.parent_id == by_phone["13900000015"].id)
    )
    assert waiting.one().status == "pending"


def test_demo_load_twice_keeps_the_data(runner):
    runner.invoke(args=["demo", "load"])
    users = db.session.scalar(select(func.count()).select_from(User))
    second = runner.invoke(args=["demo", "load"])
    assert "Existing data kept." in second.output
    assert db.session.scalar(select(func.count()).select_from(User)) == users
