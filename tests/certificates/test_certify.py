"""Certified means every required quiz passed; the certificate says when, on what, until when."""

from datetime import timedelta

from sqlalchemy import func, select

from app.certificates.models import Certificate
from app.certificates.services import certify_if_complete, is_certified
from app.extensions import db
from app.quizzes.models import QuizAttempt
from app.quizzes.queries import passed_course_slugs
from app.timeutil import utcnow
from tests import factories


def passed(user, course) -> None:
    db.session.add(
        QuizAttempt(
            user_id=user.id,
            course_slug=course.slug,
            course_version=course.version,
            draw=[],
            total=course.quiz.draw,
            submitted_at=utcnow(),
            score=course.quiz.draw,
            passed=True,
        )
    )
    db.session.flush()


def a_parent():
    school = factories.make_school(factories.make_bureau())
    return factories.make_parent(factories.make_class(school))


def test_not_certified_until_every_required_quiz_is_passed(catalogue):
    parent = a_parent()
    courses = catalogue.for_audience("parent")
    for course in courses[:-1]:
        passed(parent, course)
        assert certify_if_complete(parent, catalogue, passed_course_slugs(parent.id), utcnow(), 365) is None
    assert not is_certified(parent, utcnow())
    passed(parent, courses[-1])
    certificate = certify_if_complete(parent, catalogue, passed_course_slugs(parent.id), utcnow(), 365)
    assert certificate is not None and is_certified(parent, utcnow())


def test_certificate_records_version_date_and_a_one_year_expiry(catalogue):
    parent = a_parent()
    for course in catalogue.for_audience("parent"):
        passed(parent, course)
    now = utcnow()
    certificate = certify_if_complete(parent, catalogue, passed_course_slugs(parent.id), now, 365)
    assert certificate.issued_at == now
    assert certificate.expires_at == now + timedelta(days=365)
    assert certificate.content_version == catalogue.content_version("parent")
    assert certificate.number.startswith("PP-") and len(certificate.number) == 17


def test_no_second_certificate_while_one_is_valid(catalogue):
    parent = a_parent()
    for course in catalogue.for_audience("parent"):
        passed(parent, course)
    certify_if_complete(parent, catalogue, passed_course_slugs(parent.id), utcnow(), 365)
    assert certify_if_complete(parent, catalogue, passed_course_slugs(parent.id), utcnow(), 365) is None
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1


def test_an_expired_certificate_no_longer_certifies(catalogue):
    parent = a_parent()
    for course in catalogue.for_audience("parent"):
        passed(parent, course)
    certify_if_complete(
        parent, catalogue, passed_course_slugs(parent.id), utcnow() - timedelta(days=400), 365
    )
    assert not is_certified(parent, utcnow())
