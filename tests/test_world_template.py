"""The restored world is the built one: the same rows, objects attached to the test's session."""

from sqlalchemy import inspect, select

from app.auth.models import User
from app.extensions import db
from tests import factories
from tests.helpers import db_snapshot, empty_database
from tests.world_template import WorldTemplate


def test_a_restored_world_has_the_rows_of_the_built_one():
    template = WorldTemplate(factories.build_full_world)
    built = template.world()
    rows = db_snapshot()
    db.session.remove()
    empty_database()

    restored = template.world()
    assert db_snapshot() == rows
    parent = restored.users["parent"]
    assert parent is not built.users["parent"]
    assert inspect(parent).persistent and "real_name" in inspect(parent).expired_attributes
    assert parent.real_name == "王芳" and restored.attempt.user_id == parent.id
    assert restored.token.class_id == restored.class_a.id


def test_a_database_with_rows_gets_a_world_built_afresh():
    template = WorldTemplate(factories.build_world)
    template.world()
    db.session.remove()
    empty_database()
    stranger = factories.make_user(name="先来的人")
    db.session.commit()

    world = template.world()
    names = set(db.session.scalars(select(User.real_name)))
    assert {"先来的人", "王芳", "李老师"} <= names
    assert world.users["parent"].id != stranger.id
