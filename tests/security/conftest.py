"""Fixtures for the adversarial tests; their helpers are in `helpers.py`."""

import pytest


@pytest.fixture
def security_world(world, catalogue):
    """The access world plus a course, its first lesson, and a password link for `teacher_other`."""
    from app.auth.links import issue_password_link
    from app.auth.models import LinkPurpose
    from app.extensions import db
    from app.timeutil import utcnow

    world.course = catalogue.for_audience("parent")[0]
    world.lesson = world.course.lessons[0]
    world.secret = issue_password_link(world.users["teacher_other"], LinkPurpose.RESET, None, utcnow())
    db.session.commit()
    return world
