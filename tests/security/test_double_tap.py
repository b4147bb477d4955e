"""A second tap of any button that creates or changes something records it once.

Each form is sent twice with the same data and CSRF token, both requests carrying the cookies
the page had (the second leaves before the first answer arrives, as with an impatient thumb or a
slow phone). The form's hidden fields are read from the page the person is on, as a browser
sends them. After both answers there is exactly one record of the action, and neither answer is
a server error.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.auth.links import issue_password_link
from app.auth.models import LinkPurpose, PasswordLink, User
from app.certificates.models import Certificate
from app.classes.models import (
    Charter,
    CharterAcceptance,
    GuardianLink,
    InvitePolicy,
    RosterStudent,
    SchoolClass,
)
from app.extensions import db
from app.invites.models import InviteToken
from app.invites.services import issue_invite
from app.learning.models import LessonRead
from app.quizzes.draw import build_draw
from app.quizzes.models import AttemptAnswer, QuizAttempt
from app.school.years import current_school_year
from app.security import group_code
from app.timeutil import utcnow
from tests import factories
from tests.journey_helpers import answers_for
from tests.security.helpers import as_person, double_tap, use_language


class FormFields(HTMLParser):
    """The hidden fields of the form that posts to `action`, as a browser would send them."""

    def __init__(self, action: str, own_page: bool):
        super().__init__(convert_charrefs=True)
        self.action = action
        self.own_page = own_page  # a form without an action posts to its own page
        self.inside = False
        self.found = False
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        ours = attrs.get("action") == self.action or (self.own_page and "action" not in attrs)
        if tag == "form" and ours and not self.found:
            self.inside = self.found = True
        elif tag == "input" and self.inside and attrs.get("type") == "hidden" and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def form_on_page(client, page: str, action: str | None = None) -> dict[str, str]:
    """The hidden fields (CSRF token included) of the form on `page` posting to `action` (the
    page itself when None)."""
    response = client.get(page)
    assert response.status_code == 200, page
    parser = FormFields(action or page, own_page=action is None)
    parser.feed(response.get_data(as_text=True))
    assert parser.found, f"no form posting to {action or page} on {page}"
    return parser.fields


def count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def audited(action: str) -> int:
    return count(AuditEvent, AuditEvent.action == action)


def live_links(user: User) -> int:
    return count(
        PasswordLink,
        PasswordLink.user_id == user.id,
        PasswordLink.used_at.is_(None),
        PasswordLink.expires_at > utcnow(),
    )


@dataclass
class Tap:
    """Who taps, on which page, the form's action, what they typed, and what to count after."""

    person: str | None
    page: Callable
    records: Callable
    action: Callable | None = None
    typed: Callable = lambda w: {}
    prepare: Callable = lambda w: None
    post_to: Callable | None = None  # when the button's page is not where its form posts
    kwargs: dict = field(default_factory=dict)


def _eligible(w):
    factories.make_eligible(w.users["parent"], w.class_a)
    db.session.commit()


def _issued(w):
    _eligible(w)
    w.token, _code = issue_invite(w.users["parent"], w.class_a, utcnow())
    db.session.commit()


def _read_all(w):
    now = utcnow()
    for lesson in w.course.lessons:
        db.session.add(
            LessonRead(
                user_id=w.users["parent"].id,
                course_slug=w.course.slug,
                lesson_slug=lesson.slug,
                first_read_at=now,
                last_read_at=now,
            )
        )
    db.session.commit()


def _open_attempt(w):
    """An open attempt at the first course's quiz."""
    w.attempt = QuizAttempt(
        user_id=w.users["parent"].id,
        course_slug=w.course.slug,
        course_version=w.course.version,
        draw=build_draw(w.course.quiz, set()),
        total=w.course.quiz.draw,
    )
    db.session.add(w.attempt)
    db.session.commit()


