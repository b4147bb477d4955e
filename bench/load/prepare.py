"""Signed-in people and open quizzes for the load benchmarks, written to a JSON plan.

    DATABASE_URL=... SECRET_KEY=... TOKEN_KEYS=... .venv/bin/python bench/load/prepare.py \
        --parents 400 --teachers 40 --staff 20 --out /tmp/plan.json

Run it with the same settings as the server under test (the cookies are signed with SECRET_KEY,
the session tokens hashed with TOKEN_KEYS). It picks people of the synthetic city
(bench/generate_city.py), starts a real session for each (a `user_sessions` row, as a sign-in
does), makes the signed session cookie and a CSRF token the way the site's own pages would, opens
one fresh quiz attempt per parent (so every timed submission is a real first submission, graded
and recorded), and gives each teacher a made-up code to check (a real one admits only once).
Nothing here is timed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from flask import g, session  # noqa: E402
from flask_login import login_user  # noqa: E402
from flask_wtf.csrf import generate_csrf  # noqa: E402
from sqlalchemy import delete, select  # noqa: E402

from app import create_app  # noqa: E402
from app.auth.models import Role, User  # noqa: E402
from app.auth.sessions import start_session  # noqa: E402
from app.classes.models import GuardianLink, LinkStatus, SchoolClass  # noqa: E402
from app.content.registry import catalogue  # noqa: E402
from app.extensions import db  # noqa: E402
from app.quizzes.draw import build_draw  # noqa: E402
from app.quizzes.models import QuizAttempt  # noqa: E402
from app.timeutil import utcnow  # noqa: E402

COURSE = "etiquette"
LESSON = "/learn/etiquette/why-rules"


def fresh_csrf() -> str:
    """A CSRF token for this person's session. Flask-WTF caches the token in `g`, which lives in
    the app context that every person here shares: drop the last person's first."""
    g.pop("csrf_token", None)
    return generate_csrf()


def signed_in(app, user: User, now) -> dict:
    """The cookie a browser would hold after signing in (as app/auth/signin.py makes it, for a
    client at 127.0.0.1 without a User-Agent, as the load generators are), and a CSRF token."""
    start_session(user, now)
    with app.test_request_context("/", environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        session.permanent = True
        login_user(user)
        csrf = fresh_csrf()
        cookie = app.session_interface.get_signing_serializer(app).dumps(dict(session))
    return {"cookie": f"{app.config['SESSION_COOKIE_NAME']}={cookie}", "csrf": csrf, "user": user.id}


def anonymous(app) -> dict:
    """A browser that has opened the sign-in page: its cookie and the form's CSRF token."""
    with app.test_request_context("/login"):
        csrf = fresh_csrf()
        cookie = app.session_interface.get_signing_serializer(app).dumps(dict(session))
    return {"anonymous_cookie": f"{app.config['SESSION_COOKIE_NAME']}={cookie}", "anonymous_csrf": csrf}


def answers(attempt: QuizAttempt, right: bool) -> dict[str, list[str]]:
    quiz = catalogue().courses[attempt.course_slug].quiz
    chosen = {}
    for position, item in enumerate(attempt.draw):
        correct = quiz.question(item["q"]).correct_keys
        tokens = [t for t, key in item["choices"] if (key in correct) == right]
        chosen[f"q{position}"] = tokens if right else tokens[:1]
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--parents", type=int, default=400)
    parser.add_argument("--teachers", type=int, default=40)
    parser.add_argument("--staff", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)  # noqa: S311  (seeded: the same plan every time)
    app = create_app()
    now = utcnow()
    plan: dict = {"lesson": LESSON, "parents": [], "teachers": [], "staff": []}
    with app.app_context():
        course = catalogue().courses[COURSE]
        parents = (
            db.session.scalars(
                select(User)
                .join(GuardianLink, GuardianLink.parent_id == User.id)
                .where(User.role == Role.PARENT, GuardianLink.status == LinkStatus.APPROVED)
                .order_by(User.id)
                .limit(args.parents * 4)
            )
            .unique()
            .all()
        )
        for user in rng.sample(parents, min(args.parents, len(parents))):
            db.session.execute(
                delete(QuizAttempt).where(
                    QuizAttempt.user_id == user.id,
                    QuizAttempt.course_slug == COURSE,
                    QuizAttempt.submitted_at.is_(None),
                )
            )
            attempt = QuizAttempt(
                user_id=user.id,
                course_slug=COURSE,
                course_version=course.version,
                draw=build_draw(course.quiz, set(), rng),
                started_at=now,
                total=course.quiz.draw,
            )
            db.session.add(attempt)
            db.session.flush()
            person = signed_in(app, user, now)
            person.update(attempt=attempt.id, answers=answers(attempt, right=rng.random() < 0.6))
            person.update(phone=user.phone, **anonymous(app))
            plan["parents"].append(person)
        classes = db.session.scalars(
            select(SchoolClass).where(SchoolClass.head_teacher_id.is_not(None)).order_by(SchoolClass.id)
        ).all()
        for school_class in rng.sample(classes, min(args.teachers, len(classes))):
            person = signed_in(app, school_class.head_teacher, now)
            # A made-up code of the right shape: the check does all its work (limits, lookup under
            # every key, audit row) and answers "unknown"; real codes are admitted only once.
            person["code"] = "".join(rng.choice("0123456789ABCDEFGHJKMNPQRSTVWXYZ") for _ in range(10))
            plan["teachers"].append(person)
        staff = db.session.scalars(select(User).where(User.role == Role.STAFF).order_by(User.id)).all()
        for user in rng.sample(staff, min(args.staff, len(staff))):
            person = signed_in(app, user, now)
            person["report"] = f"/reports/schools/{user.school_id}"
            plan["staff"].append(person)
        db.session.commit()
    args.out.write_text(json.dumps(plan))
    counts = ", ".join(f"{len(plan[kind])} {kind}" for kind in ("parents", "teachers", "staff"))
    print(f"{counts} → {args.out}")


if __name__ == "__main__":
    main()
