"""Many parents of one school answer quizzes at the same moment (a class meeting at the start of
term): each commit refreshes its class's roll-ups and the school's weekly figures. Found by the
load benchmark: on PostgreSQL, two classes of one school refreshing at once collided on the
school's weekly rows (a unique violation, a 500 for the parent). Eight threads, own connections,
a barrier: every refresh commits, and the figures add up."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from app.content.registry import catalogue
from app.extensions import db
from app.reports.models import SchoolWeeklyRollup, WeeklyRollup
from app.reports.rollups.refresh import refresh_classes
from app.timeutil import utcnow
from tests import factories

THREADS = 8


def test_classes_of_one_school_refresh_at_once_without_a_collision(app, world):
    school_classes = [world.class_a, world.class_b] + [
        factories.make_class(world.school, name=f"四年级{n}班") for n in range(THREADS - 2)
    ]
    for n, school_class in enumerate(school_classes):
        factories.make_parent(school_class, child=f"孩子{n}")
    db.session.commit()
    ids = [c.id for c in school_classes]
    required = [c.slug for c in catalogue().for_audience("parent")]
    barrier = threading.Barrier(THREADS)
    failures: list[str] = []

    def worker(class_id: int) -> None:
        with app.app_context():
            try:
                barrier.wait()
                refresh_classes([class_id], required, utcnow())
                db.session.commit()
            except Exception as error:  # the test reports what went wrong, whatever it is
                db.session.rollback()
                failures.append(type(error).__name__)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(class_id,)) for class_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    db.session.expire_all()
    by_class = db.session.scalar(
        select(func.sum(WeeklyRollup.registered)).where(WeeklyRollup.school_id == world.school.id)
    )
    by_school = db.session.scalar(
        select(func.sum(SchoolWeeklyRollup.registered)).where(SchoolWeeklyRollup.school_id == world.school.id)
    )
    assert by_class == by_school and by_school >= THREADS
