"""The pages whose cost the docs promise not to grow with the data: the parent's path (one query
for reads, one for passed quizzes, whatever the courses), the head teacher's class page (a fixed
handful of queries whatever the class size) and the reports (one query per table shown, whatever
the scope). Each is measured small and large; the count must not move."""

from datetime import timedelta

from app.extensions import db
from app.invites.services import issue_invite
from app.learning.services import mark_read
from app.timeutil import utcnow
from tests import factories
from tests.helpers import sign_in_as


def _cost(client, count_queries, url: str) -> int:
    client.get(url)  # warm: the catalogue, templates and the session row are loaded once
    with count_queries as counted:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(counted)


def test_the_path_costs_the_same_before_and_after_every_lesson_is_read(
    client, world, catalogue, count_queries
):
    parent = world.users["parent"]
    sign_in_as(client, parent)
    fresh = _cost(client, count_queries, "/learn")
    for course in catalogue.for_audience("parent"):
        for lesson in course.lessons:
            mark_read(parent, course, lesson, utcnow())
    db.session.commit()
    assert _cost(client, count_queries, "/learn") == fresh


def _guardians(school_class, count: int) -> None:
    """`count` guardians: every other one certified with the charter accepted, and where the
    class has a certified head teacher, every fourth one holding an invite code."""
    now = utcnow()
    invites = school_class.head_teacher is not None
    if invites:
        factories.certify(school_class.head_teacher)
    for n in range(count):
        parent = factories.make_parent(school_class, f"学生{n}", name=f"家长{n}")
        if n % 2 == 0:
            factories.make_eligible(parent, school_class)
            if invites and n % 4 == 0:
                issue_invite(parent, school_class, now - timedelta(minutes=n))
    db.session.commit()


def test_the_class_page_costs_the_same_for_two_guardians_and_for_twenty(client, world, count_queries):
    sign_in_as(client, world.users["teacher"])
    url = f"/classes/{world.class_a.id}"
    small = _cost(client, count_queries, url)
    _guardians(world.class_a, 18)
    assert _cost(client, count_queries, url) == small


def test_the_reports_cost_the_same_for_one_class_and_for_many(client, world, count_queries):
    sign_in_as(client, world.users["bureau"])
    school_url, bureau_url = f"/reports/schools/{world.school.id}", f"/reports/bureaus/{world.district.id}"
    small = (_cost(client, count_queries, school_url), _cost(client, count_queries, bureau_url))
    for n in range(4):
        school = factories.make_school(world.district, f"东区第{n + 2}小学")
        _guardians(factories.make_class(school, name=f"四年级{n + 1}班"), 3)
    _guardians(world.class_b, 5)
    assert (_cost(client, count_queries, school_url), _cost(client, count_queries, bureau_url)) == small
