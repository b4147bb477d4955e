"""A student number is a second fact only while it cannot be guessed: an account gets a few
numbers that match no roster child per class and day; after that everything it asks in that
class waits for the teacher, and the answer no longer tells a guess from a hit."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.classes.models import GuardianLink, LinkStatus, SchoolClass
from app.classes.services import link_guardian
from app.extensions import db
from app.timeutil import utcnow
from tests import factories
from tests.helpers import post, sign_in_as

NUMBER = "G330106201803152210"


@pytest.fixture
def scene(world):
    """Class A has 王小明 (a long number, no guardian phone); a parent of another school holds
    class A's join code (it went round on paper)."""
    factories.add_student(world.class_a, "王小明明", number=NUMBER)
    factories.add_student(world.class_a, "李四", number="G330106201807224277")
    outsider = factories.make_parent(world.class_b, "刘洋洋", name="外校家长")
    db.session.commit()
    return world, outsider


def ask(client, school_class, child: str, number: str):
    return post(
        client,
        "/learn/children/add",
        {
            "join_code": school_class.join_code,
            "child_name": child,
            "student_number": number,
            "relation": "mother",
            "child_consent": "y",
        },
        headers={"Accept-Language": "en"},
    )


def miss_three_times(client, school_class) -> None:
    """Three requests for children who are not on the roster, each with a made-up number."""
    for n, child in enumerate(["张三", "李五", "赵六"]):
        assert ask(client, school_class, child, f"G33010620180315{n:04d}").status_code == 302


def status_of(parent, child: str) -> str:
    db.session.expire_all()
    return db.session.scalar(
        select(GuardianLink.status).where(
            GuardianLink.parent_id == parent.id, GuardianLink.child_name == child
        )
    )


def test_after_three_wrong_numbers_even_the_right_one_waits_for_the_teacher(client, scene):
    world, outsider = scene
    sign_in_as(client, outsider)
    miss_three_times(client, world.class_a)
    assert ask(client, world.class_a, "王小明明", NUMBER).status_code == 302
    assert status_of(outsider, "王小明明") == LinkStatus.PENDING


def test_after_three_misses_a_roster_phone_match_waits_too(client, scene):
    world, outsider = scene
    factories.add_student(world.class_a, "钱多多", phone=outsider.phone)
    db.session.commit()
    sign_in_as(client, outsider)
    miss_three_times(client, world.class_a)
    ask(client, world.class_a, "钱多多", "")
    assert status_of(outsider, "钱多多") == LinkStatus.PENDING


def test_a_held_back_match_reads_exactly_like_a_miss(client, scene):
    world, outsider = scene
    sign_in_as(client, outsider)
    miss_three_times(client, world.class_a)
    answer = client.get(ask(client, world.class_a, "王小明明", NUMBER).headers["Location"]).get_data(
        as_text=True
    )
    assert status_of(outsider, "王小明明") == LinkStatus.PENDING
    assert "The teacher will confirm" in answer


def test_two_wrong_numbers_still_leave_the_right_one_its_answer(client, scene):
    """A parent who mistyped twice is not punished: the limit is three misses."""
    world, outsider = scene
    sign_in_as(client, outsider)
    ask(client, world.class_a, "张三", "G330106201803150001")
    ask(client, world.class_a, "李五", "G330106201803150002")
    ask(client, world.class_a, "王小明明", NUMBER)
    assert status_of(outsider, "王小明明") == LinkStatus.APPROVED


def test_the_misses_count_per_class(client, scene):
    world, outsider = scene
    factories.add_student(world.class_b, "周周", number="G330105201811096144")
    db.session.commit()
    sign_in_as(client, outsider)
    miss_three_times(client, world.class_a)
    ask(client, world.class_b, "周周", "G330105201811096144")
    assert status_of(outsider, "周周") == LinkStatus.APPROVED


