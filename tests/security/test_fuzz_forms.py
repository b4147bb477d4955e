"""Property-based fuzzing of every form of the site.

For each form, hypothesis draws a submission in which one field ("the poisoned field") is
certainly wrong by the form's own rules, the other fields are right or garbage, and garbage comes
in every shape: any Unicode text (surrogates aside, which no browser can send), right-to-left
marks, emoji, NUL and other control characters, 100,000-character values, empty values, repeated
fields and unknown extra fields. In the language drawn for the example, the answer must be the
form's own page (or, for a button whose page is another, that page) with a message from our
catalogue in that language, never a server error or a catch-all error page, and the database
must be exactly as before: nothing half-written.

The database is emptied after each test function, not after each example, so every example
takes its own snapshot. `derandomize=True`: CI runs the same examples every time.
"""

from __future__ import annotations

import importlib
import io
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from urllib.parse import quote_plus, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

import app as app_package
from app.auth.forms import MAINLAND_MOBILE, WECHAT_ID
from app.canonical import canonical_phone
from app.classes.forms import parse_clock
from app.extensions import db, limiter
from app.forms import BaseForm, EmptyForm, strip_control_characters, whole_number
from app.quizzes.draw import build_draw
from app.quizzes.models import QuizAttempt
from app.school.years import current_school_year, parse_school_year
from app.security import is_safe_next, normalize_code
from app.timeutil import utcnow
from tests.helpers import csrf_token, db_snapshot, examples, sign_in_as
from tests.security.helpers import error_texts, in_language, use_language

FUZZ = settings(
    deadline=None,
    max_examples=examples(40),
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FEW = settings(FUZZ, max_examples=examples(15))  # forms whose every field is covered in fewer draws
ABSENT = object()  # the field is not sent at all
LANGS = st.sampled_from(["en", "zh_Hans"])

# ---- garbage ----

ANY_CHAR = st.characters(exclude_categories=("Cs",))
ODD = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "\u202eevil\u202c",
        "\u200f\u200e\u061c",
        "\ufeff",
        "\u200b",
        "👨‍👩‍👧‍👦" * 3,
        "🇨🇳",
        "\r\n\t",
        "\x1b[31m\x07\x08",
        "\x7f",
        "' OR 1=1 --",
        "<script>alert(1)</script>",
        "{{7*7}}",
        "%(name)s %s",
        "²",
        "١٣٨٠٠١٣٨٠٠٠",
        "１３８００１３８０００",
        "𝕏" * 40,
        "../../../../etc/passwd",
        "\u3000",
        "null",
        "NaN",
        "-1",
        "99999999999999999999999",
    ]
)
HUGE = st.builds(lambda ch: ch * 100_000, st.sampled_from(["x", "é", "中", "😀", "\x00", " ", "<", "1"]))
GARBAGE = st.one_of(st.text(ANY_CHAR, max_size=60), st.text(ANY_CHAR, max_size=60), ODD, ODD, HUGE)
# GARBAGE without HUGE: every value under 100 characters, where a long value is not wanted. (A
# length filter on GARBAGE throws away each HUGE draw, and hypothesis gives up the whole example
# after three: 70 % of the examples of a many-field form were drawn for nothing.)
SHORT_GARBAGE = st.one_of(st.text(ANY_CHAR, max_size=60), st.text(ANY_CHAR, max_size=60), ODD, ODD)
BLANK = st.sampled_from(["", " ", "\x00", " \t\r\n ", "\u3000", "\x00\x01\x7f", "\u2003\u00a0"])
UNKNOWN_KEY = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=12)


def clean(value: str) -> str:
    return strip_control_characters(value)