def _open_last_attempt(w):
    """Every other course passed, an open attempt at the last one: passing it certifies."""
    from app.content.registry import catalogue

    parent = w.users["parent"]
    now = utcnow()
    *others, last = catalogue().for_audience("parent")
    for course in others:
        db.session.add(
            QuizAttempt(
                user_id=parent.id,
                course_slug=course.slug,
                course_version=course.version,
                draw=[],
                total=0,
                started_at=now - timedelta(minutes=5),
                submitted_at=now - timedelta(minutes=1),
                score=0,
                passed=True,
            )
        )
    w.attempt = QuizAttempt(
        user_id=parent.id,
        course_slug=last.slug,
        course_version=last.version,
        draw=build_draw(last.quiz, set()),
        total=last.quiz.draw,
        started_at=now,
    )
    db.session.add(w.attempt)
    db.session.commit()


def _approval_policy(w):
    w.class_a.invite_policy = InvitePolicy.APPROVAL
    _eligible(w)


def _removed(w):
    from app.invites.services import remove_member

    remove_member(w.users["teacher"], w.class_a, w.users["parent"], utcnow())
    db.session.commit()


def _switched_off(w):
    w.users["teacher_other"].active = False
    db.session.commit()


def _new_phone(w):
    w.new_phone = factories.next_phone()


def _roster_file(w):
    return {"file": (io.BytesIO("姓名,学号\n林一,S-901\n林二,S-902\n".encode()), "roster.csv")}


def _register(w):
    return {
        "join_code": w.class_a.join_code,
        "child_name": "赵小雨",
        "student_number": "",
        "relation": "mother",
        "real_name": "赵敏",
        "phone": w.new_phone,
        "wechat_id": "wx_zhaomin1",
        "password": factories.PASSWORD,
        "privacy_consent": "y",
        "child_consent": "y",
    }


def _link_secret(w):
    w.link_user = w.users["teacher_other"]
    w.link_secret = issue_password_link(w.link_user, LinkPurpose.RESET, None, utcnow())
    db.session.commit()