def test_misses_older_than_a_day_no_longer_count(scene):
    world, outsider = scene
    yesterday = utcnow() - timedelta(days=1, minutes=1)
    for n, child in enumerate(["张三", "李五", "赵六"]):
        link_guardian(outsider, world.class_a, child, "mother", f"G33010620180315{n:04d}", yesterday)
    link = link_guardian(outsider, world.class_a, "王小明明", "mother", NUMBER, utcnow())
    assert link.status == LinkStatus.APPROVED


def test_the_number_is_compared_in_its_canonical_form(scene):
    """Full-width characters, lower case and spaces are the same number, not a miss."""
    world, outsider = scene
    link = link_guardian(outsider, world.class_a, "王小明明", "mother", "ｇ330106 2018 0315 2210", utcnow())
    assert link.status == LinkStatus.APPROVED and not link.number_missed


def test_no_number_typed_is_not_a_miss(scene):
    world, outsider = scene
    for child in ["张三", "李五", "赵六", "钱七"]:
        assert not link_guardian(outsider, world.class_a, child, "mother", "", utcnow()).number_missed
    link = link_guardian(outsider, world.class_a, "王小明明", "mother", NUMBER, utcnow())
    assert link.status == LinkStatus.APPROVED


def test_registration_counts_its_miss_too(scene):
    """The miss made while registering is the account's first."""
    from app.registration.services import register_parent

    world, _outsider = scene
    user, link = register_parent(
        real_name="新家长",
        phone="13712345678",
        password="a-long-password",
        wechat_id="newparent1",
        school_class=world.class_a,
        child_name="张三",
        relation="mother",
        student_number="G330106201803159999",
        now=utcnow(),
    )
    assert link.number_missed
    link_guardian(user, world.class_a, "李五", "mother", "G330106201803159998", utcnow())
    link_guardian(user, world.class_a, "赵六", "mother", "G330106201803159997", utcnow())
    assert (
        link_guardian(user, world.class_a, "王小明明", "mother", NUMBER, utcnow()).status
        == LinkStatus.PENDING
    )


def test_the_security_log_records_the_guesses_and_the_hold(client, scene, caplog):
    world, outsider = scene
    sign_in_as(client, outsider)
    with caplog.at_level(logging.INFO, logger="parentpass.security"):
        miss_three_times(client, world.class_a)
        ask(client, world.class_a, "王小明明", NUMBER)
    lines = [r.getMessage() for r in caplog.records]
    assert sum(line.startswith("roster.miss") for line in lines) == 3
    held = [line for line in lines if line.startswith("roster.held")]
    assert (
        len(held) == 1 and f"user={outsider.id}" in held[0] and f"school_class={world.class_a.id}" in held[0]
    )
    assert NUMBER not in " ".join(lines)


def test_guesses_sent_at_once_are_counted_one_by_one(app, scene, caplog, settings):
    """Eight guesses racing (each thread with its own session and connection, released together
    by a barrier): three count as misses, the other five are held for the teacher, on SQLite and
    PostgreSQL alike."""
    world, outsider = scene
    settings(PENDING_REQUESTS_MAX=50)
    threads = 8
    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []

    def guess(n: int) -> None:
        with app.app_context():
            parent = db.session.get(User, outsider.id)
            school_class = db.session.get(SchoolClass, world.class_a.id)
            barrier.wait()
            try:
                link_guardian(parent, school_class, f"孩子{n}", "mother", f"G33010620180315{n:04d}", utcnow())
                db.session.commit()
            except BaseException as error:  # reported below
                db.session.rollback()
                errors.append(error)
            finally:
                db.session.remove()

    with caplog.at_level(logging.INFO, logger="parentpass.security"):
        workers = [threading.Thread(target=guess, args=(n,)) for n in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
    assert errors == []
    lines = [r.getMessage() for r in caplog.records]
    assert sum(line.startswith("roster.miss") for line in lines) == 3
    assert sum(line.startswith("roster.held") for line in lines) == threads - 3