def too_long(limit: int):
    """Longer than `limit` even after control characters and outer spaces are dropped."""
    visible = st.characters(exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp"))
    return st.one_of(
        st.text(visible, min_size=limit + 1, max_size=limit + 40), HUGE.filter(lambda v: v.strip())
    )


def blank_or_long(limit: int):
    return st.one_of(BLANK, too_long(limit))


def garbage_where(predicate: Callable[[str], bool]):
    """Garbage that the form's rule refuses (`predicate` says the cleaned value is wrong)."""
    return GARBAGE.filter(lambda v: predicate(clean(v)))


def phone_wrong(v: str) -> bool:
    return not MAINLAND_MOBILE.match(canonical_phone(v))


def wechat_wrong(v: str) -> bool:
    v = v.strip()
    return not (WECHAT_ID.match(v) or MAINLAND_MOBILE.match(v))


def not_one_of(*allowed: str):
    return GARBAGE.filter(lambda v: clean(v) not in allowed)


def fresh_phone():
    return st.integers(10_000_000, 99_999_999).map(lambda n: f"186{n}")


# ---- the forms ----


@dataclass
class FormSpec:
    """One form: where it posts, who posts it, its fields and what counts as its own answer.

    `valid` gives each field's right values; `poison` the fields that can be made certainly
    wrong, with their wrong values. `page` is markup only the form's own page has; `follow`: the
    form answers with a redirect to its page (a button on a list) rather than the page itself.
    """

    url: Callable
    person: str | None
    valid: Callable
    poison: Callable
    page: tuple[str, ...]
    status: int = 200
    follow: bool = False
    multipart: bool = False
    fuzz: settings = FUZZ
    may_change: Callable | None = None  # (world, data, before, after) for a valid outcome


def _registration_valid(w):
    return {
        "join_code": st.just(w.class_a.join_code),
        "child_name": st.sampled_from(["李小龙", "Anna Müller", "王 小 明"]),
        "student_number": st.sampled_from(["", "20260199"]),
        "relation": st.sampled_from(["mother", "father", "other"]),
        "real_name": st.sampled_from(["李雷", "Zoë O'Brien"]),
        "phone": fresh_phone(),
        "wechat_id": st.sampled_from(["wx_abcdef", "Li-Lei_2026"]),
        "password": st.just("correct-horse-battery"),
        "privacy_consent": st.just("y"),
        "child_consent": st.just("y"),
    }


def _child_poison(w):
    codes = {w.class_a.join_code, w.class_b.join_code}
    return {
        "join_code": st.one_of(BLANK, garbage_where(lambda v: normalize_code(v) not in codes)),
        "child_name": blank_or_long(30),
        "student_number": too_long(32),
        "relation": not_one_of("mother", "father", "grandfather_paternal", "other").filter(
            lambda v: not v.startswith("grand")
        ),
        "child_consent": st.sampled_from(["", "false", ABSENT]),
    }


def _registration_poison(w):
    return _child_poison(w) | {
        "real_name": blank_or_long(30),
        "phone": st.one_of(BLANK, garbage_where(phone_wrong)),
        "wechat_id": st.one_of(BLANK, garbage_where(wechat_wrong)),
        "password": st.one_of(BLANK, st.text(ANY_CHAR, max_size=7), too_long(200)),
        "privacy_consent": st.sampled_from(["", "false", ABSENT]),
    }


def _password_poison(w):
    return {
        "password": st.one_of(BLANK, st.text(ANY_CHAR, max_size=7)),
        "repeat": st.one_of(BLANK, st.just(ABSENT), st.just("different-from-the-password")),
    }


def _charter_poison(w):
    return {
        "body": st.one_of(BLANK, HUGE.filter(lambda v: v.strip()), too_long(8000)),
        "quiet_start": st.one_of(BLANK, garbage_where(lambda v: parse_clock(v) is None)),
        "quiet_end": st.sampled_from(["21:30", "２１：３０", " 21:30 "]),  # the same as the start
    }


def _class_poison(w):
    return {
        "grade": not_one_of(*[str(g) for g in range(1, 13)]),
        "name": blank_or_long(30),
        "school_year": st.one_of(BLANK, garbage_where(lambda v: parse_school_year(v) is None)),
        "head_teacher_id": not_one_of("", *[str(u.id) for u in w.users.values()]),
    }


def _settings_change(w, data, before, after):
    """Any value of the box is a real answer: ticked unless empty or "false"."""
    raw = data.getlist("require_teacher_certificate")
    ticked = bool(raw) and raw[0] not in ("", "false")
    db.session.expire_all()
    assert w.school.require_teacher_certificate is ticked
    for table in ("schools", "audit_events"):
        before.pop(table), after.pop(table)


def _rotation(w, data, before, after):
    """An empty `replaces` is a page from before the field existed: the code is replaced."""
    raw = data.getlist("replaces")
    if raw and clean(raw[0]):
        return
    for table in [t for t in before if t in ("classes", "audit_events") or t.endswith("_rollups")]:
        before.pop(table), after.pop(table)


SPECS: dict[str, FormSpec] = {
    "sign in": FormSpec(
        # No account ever matches garbage: every sign-in below is refused.
        url=lambda w: "/login",
        person=None,
        valid=lambda w: {"phone": GARBAGE, "password": GARBAGE},
        poison=lambda w: {"phone": st.one_of(BLANK, too_long(20), GARBAGE), "password": GARBAGE},
        page=('name="phone"', 'name="password"'),
    ),
    "register": FormSpec(
        url=lambda w: "/register",
        person=None,
        valid=_registration_valid,
        poison=_registration_poison,
        page=('name="join_code"', 'name="real_name"', 'name="wechat_id"'),
    ),
    "add a child": FormSpec(
        url=lambda w: "/learn/children/add",
        person="parent",
        valid=lambda w: {
            k: v
            for k, v in _registration_valid(w).items()
            if k in ("child_name", "student_number", "relation", "child_consent")
        }
        | {"join_code": st.just(w.class_b.join_code)},
        poison=_child_poison,
        page=('name="join_code"', 'name="child_name"'),
    ),
    "choose a password with a link": FormSpec(
        url=lambda w: f"/password/{w.secret}",
        person=None,
        valid=lambda w: {
            "password": st.just("a-long-new-password"),
            "repeat": st.just("a-long-new-password"),
        },
        poison=_password_poison,
        page=('name="password"', 'name="repeat"'),
    ),
    "change password": FormSpec(
        url=lambda w: "/account/password",
        person="parent",
        valid=lambda w: {
            "password": st.just("a-long-new-password"),
            "repeat": st.just("a-long-new-password"),
        },
        poison=lambda w: _password_poison(w) | {"current": st.one_of(BLANK, GARBAGE)},
        page=('name="current"', 'name="repeat"'),
    ),
    "delete the account": FormSpec(
        url=lambda w: "/account/delete",
        person="parent",
        valid=lambda w: {},
        poison=lambda w: {"password": st.one_of(BLANK, GARBAGE, too_long(200))},
        page=('name="password"',),
        fuzz=FEW,
    ),
    "roster import": FormSpec(
        url=lambda w: f"/classes/{w.class_a.id}/roster",
        person="teacher",
        valid=lambda w: {},
        poison=lambda w: {
            "file": st.one_of(
                st.just(ABSENT),
                GARBAGE,  # a text value where a file belongs
                st.binary(max_size=3000).map(lambda b: (io.BytesIO(b + b"\x00\x01"), "roster.csv")),
                st.lists(st.lists(SHORT_GARBAGE, max_size=4), max_size=30).map(
                    lambda rows: (
                        io.BytesIO(
                            "\n".join([",".join(r) for r in rows] + ["王五,,,too,many,columns"]).encode(
                                "utf-8", "surrogatepass"
                            )
                        ),
                        "roster.csv",
                    )
                ),
            )
        },
        page=('name="file"', 'enctype="multipart/form-data"'),
        multipart=True,
    ),
    "charter": FormSpec(
        url=lambda w: f"/classes/{w.class_a.id}/charter/edit",
        person="teacher",
        valid=lambda w: {
            "body": st.sampled_from(["1. 不发广告", "**Be kind**"]),
            "quiet_start": st.just("21:30"),
            "quiet_end": st.just("07:00"),
            "action": st.sampled_from(["save", "preview", ABSENT]),
        },
        poison=_charter_poison,
        page=('name="body"', 'name="quiet_start"'),
    ),
    "invite settings": FormSpec(
        url=lambda w: f"/classes/{w.class_a.id}/settings",
        person="teacher",
        valid=lambda w: {
            "invite_policy": st.sampled_from(["automatic", "approval"]),
            "invite_valid_hours": st.integers(1, 336).map(str),
        },
        poison=lambda w: {
            "invite_policy": not_one_of("automatic", "approval"),
            "invite_valid_hours": garbage_where(lambda v: not whole_number(v, 336)),
        },
        page=('name="invite_policy"', 'name="invite_valid_hours"'),
    ),
    "graduate": FormSpec(
        url=lambda w: f"/classes/{w.class_a.id}/graduate",
        person="teacher",
        valid=lambda w: {},
        poison=lambda w: {"confirm": st.sampled_from(["", "false", ABSENT])},
        page=('name="confirm"',),
        fuzz=FEW,
    ),
    "decline a guardian": FormSpec(
        url=lambda w: f"/teacher/approvals/{w.pending_link.id}/reject",
        person="teacher",
        valid=lambda w: {
            "next": st.one_of(
                st.just(ABSENT),
                st.just("/teacher/approvals"),
                GARBAGE.filter(lambda v: not is_safe_next(v)),
            )
        },
        poison=lambda w: {"reason": too_long(200)},
        page=("/teacher/approvals/",),  # the approvals page (or the class page) with its buttons
        status=302,
        follow=True,
    ),
    "verify a code": FormSpec(
        url=lambda w: "/teacher/verify",
        person="teacher",
        valid=lambda w: {},
        poison=lambda w: {"code": st.one_of(BLANK, GARBAGE, too_long(40))},
        page=('name="code"',),
    ),
    "check a certificate": FormSpec(
        url=lambda w: "/certificates/check",
        person="staff",
        valid=lambda w: {},
        poison=lambda w: {"number": st.one_of(BLANK, GARBAGE, too_long(40))},
        page=('name="number"',),
    ),
    "new class": FormSpec(
        url=lambda w: "/school/classes/new",
        person="staff",
        valid=lambda w: {
            "grade": st.integers(1, 12).map(str),
            "name": st.just("五年级1班"),
            "school_year": st.just(current_school_year(utcnow())),
            "head_teacher_id": st.sampled_from(["", str(w.users["teacher"].id)]),
        },
        poison=_class_poison,
        page=('name="grade"', 'name="school_year"'),
    ),
    "assign a head teacher": FormSpec(
        url=lambda w: f"/school/classes/{w.class_a.id}/teacher",
        person="staff",
        valid=lambda w: {},
        poison=lambda w: {
            "teacher_id": not_one_of("", *[str(u.id) for u in w.users.values()]),
        },
        page=('name="teacher_id"', 'action="/school/settings"'),
        status=302,
        follow=True,
    ),
    "new teacher": FormSpec(
        url=lambda w: "/school/teachers/new",
        person="staff",
        valid=lambda w: {"real_name": st.just("孙老师"), "phone": fresh_phone()},
        poison=lambda w: {
            "real_name": blank_or_long(30),
            "phone": st.one_of(BLANK, garbage_where(phone_wrong)),
        },
        page=('name="real_name"', 'name="phone"'),
    ),
}

# Forms whose answer to garbage is a real answer, not a refusal.
LENIENT: dict[str, FormSpec] = {
    "school settings": FormSpec(
        url=lambda w: "/school/settings",
        person="staff",
        valid=lambda w: {"require_teacher_certificate": GARBAGE},
        poison=lambda w: {},
        page=('action="/school/settings"',),
        status=302,
        follow=True,
        may_change=_settings_change,
    ),
    "new join code": FormSpec(
        url=lambda w: f"/classes/{w.class_a.id}/join-code/rotate",
        person="teacher",
        valid=lambda w: {"replaces": GARBAGE.filter(lambda v: clean(v) != w.class_a.join_code)},
        poison=lambda w: {},
        page=('name="replaces"',),
        status=302,
        follow=True,
        may_change=_rotation,
    ),
}

FORM_OF = {
    "LoginForm": "sign in",
    "RegistrationForm": "register",
    "ChildForm": "add a child",
    "SetPasswordForm": "choose a password with a link",
    "ChangePasswordForm": "change password",
    "DeleteAccountForm": "delete the account",
    "RosterImportForm": "roster import",
    "CharterForm": "charter",
    "InviteSettingsForm": "invite settings",
    "GraduateForm": "graduate",
    "DeclineForm": "decline a guardian",
    "VerifyForm": "verify a code",
    "CheckForm": "check a certificate",
    "ClassForm": "new class",
    "AssignTeacherForm": "assign a head teacher",
    "TeacherForm": "new teacher",
    "SettingsForm": "school settings",
    "JoinCodeForm": "new join code",
    "RolloverForm": "roll over",  # test_rollover_year_garbage below
}


def _every_form_class() -> set[str]:
    for module in pkgutil.walk_packages(app_package.__path__, "app."):
        importlib.import_module(module.name)
    found, todo = set(), [BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.add(sub)
            todo.append(sub)
    return {cls.__name__ for cls in found if cls is not EmptyForm}


def test_every_form_of_the_app_is_fuzzed():
    """A new form without a fuzz spec fails here, as a new route without a row fails the access
    matrix."""
    assert _every_form_class() == set(FORM_OF)
    assert set(FORM_OF.values()) - {"roll over"} == set(SPECS) | set(LENIENT)


# ---- the property ----


@pytest.fixture
def fuzz_world(security_world):
    """The security world plus an open quiz attempt of the parent."""
    w = security_world
    w.attempt = QuizAttempt(
        user_id=w.users["parent"].id,
        course_slug=w.course.slug,
        course_version=w.course.version,
        draw=build_draw(w.course.quiz, set()),
        total=w.course.quiz.draw,
    )
    db.session.add(w.attempt)
    db.session.commit()
    return w


def _values(data, strategy, label):
    """One value, or the field repeated (the first value counts, the rest are garbage)."""
    first = data.draw(strategy, label=label)
    if first is ABSENT:
        return []
    more = data.draw(st.lists(SHORT_GARBAGE, max_size=2), label=label + " repeated")
    return [first, *more]


def draw_submission(data, spec: FormSpec, w) -> tuple[MultiDict, str | None]:
    valid, poison = spec.valid(w), spec.poison(w)
    poisoned = data.draw(st.sampled_from(sorted(poison)), label="poisoned field") if poison else None
    form = MultiDict()
    for name in sorted(set(valid) | set(poison)):
        if name == poisoned:
            strategy = poison[name]
        else:
            strategy = valid.get(name, GARBAGE)
            if data.draw(st.booleans(), label=f"garbage in {name}"):
                strategy = st.one_of(GARBAGE, st.just(ABSENT))
        for value in _values(data, strategy, name):
            form.add(name, value)
    known = set(valid) | set(poison) | {"csrf_token"}
    extras = data.draw(
        st.dictionaries(UNKNOWN_KEY.filter(lambda k: k not in known), GARBAGE, max_size=3), label="extras"
    )
    for name, value in extras.items():
        form.add(name, value)
    return form, poisoned


def _body_size(form: MultiDict) -> int:
    pairs = [(k, v if isinstance(v, str) else "x" * 4000) for k, v in form.items(multi=True)]
    return len(form_body(MultiDict(pairs)))


def _answer_page(client, response, spec: FormSpec) -> str:
    """The page the person ends up on: the answer itself, or where its redirect leads."""
    if spec.follow:
        location = response.headers["Location"]
        assert is_safe_next(location) or urlsplit(location).netloc == "localhost", location
        page = client.get(location)
        assert page.status_code == 200
        return page.get_data(as_text=True)
    return response.get_data(as_text=True)


FORM_TYPE = "application/x-www-form-urlencoded"
_SAFE = "!$'()*,/:;?@"  # what Werkzeug's test client leaves unquoted (werkzeug.urls._urlencode)


@lru_cache(maxsize=4096)
def _quoted(value: str) -> str:
    """Quoting is a Python loop over every byte, and the 100,000-character values come from eight
    strings: each is quoted once for the whole run instead of once per field per example."""
    return quote_plus(value, safe=_SAFE)


def form_body(form: MultiDict) -> str:
    """The body Werkzeug's test client would send for `form` (the same bytes), built faster."""
    return "&".join(f"{_quoted(str(k))}={_quoted(str(v))}" for k, v in form.items(multi=True))


def check_submission(client, w, spec: FormSpec, form: MultiDict, lang: str) -> None:
    limiter.reset()
    if spec.person:
        sign_in_as(client, w.users[spec.person])
    use_language(client, lang)
    form.setlist("csrf_token", [csrf_token(client)])
    before = db_snapshot()
    if spec.multipart:
        response = client.post(spec.url(w), data=form, content_type="multipart/form-data")
    else:
        response = client.post(spec.url(w), data=form_body(form), content_type=FORM_TYPE)
    assert response.status_code < 500
    after = db_snapshot()
    if response.status_code == 413:  # the body is over MAX_CONTENT_LENGTH: refused before the form
        assert _body_size(form) > client.application.config["MAX_CONTENT_LENGTH"]
        assert after == before
        return
    assert response.status_code == spec.status, response.get_data(as_text=True)[:2000]
    html = _answer_page(client, response, spec)
    for marker in spec.page:
        assert marker in html, f"not the form's own page: {marker!r} missing"
    errors = error_texts(html)
    if spec.may_change is None:
        assert errors, "no error message on the page"
    wrong = [e for e in errors if not in_language(e, lang)]
    assert not wrong, f"messages not from the {lang} catalogue: {wrong}"
    if spec.may_change is not None:
        spec.may_change(w, form, before, after)
    if spec.url(w) == "/teacher/verify":  # every check of a code is audited: nothing else moves
        logged = set(after.pop("audit_events")) - set(before.pop("audit_events"))
        assert all("'invite_checked'" in row for row in logged)
    assert after == before, "the database changed"


def _fuzz_test(spec_name: str, spec: FormSpec):
    @spec.fuzz
    @given(data=st.data(), lang=LANGS)
    def test(client, fuzz_world, data, lang):
        form, _poisoned = draw_submission(data, spec, fuzz_world)
        check_submission(client, fuzz_world, spec, form, lang)

    test.__name__ = "test_fuzz_" + re.sub(r"\W+", "_", spec_name)
    test.__doc__ = f"Garbage in the form “{spec_name}”: its own page, a message, nothing saved."
    return test


for _name, _spec in {**SPECS, **LENIENT}.items():
    _test = _fuzz_test(_name, _spec)
    globals()[_test.__name__] = _test
del _name, _spec, _test


def test_the_fast_form_body_is_the_one_werkzeug_sends():
    """`form_body` stands in for the test client's own encoding: the same bytes, garbage and all."""
    from werkzeug.urls import _urlencode

    form = MultiDict([("name", "中" * 300), ("name", "a&b=c+d %"), ("\x00k", "\u202e😀"), ("e", "")])
    assert form_body(form) == _urlencode(form)


# ---- forms read by hand, not by WTForms ----


@FUZZ
@given(data=st.data(), lang=LANGS)
def test_fuzz_quiz_answers(client, fuzz_world, data, lang):
    """Answers that are not the attempt's choice tokens are refused (400) on the quiz page."""
    w = fuzz_world
    form = MultiDict()
    for position in range(w.attempt.total + 1):
        for value in _values(data, st.one_of(GARBAGE, st.just(ABSENT)), f"q{position}"):
            form.add(f"q{position}", value)
    for name, value in data.draw(st.dictionaries(UNKNOWN_KEY, GARBAGE, max_size=3), label="extras").items():
        if name != "csrf_token":
            form.add(name, value)
    spec = FormSpec(lambda w: f"/quiz/{w.attempt.id}", "parent", dict, dict, ('name="q0"',), status=400)
    check_submission(client, w, spec, form, lang)


@FUZZ
@given(data=st.data())
def test_fuzz_language_and_display_switches(client, fuzz_world, data):
    """Whatever is posted, the switches answer with a redirect to a page of this site."""
    url = data.draw(st.sampled_from(["/language", "/display"]))
    form = MultiDict()
    for name in ("lang", "elder", "next"):
        for value in _values(data, st.one_of(GARBAGE, st.just(ABSENT)), name):
            form.add(name, value)
    form.setlist("csrf_token", [csrf_token(client)])
    before = db_snapshot()
    response = client.post(url, data=form)
    if response.status_code == 413:
        return
    assert response.status_code == 302
    location = response.headers["Location"]
    assert is_safe_next(location) or location == "/"
    assert db_snapshot() == before


@FEW
@given(from_year=GARBAGE)
def test_fuzz_rollover_year(client, fuzz_world, from_year):
    """The roll-over button carries the year its page showed (a hidden field): any other year
    moves nothing, and the answer is the roll-over page."""
    w = fuzz_world
    sign_in_as(client, w.users["staff"])
    use_language(client, "en")
    before = db_snapshot()
    response = client.post(
        "/school/rollover",
        data={"from_year": from_year, "csrf_token": csrf_token(client)},
        follow_redirects=True,
    )
    assert response.status_code in (200, 413)
    if response.status_code == 200:
        html = response.get_data(as_text=True)
        assert 'name="from_year"' in html or "Nothing was moved" in html
    assert db_snapshot() == before


# ---- the report filters: a GET form ----

REPORT_PAGES = [
    ("staff", "/reports/schools/{school}"),
    ("staff", "/reports/schools/{school}/classes.csv"),
    ("bureau", "/reports/bureaus/{district}"),
    ("teacher", "/reports/classes/{class_a}"),
    ("teacher", "/reports/classes/{class_a}/funnel.csv"),
]
EDGE_DAYS = ["0001-01-01", "0001-01-08", "9999-12-31", "9999-12-27", "1999-12-31", "2100-01-04"]
DAYS = st.one_of(st.sampled_from(EDGE_DAYS), st.dates().map(date.isoformat), SHORT_GARBAGE)
WARNING = re.compile(r'<p class="banner banner-warning">(.*?)</p>', re.DOTALL)


@FUZZ
@given(data=st.data(), lang=LANGS)
def test_fuzz_report_filters(client, fuzz_world, data, lang):
    """Any grade, dates from year 1 to 9999, sort, direction and page: the report (or its CSV),
    with a note in the person's language for what was not understood."""
    w = fuzz_world
    person, url = data.draw(st.sampled_from(REPORT_PAGES), label="report")
    query = MultiDict()
    params = {
        "grade": st.one_of(st.integers(-3, 15).map(str), GARBAGE),
        "from": DAYS,
        "to": DAYS,
        "sort": st.one_of(st.sampled_from(["name", "size", "rate"]), GARBAGE),
        "dir": st.one_of(st.just("desc"), GARBAGE),
        "page": st.one_of(st.integers(-1, 10**12).map(str), GARBAGE),
    }
    for name, strategy in params.items():
        for value in _values(data, st.one_of(strategy, st.just(ABSENT)), name):
            query.add(name, value[:2000])
    sign_in_as(client, w.users[person])
    use_language(client, lang)
    before = db_snapshot()
    target = url.format(school=w.school.id, district=w.district.id, class_a=w.class_a.id)
    response = client.get(target, query_string=query)
    assert response.status_code == 200
    if not target.endswith(".csv"):
        html = response.get_data(as_text=True)
        assert 'class="report-table"' in html
        notes = [" ".join(n.split()) for n in WARNING.findall(html)]
        assert all(in_language(n, lang) for n in notes), notes
    assert db_snapshot() == before


@pytest.mark.parametrize("query", [{"to": d} for d in EDGE_DAYS] + [{"from": d, "to": d} for d in EDGE_DAYS])
@pytest.mark.parametrize(("person", "url"), REPORT_PAGES)
def test_report_dates_at_the_ends_of_the_calendar(client, world, person, url, query):
    """`?to=0001-01-01` or `?to=9999-12-31` once overflowed `date` (a 500); such a day is now
    not understood, with the note saying how dates look."""
    sign_in_as(client, world.users[person])
    use_language(client, "en")
    target = url.format(school=world.school.id, district=world.district.id, class_a=world.class_a.id)
    response = client.get(target, query_string=query)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    if "report-filters" in html and query["to"] in ("0001-01-01", "9999-12-31"):
        assert "A date was not understood; dates look like 2026-09-01." in html
