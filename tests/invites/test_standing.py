"""Where a parent stands is defined once (app/invites/eligibility.py, `standing_of`); the reports'
funnel counts the same steps in SQL for every class at once. Here both read the same generated
classes, parents in every state, and must agree class by class."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.classes.charters import revise_charter
from app.classes.models import GuardianLink, LinkStatus
from app.classes.services import accept_charter, current_charter
from app.content.registry import catalogue
from app.extensions import db
from app.invites.eligibility import Standing, standing_for, standing_of
from app.invites.models import GroupMembership, InviteToken
from app.learning.models import LessonRead
from app.quizzes.models import QuizAttempt
from app.reports.models import ClassRollup
from app.reports.rollups.refresh import refresh_classes
from app.timeutil import utcnow
from tests import factories

STEPS = ("learning", "passed", "certified", "charter_accepted", "invited", "joined")


def test_each_step_needs_the_ones_before_it():
    everything = dict(
        read_any=True,
        passed_all=True,
        certified=True,
        link_approved=True,
        charter_accepted=True,
        invited=True,
        in_group=True,
    )
    assert standing_of(**everything) == Standing(True, True, True, True, True, True)
    assert standing_of(**everything | {"read_any": False}) == Standing(
        False, False, True, False, False, False
    )
    assert not standing_of(**everything | {"link_approved": False}).charter_accepted
    assert standing_of(**everything | {"in_group": False}).invited


def _read(parent, now) -> None:
    db.session.add(
        LessonRead(
            user_id=parent.id,
            course_slug="etiquette",
            lesson_slug="why-rules",
            first_read_at=now,
            last_read_at=now,
        )
    )


def _attempt(parent, slug: str, passed: bool, now) -> None:
    db.session.add(
        QuizAttempt(
            user_id=parent.id,
            course_slug=slug,
            course_version="test",
            draw=[],
            total=6,
            score=6 if passed else 1,
            passed=passed,
            started_at=now,
            submitted_at=now,
        )
    )


def _city(rng: random.Random, required: list[str]):
    """Two schools, three classes, about twenty parents a class in random states (a few in two
    classes), every write through the ORM so that the roll-ups follow each commit."""
    now = utcnow()
    district = factories.make_bureau("区", factories.make_bureau("市"))
    schools = [factories.make_school(district, name) for name in ("一小", "二小")]
    classes = []
    for n, school in enumerate([schools[0], schools[0], schools[1]]):
        teacher = factories.make_user(Role.TEACHER, f"老师{n}", school_id=school.id)
        classes.append(factories.make_class(school, teacher, f"三年级{n}班"))
    db.session.commit()
    parents = []
    for n in range(60):
        school_class = classes[n % 3]
        approved = rng.random() < 0.85
        parent = factories.make_parent(school_class, f"学生{n}", approved=approved, name=f"家长{n}")
        parents.append((parent, school_class))
        if not approved and rng.random() < 0.3:
            db.session.scalars(
                select(GuardianLink).where(GuardianLink.parent_id == parent.id)
            ).one().status = LinkStatus.REJECTED
        if rng.random() < 0.75:
            _read(parent, now)
        passed = [slug for slug in required if rng.random() < 0.88]
        for slug in passed:
            _attempt(parent, slug, True, now)
        if rng.random() < 0.3:
            _attempt(parent, required[0], False, now)
        if rng.random() < 0.6:
            factories.certify(parent, days_left=rng.choice([200, 200, -3]))
        if rng.random() < 0.6:
            accept_charter(parent, current_charter(school_class.id), now)
        if rng.random() < 0.5:
            db.session.add(
                InviteToken(
                    class_id=school_class.id,
                    parent_id=parent.id,
                    wechat_id="wx_parent",
                    token_hash=f"{n:064d}",
                    key_id="k1",
                    issued_at=now,
                    expires_at=now + timedelta(hours=48),
                )
            )
            if rng.random() < 0.6:
                removed = now if rng.random() < 0.2 else None
                db.session.add(
                    GroupMembership(
                        class_id=school_class.id, parent_id=parent.id, joined_at=now, removed_at=removed
                    )
                )
    for parent, school_class in rng.sample(parents, 6):  # a second child in another class
        other = rng.choice([c for c in classes if c.id != school_class.id])
        factories.add_student(other, f"另一个孩子{parent.id}")
        db.session.add(
            GuardianLink(
                parent_id=parent.id,
                class_id=other.id,
                child_name=f"另一个孩子{parent.id}",
                relation="mother",
                status=rng.choice([LinkStatus.APPROVED, LinkStatus.PENDING]),
                created_at=now,
            )
        )
    db.session.commit()
    revise_charter(
        classes[1], "新的一版公约", "21:30", "07:00", classes[1].head_teacher, now
    )  # older acceptances lapse
    db.session.commit()
    return classes


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_funnel_in_sql_counts_what_eligibility_says(seed):
    required = [c.slug for c in catalogue().for_audience("parent")]
    classes = _city(random.Random(seed), required)
    now = utcnow()
    refresh_classes(None, required, now)
    db.session.commit()
    totals = dict.fromkeys([*STEPS, "registered"], 0)
    for school_class in classes:
        guardians = {
            link.parent
            for link in db.session.scalars(
                select(GuardianLink).where(
                    GuardianLink.class_id == school_class.id, GuardianLink.status != LinkStatus.REJECTED
                )
            )
        }
        standings = [standing_for(parent, school_class, required, now) for parent in guardians]
        expected = {step: sum(getattr(s, step) for s in standings) for step in STEPS}
        expected["registered"] = len(guardians)
        row = db.session.get(ClassRollup, school_class.id)
        assert {key: getattr(row, key) for key in expected} == expected, school_class.name
        totals = {key: totals[key] + expected[key] for key in totals}
    assert all(0 < totals[step] < totals["registered"] for step in STEPS), totals  # every state met