CASES: dict[str, Tap] = {
    # ---- parents ----
    "register": Tap(
        None,
        page=lambda w: "/register",
        prepare=_new_phone,
        typed=_register,
        records=lambda w: count(User, User.phone == w.new_phone),
    ),
    "add a child": Tap(
        "parent",
        page=lambda w: "/learn/children/add",
        typed=lambda w: {
            "join_code": w.class_b.join_code,
            "child_name": "王小红",
            "relation": "mother",
            "child_consent": "y",
        },
        records=lambda w: count(GuardianLink, GuardianLink.child_name == "王小红"),
    ),
    "mark a lesson read": Tap(
        "parent",
        page=lambda w: f"/learn/{w.course.slug}/{w.lesson.slug}",
        action=lambda w: f"/learn/{w.course.slug}/{w.lesson.slug}/read",
        records=lambda w: count(LessonRead, LessonRead.user_id == w.users["parent"].id),
    ),
    "start a quiz": Tap(
        "parent",
        page=lambda w: f"/learn/{w.course.slug}/quiz",
        action=lambda w: f"/learn/{w.course.slug}/quiz/start",
        prepare=_read_all,
        records=lambda w: count(QuizAttempt, QuizAttempt.user_id == w.users["parent"].id),
    ),
    "submit a quiz": Tap(
        "parent",
        page=lambda w: f"/quiz/{w.attempt.id}",
        prepare=_open_attempt,
        typed=lambda w: answers_for(w.attempt, right=True),
        records=lambda w: count(
            AttemptAnswer, AttemptAnswer.attempt_id == w.attempt.id, AttemptAnswer.position == 0
        ),
    ),
    "pass the last quiz (certificate)": Tap(
        "parent",
        page=lambda w: f"/quiz/{w.attempt.id}",
        prepare=_open_last_attempt,
        typed=lambda w: answers_for(w.attempt, right=True),
        records=lambda w: count(Certificate, Certificate.user_id == w.users["parent"].id),
    ),
    "accept the charter": Tap(
        "parent",
        page=lambda w: f"/classes/{w.class_a.id}/charter",
        action=lambda w: f"/classes/{w.class_a.id}/charter/accept",
        records=lambda w: count(CharterAcceptance, CharterAcceptance.user_id == w.users["parent"].id),
    ),
    "get an invite code": Tap(
        "parent",
        page=lambda w: f"/classes/{w.class_a.id}/invite",
        action=lambda w: f"/classes/{w.class_a.id}/invite",
        prepare=_eligible,
        # A second tap replaces the first code (never shown: its answer was lost): one code works.
        records=lambda w: count(
            InviteToken,
            InviteToken.parent_id == w.users["parent"].id,
            InviteToken.revoked_at.is_(None),
            InviteToken.used_at.is_(None),
        ),
    ),
    "choose a password with a link": Tap(
        None,
        page=lambda w: f"/password/{w.link_secret}",
        prepare=_link_secret,
        typed=lambda w: {"password": "a-new-long-password", "repeat": "a-new-long-password"},
        records=lambda w: count(PasswordLink, PasswordLink.used_at.is_not(None)),
    ),
    # ---- head teachers ----
    "admit with a code": Tap(
        "teacher",
        page=lambda w: f"/classes/{w.class_a.id}",
        action=lambda w: f"/teacher/invites/{w.token.id}/revoke",  # its CSRF token; the verify
        post_to=lambda w: f"/teacher/invites/{w.token.id}/admit",  # page's button posts here
        prepare=_issued,
        records=lambda w: audited("admitted"),
    ),
    "revoke a code": Tap(
        "teacher",
        page=lambda w: f"/classes/{w.class_a.id}",
        action=lambda w: f"/teacher/invites/{w.token.id}/revoke",
        prepare=_issued,
        records=lambda w: audited("invite_revoked"),
    ),
    "confirm a guardian": Tap(
        "teacher",
        page=lambda w: f"/classes/{w.class_a.id}",
        action=lambda w: f"/teacher/approvals/{w.pending_link.id}/approve",
        records=lambda w: audited("link_approved"),
    ),
    "decline a guardian": Tap(
        "teacher",
        page=lambda w: f"/classes/{w.class_a.id}",
        action=lambda w: f"/teacher/approvals/{w.pending_link.id}/reject",
        typed=lambda w: {"reason": "不认识这位家长"},
        records=lambda w: audited("link_rejected"),
    ),
    "allow an invite code": Tap(
        "teacher",
        page=lambda w: f"/classes/{w.class_a.id}",
        action=lambda w: f"/classes/{w.class_a.id}/parents/{w.users['parent'].id}/approve",
        prepare=_approval_policy,
        records=lambda w: audited("invite_approved"),
    ),
    "mark a parent removed": Tap(
        "teacher",
        page=lambda w: f"/classes/{w.class_a.id}",
        action=lambda w: f"/classes/{w.class_a.id}/parents/{w.users['parent'].id}/remove",
        records=lambda w: audited("member_removed"),
    ),
    "readmit a parent": Tap(
        "teacher",
        page=lambda w: f"/classes/{w.class_a.id}",
        action=lambda w: f"/classes/{w.class_a.id}/parents/{w.users['parent'].id}/readmit",
        prepare=_removed,
        records=lambda w: audited("member_readmitted"),
    ),
    "a parent's password link": Tap(
        "teacher",
        page=lambda w: f"/classes/{w.class_a.id}",
        action=lambda w: f"/classes/{w.class_a.id}/parents/{w.users['parent'].id}/reset-link",
        records=lambda w: live_links(w.users["parent"]),
    ),
    "new join code": Tap(
        "teacher",
        page=lambda w: f"/classes/{w.class_a.id}",
        action=lambda w: f"/classes/{w.class_a.id}/join-code/rotate",
        records=lambda w: audited("join_code_rotated"),
    ),
    "edit the charter": Tap(
        "teacher",
        page=lambda w: f"/classes/{w.class_a.id}/charter/edit",
        typed=lambda w: {"body": "1. 不发广告\n2. 晚上安静", "quiet_start": "21:00", "quiet_end": "07:00"},
        records=lambda w: count(Charter, Charter.class_id == w.class_a.id, Charter.version > 1),
    ),
    "import the roster": Tap(
        "teacher",
        page=lambda w: f"/classes/{w.class_a.id}/roster",
        typed=_roster_file,
        records=lambda w: count(RosterStudent, RosterStudent.name == "林一"),
        kwargs={"content_type": "multipart/form-data"},
    ),
    "invite settings": Tap(
        "teacher",
        page=lambda w: f"/classes/{w.class_a.id}/settings",
        typed=lambda w: {"invite_policy": "approval", "invite_valid_hours": "48"},
        records=lambda w: audited("class_settings"),
    ),
    "graduate": Tap(
        "teacher",
        page=lambda w: f"/classes/{w.class_a.id}/graduate",
        typed=lambda w: {"confirm": "y"},
        records=lambda w: audited("graduated"),
    ),
    # ---- school staff ----
    "create a class": Tap(
        "staff",
        page=lambda w: "/school/classes/new",
        typed=lambda w: {
            "grade": "4",
            "name": "四年级3班",
            "school_year": current_school_year(utcnow()),
            "head_teacher_id": "",
        },
        records=lambda w: count(SchoolClass, SchoolClass.name == "四年级3班"),
    ),
    "create a teacher": Tap(
        "staff",
        page=lambda w: "/school/teachers/new",
        prepare=_new_phone,
        typed=lambda w: {"real_name": "孙老师", "phone": w.new_phone},
        records=lambda w: count(User, User.phone == w.new_phone)
        * live_links(db.session.scalars(select(User).where(User.phone == w.new_phone)).one()),
    ),
    "assign a head teacher": Tap(
        "staff",
        page=lambda w: "/school/classes",
        action=lambda w: f"/school/classes/{w.class_a.id}/teacher",
        typed=lambda w: {"teacher_id": str(w.users["teacher_other"].id)},
        records=lambda w: audited("teacher_assigned"),
    ),
    "school settings": Tap(
        "staff",
        page=lambda w: "/school/classes",
        action=lambda w: "/school/settings",
        typed=lambda w: {"require_teacher_certificate": "y"},
        records=lambda w: audited("school_settings"),
    ),
    "roll over": Tap(
        "staff",
        page=lambda w: "/school/rollover",
        records=lambda w: audited("classes_rolled_over"),
    ),
    "switch a teacher off": Tap(
        "staff",
        page=lambda w: "/school/teachers",
        action=lambda w: f"/school/teachers/{w.users['teacher_other'].id}/deactivate",
        records=lambda w: audited("account_deactivated"),
    ),
    "switch a teacher on": Tap(
        "staff",
        page=lambda w: "/school/teachers",
        action=lambda w: f"/school/teachers/{w.users['teacher_other'].id}/reactivate",
        prepare=_switched_off,
        records=lambda w: audited("account_reactivated"),
    ),
    "a teacher's password link": Tap(
        "staff",
        page=lambda w: "/school/teachers",
        action=lambda w: f"/school/teachers/{w.users['teacher_other'].id}/reset-link",
        records=lambda w: live_links(w.users["teacher_other"]),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_double_tap_records_once(client, security_world, case):
    tap = CASES[case]
    w = security_world
    tap.prepare(w)
    if tap.person:
        as_person(client, w.users[tap.person])
    else:
        use_language(client, "en")
    page = tap.page(w)
    action = tap.action(w) if tap.action else None
    data = form_on_page(client, page, action) | tap.typed(w)
    url = tap.post_to(w) if tap.post_to else action or page
    first, second = double_tap(client, url, data, **tap.kwargs)
    assert first.status_code < 400, f"first tap: {first.status_code}"
    assert second.status_code < 500, f"second tap: {second.status_code}"
    assert tap.records(w) == 1


def test_a_stale_new_join_code_tap_keeps_the_current_code_and_says_so(client, security_world):
    w = security_world
    as_person(client, w.users["teacher"])
    rotate = f"/classes/{w.class_a.id}/join-code/rotate"
    data = form_on_page(client, f"/classes/{w.class_a.id}", rotate)
    assert data["replaces"] == w.class_a.join_code
    first, second = double_tap(client, rotate, data, follow_redirects=True)
    db.session.expire_all()
    current = group_code(w.class_a.join_code)
    assert f"The new join code is {current}." in first.get_data(as_text=True)
    assert f"This join code was already replaced. The current one is {current}." in second.get_data(
        as_text=True
    )


def test_the_same_class_created_twice_is_refused_on_the_form(client, security_world):
    as_person(client, security_world.users["staff"])
    data = form_on_page(client, "/school/classes/new") | {
        "grade": "4",
        "name": "四年级3班",
        "school_year": current_school_year(utcnow()),
        "head_teacher_id": "",
    }
    first, second = double_tap(client, "/school/classes/new", data)
    assert first.status_code == 302
    assert second.status_code == 200
    page = second.get_data(as_text=True)
    assert 'class="error"' in page
    assert "Your school already has a class 四年级3班 in this grade and school year." in page
    # Another grade may have a class of that name.
    assert client.post("/school/classes/new", data=data | {"grade": "5"}).status_code == 302


# ---- two taps at the same moment: the second passes the "already there?" check before the first
# has written. Simulated by writing the first tap's row from another connection at that moment.


def _write_elsewhere(table, **values) -> None:
    with db.engine.begin() as other:
        other.execute(table.insert().values(**values))


def test_simultaneous_taps_of_add_a_child_record_once(client, security_world, monkeypatch):
    import app.classes.services as services

    w = security_world
    parent = w.users["parent"]
    original = services.match_roster

    def first_tap_lands_now(school_class, child_name, student_number, phone):
        _write_elsewhere(
            GuardianLink.__table__,
            parent_id=parent.id,
            class_id=school_class.id,
            child_name=child_name,
            relation="mother",
            status="pending",
            created_at=utcnow(),
        )
        return original(school_class, child_name, student_number, phone)

    monkeypatch.setattr(services, "match_roster", first_tap_lands_now)
    as_person(client, parent)
    data = form_on_page(client, "/learn/children/add") | {
        "join_code": w.class_b.join_code,
        "child_name": "王小红",
        "relation": "mother",
        "child_consent": "y",
    }
    response = client.post("/learn/children/add", data=data)
    assert response.status_code == 200
    assert "You have already added this child in this class." in response.get_data(as_text=True)
    assert count(GuardianLink, GuardianLink.child_name == "王小红") == 1


def test_simultaneous_taps_of_accept_the_charter_record_once(client, security_world, monkeypatch):
    import app.classes.services as services
    from app.classes.services import current_charter

    w = security_world
    parent = w.users["parent"]
    charter_id = current_charter(w.class_a.id).id
    original = services.has_accepted

    def first_tap_lands_now(user, charter):
        accepted = original(user, charter)
        _write_elsewhere(
            CharterAcceptance.__table__, user_id=user.id, charter_id=charter_id, accepted_at=utcnow()
        )
        return accepted

    monkeypatch.setattr(services, "has_accepted", first_tap_lands_now)
    as_person(client, parent)
    data = form_on_page(client, f"/classes/{w.class_a.id}/charter", f"/classes/{w.class_a.id}/charter/accept")
    response = client.post(f"/classes/{w.class_a.id}/charter/accept", data=data)
    assert response.status_code == 302
    assert count(CharterAcceptance, CharterAcceptance.user_id == parent.id) == 1


@pytest.mark.parametrize(("action", "event"), [("approve", "invite_approved"), ("remove", "member_removed")])
def test_simultaneous_taps_of_a_teachers_group_button_record_once(
    client, security_world, monkeypatch, action, event
):
    """The parent's membership row is created on the first need: by the first tap, while the
    second is between looking for it and creating it."""
    import app.invites.services as services
    from app.invites.models import GroupMembership

    w = security_world
    _approval_policy(w)
    parent = w.users["parent"]
    original = services.membership
    calls = []

    def first_tap_lands_now(class_id, parent_id):
        row = original(class_id, parent_id)
        if not calls:
            calls.append(1)
            now = utcnow()
            done = {"invite_approved_at": now} if action == "approve" else {"removed_at": now}
            _write_elsewhere(GroupMembership.__table__, class_id=class_id, parent_id=parent_id, **done)
        return row

    monkeypatch.setattr(services, "membership", first_tap_lands_now)
    as_person(client, w.users["teacher"])
    url = f"/classes/{w.class_a.id}/parents/{parent.id}/{action}"
    data = form_on_page(client, f"/classes/{w.class_a.id}", url)
    response = client.post(url, data=data)
    assert response.status_code == 302
    assert count(GroupMembership, GroupMembership.parent_id == parent.id) == 1
    assert audited(event) == 0  # the first tap's own request records its event
