"""Script in anything a person can type is shown as text, on every page that shows it.

Each payload goes in through the site's own forms, as people would type it: a teacher's and a
class's name (school staff), a parent's and a child's name and a student number (registration and
adding a child), roster cells (CSV import), the charter's Markdown and quiet hours, a reason for
declining a guardian. Then every page that shows those values is fetched as each person who sees
it, and parsed: no element may carry an `on*` attribute, no `<script>` may exist but our own
`/assets/` files, no link may be `javascript:`; the payload itself must be there, escaped.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.certificates.models import Certificate
from app.classes.models import GuardianLink, SchoolClass
from app.extensions import db
from app.school.years import current_school_year
from app.timeutil import utcnow
from tests import factories
from tests.helpers import post
from tests.security.helpers import as_person, assert_clean_page, escaped, use_language

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg onload=alert(1)>",
    "{{7*7}}",
    "</textarea><script>x</script>",
    "'><a href=javascript:alert(1)>",
    "%(name)s %s {0} {{config}}",
]
IDS = ["script", "img-onerror", "svg-onload", "template", "textarea", "js-link", "format"]

CODE_ON_PAGE = re.compile(r'class="invite-code code"[^>]*>([0-9A-Z-]+)<')
LINK_ON_PAGE = re.compile(r'id="password-link"[^>]*value="([^"]+)"')


def page_of(client, url: str, where: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, f"{where}: GET {url} → {response.status_code}"
    html = response.get_data(as_text=True)
    assert_clean_page(html, f"{where} {url}")
    return html


def assert_shown_escaped(html: str, payload: str, where: str) -> None:
    """The payload is on the page, as text: escaped, never raw (`{{7*7}}` never became 49)."""
    assert escaped(payload) in html, f"{where}: the value is not shown (or was evaluated)"
    if escaped(payload) != payload:
        assert payload not in html, f"{where}: the value is on the page unescaped"


def strings_in(value):
    """Every string inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def roster_csv(*rows: tuple[str, str, str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _markdown(payload: str) -> str:
    return "\n\n".join(
        [
            f"## {payload}",
            f"[{payload}](javascript:alert(1)) and [two](  JaVaScRiPt:alert(2))",
            "[three](data:text/html,x) and [four](vbscript:x)",
            "<script>alert('md')</script>",
            '<img src=x onerror="alert(3)">',
            "<a href=\"javascript:alert(4)\" onclick='alert(5)'>raw</a>",
            f"{payload} · {{quiet_hours}}",
            "</textarea><svg onload=alert(6)>",
        ]
    )


def _create_teacher_and_class(client, world, payload: str) -> tuple[User, SchoolClass]:
    """School staff type the payload as a teacher's name and a class's name."""
    as_person(client, world.users["staff"])
    phone = factories.next_phone()
    response = post(client, "/school/teachers/new", {"real_name": payload, "phone": phone})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert_clean_page(html, "welcome link page")
    assert_shown_escaped(html, payload, "welcome link page")
    teacher = db.session.scalars(select(User).where(User.phone == phone)).one()
    response = post(
        client,
        "/school/classes/new",
        {
            "grade": "3",
            "name": payload,
            "school_year": current_school_year(utcnow()),
            "head_teacher_id": str(teacher.id),
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert_shown_escaped(response.get_data(as_text=True), payload, "classes page after creating")
    school_class = db.session.scalars(
        select(SchoolClass).where(SchoolClass.head_teacher_id == teacher.id)
    ).one()
    assert school_class.name == payload.strip()
    return teacher, school_class


def _register_parent(app, school_class, world, payload: str) -> User:
    """A parent registers with the payload as their own name, their child's name and the student
    number, then adds a child of the same name in class A."""
    client = app.test_client()
    use_language(client, "en")
    phone = factories.next_phone()
    data = {
        "join_code": school_class.join_code,
        "child_name": payload,
        "student_number": payload,
        "relation": "mother",
        "real_name": payload,
        "phone": phone,
        "wechat_id": "wx_payload_1",
        "password": factories.PASSWORD,
        "privacy_consent": "y",
        "child_consent": "y",
    }
    response = post(client, "/register", data, follow_redirects=True)
    assert response.status_code == 200
    assert_shown_escaped(response.get_data(as_text=True), payload, "path after registering")
    parent = db.session.scalars(select(User).where(User.phone == phone)).one()
    response = post(
        client,
        "/learn/children/add",
        {
            "join_code": world.class_a.join_code,
            "child_name": payload,
            "student_number": payload,
            "relation": "father",
            "child_consent": "y",
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    return parent


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_typed_values_are_shown_escaped_on_every_page(app, client, world, payload):
    teacher, school_class = _create_teacher_and_class(client, world, payload)
    staff_client = client
    parent = _register_parent(app, school_class, world, payload)

    # The new class's head teacher: roster, charter, approval.
    teacher_client = app.test_client()
    as_person(teacher_client, teacher)
    response = post(
        teacher_client,
        f"/classes/{school_class.id}/roster",
        {"file": (io.BytesIO(roster_csv((payload, "", ""), ("李华", "S-1", ""))), "roster.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert response.status_code == 200 and "Roster imported" in response.get_data(as_text=True)
    response = post(
        teacher_client,
        f"/classes/{school_class.id}/charter/edit",
        {"body": _markdown(payload), "quiet_start": "21:30", "quiet_end": "07:00", "action": "preview"},
    )
    preview = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="preview-h"' in preview
    assert_clean_page(preview, "charter preview")
    response = post(
        teacher_client,
        f"/classes/{school_class.id}/charter/edit",
        {"body": _markdown(payload), "quiet_start": "21:30", "quiet_end": "07:00", "action": "save"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    charter_page = response.get_data(as_text=True)
    assert_clean_page(charter_page, "charter after saving")
    link = db.session.scalars(
        select(GuardianLink).where(
            GuardianLink.parent_id == parent.id, GuardianLink.class_id == school_class.id
        )
    ).one()
    response = post(
        teacher_client,
        f"/teacher/approvals/{link.id}/approve",
        {"next": f"/classes/{school_class.id}"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert_clean_page(html, "flash after approving")
    assert_shown_escaped(html, payload, "flash after approving")

    # Class A's head teacher declines the parent's other request, with the payload as the reason.
    a_teacher_client = app.test_client()
    as_person(a_teacher_client, world.users["teacher"])
    page_of(a_teacher_client, "/teacher/approvals", "class A approvals")
    other = db.session.scalars(
        select(GuardianLink).where(
            GuardianLink.parent_id == parent.id, GuardianLink.class_id == world.class_a.id
        )
    ).one()
    response = post(
        a_teacher_client,
        f"/teacher/approvals/{other.id}/reject",
        {"reason": payload, "next": f"/classes/{world.class_a.id}"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert_clean_page(response.get_data(as_text=True), "flash after declining")

    # The parent becomes eligible, accepts the charter and gets an invite code.
    factories.certify(parent)
    db.session.commit()
    parent_client = app.test_client()
    as_person(parent_client, parent)
    post(parent_client, f"/classes/{school_class.id}/charter/accept")
    response = post(parent_client, f"/classes/{school_class.id}/invite")
    assert response.status_code == 200
    code_page = response.get_data(as_text=True)
    assert_clean_page(code_page, "invite code page")
    assert_shown_escaped(code_page, payload, "invite code page")  # the class and the teacher
    code = CODE_ON_PAGE.search(code_page).group(1)

    # The teacher checks the code (valid), admits, checks it again (used, "admitted by").
    response = post(teacher_client, "/teacher/verify", {"code": code})
    verify_page = response.get_data(as_text=True)
    assert response.status_code == 200 and "verdict-valid" in verify_page
    assert_clean_page(verify_page, "verify: valid")
    assert_shown_escaped(verify_page, payload, "verify: valid")
    token_id = re.search(r"/teacher/invites/(\d+)/admit", verify_page).group(1)
    response = post(teacher_client, f"/teacher/invites/{token_id}/admit", follow_redirects=True)
    assert response.status_code == 200
    assert_clean_page(response.get_data(as_text=True), "flash after admitting")
    response = post(teacher_client, "/teacher/verify", {"code": code})
    assert "verdict-used" in response.get_data(as_text=True)
    assert_shown_escaped(response.get_data(as_text=True), payload, "verify: used")
    assert_clean_page(response.get_data(as_text=True), "verify: used")

    # A password link for the parent (class page) and for the teacher (school staff).
    response = post(teacher_client, f"/classes/{school_class.id}/parents/{parent.id}/reset-link")
    assert_shown_escaped(response.get_data(as_text=True), payload, "parent's reset link page")
    assert_clean_page(response.get_data(as_text=True), "parent's reset link page")
    response = post(staff_client, f"/school/teachers/{teacher.id}/reset-link")
    link_page = response.get_data(as_text=True)
    assert_clean_page(link_page, "teacher's reset link page")
    secret = LINK_ON_PAGE.search(link_page).group(1).rsplit("/", 1)[-1]
    anonymous = app.test_client()
    use_language(anonymous, "en")
    assert_shown_escaped(page_of(anonymous, f"/password/{secret}", "set password"), payload, "set password")

    number = db.session.scalars(select(Certificate.number).where(Certificate.user_id == parent.id)).one()
    response = post(staff_client, "/certificates/check", {"number": number})
    assert response.status_code == 200
    assert_clean_page(response.get_data(as_text=True), "certificate check")

    c = school_class.id
    shows_payload = {
        parent_client: [
            "/learn",
            f"/classes/{c}/charter",
            f"/classes/{c}/invite",
            "/certificate",
            "/account",
        ],
        teacher_client: [
            "/home",
            f"/classes/{c}",
            f"/classes/{c}/settings",
            f"/classes/{c}/charter",
            f"/classes/{c}/charter/edit",
            f"/classes/{c}/roster",
            f"/classes/{c}/poster",
            f"/classes/{c}/graduate",
            "/audit",
            f"/audit?class_id={c}",
            f"/reports/classes/{c}",
        ],
        a_teacher_client: ["/audit"],
        staff_client: [
            "/school/classes",
            "/school/teachers",
            "/audit",
            f"/audit?class_id={c}",
            f"/reports/schools/{world.school.id}",
            f"/reports/classes/{c}",
            f"/classes/{c}/charter",
        ],
    }
    bureau_client = app.test_client()
    as_person(bureau_client, world.users["bureau"])
    shows_payload[bureau_client] = [f"/reports/classes/{c}"]
    for who, urls in shows_payload.items():
        for url in urls:
            html = page_of(who, url, "page")
            assert_shown_escaped(html, payload, url)
    for who, url in [
        (teacher_client, "/teacher/approvals"),
        (teacher_client, "/teacher/verify"),
        (staff_client, "/school/rollover"),
        (staff_client, "/school/classes/new"),
        (parent_client, "/learn/children/add"),
        (a_teacher_client, f"/classes/{world.class_a.id}"),  # the declined request is gone
        (bureau_client, f"/reports/bureaus/{world.district.id}"),  # schools, not classes
    ]:
        page_of(who, url, "page")

    # The parent's data export is JSON, never a page a browser would render.
    export = parent_client.get("/account/data.json")
    assert export.status_code == 200 and export.mimetype == "application/json"
    assert export.headers.get("X-Content-Type-Options") == "nosniff"
    assert payload in set(strings_in(export.get_json()))  # as typed: JSON is data, not HTML

    # The charter: the teacher's Markdown is rendered without any of its script; the raw text is
    # in the editor's textarea, where `</textarea>` cannot close it early.
    page_of(parent_client, f"/classes/{c}/charter", "charter")  # no javascript:/data: link survived
    editor = page_of(teacher_client, f"/classes/{c}/charter/edit", "charter editor")
    assert editor.count("</textarea>") == 1
    # The parent's other class shows the reason the teacher gave, as text.
    assert_shown_escaped(page_of(parent_client, "/learn", "path"), payload, "decline reason on the path")


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_report_csv_holds_the_value_as_plain_cells(app, client, world, payload):
    teacher, school_class = _create_teacher_and_class(client, world, payload)
    _register_parent(app, school_class, world, payload)
    bureau = app.test_client()
    as_person(bureau, world.users["bureau"])
    teacher_client = app.test_client()
    as_person(teacher_client, teacher)
    exports = [
        (client, f"/reports/schools/{world.school.id}/classes.csv"),
        (bureau, f"/reports/bureaus/{world.district.id}/all-classes.csv"),
        (teacher_client, f"/reports/classes/{school_class.id}/funnel.csv"),
    ]
    for who, url in exports:
        response = who.get(url)
        assert response.status_code == 200, url
        assert response.mimetype == "text/csv"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert re.fullmatch(
            r'attachment; filename="[A-Za-z0-9._-]+"(; filename\*=UTF-8\'\'[%A-Za-z0-9._~-]+)?', disposition
        )
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
        if url.endswith("classes.csv"):  # the class's own row names it, as a plain text cell
            cell = "'" + payload if payload.startswith(("=", "+", "-", "@")) else payload
            assert cell in [row[0] for row in rows], url


@pytest.mark.parametrize(
    "name",
    ['=HYPERLINK("//evil.example")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0"],
)
def test_a_class_name_like_a_formula_is_defused_in_the_csv(client, world, name):
    as_person(client, world.users["staff"])
    response = post(
        client,
        "/school/classes/new",
        {
            "grade": "3",
            "name": name[:30],
            "school_year": current_school_year(utcnow()),
            "head_teacher_id": "",
        },
    )
    assert response.status_code == 302
    body = client.get(f"/reports/schools/{world.school.id}/classes.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    names = [row[0] for row in rows[1:]]
    assert "'" + name[:30] in names
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row[:1])


# ---- values sent back to the form that refused them ----


REFUSED_FORMS = {
    # url (from the world), person, the fields that get the payload, fixed fields
    "login": (lambda w: "/login", None, ["phone", "password"], {}),
    "register": (
        lambda w: "/register",
        None,
        ["join_code", "child_name", "student_number", "real_name", "phone", "wechat_id", "password"],
        {"relation": "mother"},
    ),
    "register, wechat id only": (
        lambda w: "/register",
        None,
        ["wechat_id"],
        {"join_code": "ZZZZZZZZ", "child_name": "王小明", "real_name": "王芳", "phone": "13912345678"},
    ),
    "add a child": (
        lambda w: "/learn/children/add",
        "parent",
        ["join_code", "child_name", "student_number"],
        {"relation": "mother"},
    ),
    "new class": (lambda w: "/school/classes/new", "staff", ["name", "school_year", "grade"], {}),
    "new teacher": (lambda w: "/school/teachers/new", "staff", ["real_name", "phone"], {}),
    "charter hours": (
        lambda w: f"/classes/{w.class_a.id}/charter/edit",
        "teacher",
        ["quiet_start", "quiet_end", "body"],
        {},
    ),
    "charter text too long": (
        lambda w: f"/classes/{w.class_a.id}/charter/edit",
        "teacher",
        ["quiet_start"],
        {"body": "</textarea><script>alert(1)</script>" * 300},
    ),
    "invite settings": (
        lambda w: f"/classes/{w.class_a.id}/settings",
        "teacher",
        ["invite_policy", "invite_valid_hours"],
        {},
    ),
    "verify": (lambda w: "/teacher/verify", "teacher", ["code"], {}),
    "certificate check": (lambda w: "/certificates/check", "staff", ["number"], {}),
    "set password": (lambda w: f"/password/{w.secret}", None, ["password", "repeat"], {"repeat": "x"}),
    "roll-over year": (lambda w: "/school/rollover", "staff", ["from_year"], {}),
    "delete the account": (lambda w: "/account/delete", "parent", ["password"], {}),
    "change password": (lambda w: "/account/password", "parent", ["current", "password", "repeat"], {}),
    "decline reason too long": (
        lambda w: f"/teacher/approvals/{w.pending_link.id}/reject",
        "teacher",
        ["reason"],
        {"next": "/teacher/approvals"},
    ),
}


ECHOED = {
    "login",
    "register",
    "register, wechat id only",
    "add a child",
    "new class",
    "new teacher",
    "charter hours",
    "invite settings",
    "certificate check",
}


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
@pytest.mark.parametrize("form", sorted(REFUSED_FORMS))
def test_a_refused_value_comes_back_escaped(client, security_world, form, payload):
    url_of, person, fields, fixed = REFUSED_FORMS[form]
    if person:
        as_person(client, security_world.users[person])
    else:
        use_language(client, "en")
    data = dict.fromkeys(fields, payload) | fixed
    if form == "decline reason too long":
        data["reason"] = payload * 40  # over the 200 characters a reason may have
    response = post(client, url_of(security_world), data, follow_redirects=True)
    assert response.status_code == 200, form
    html = response.get_data(as_text=True)
    assert_clean_page(html, form)
    if form in ECHOED:  # the refused value is back in its box, for the person to correct
        assert_shown_escaped(html, payload, form)
    elif escaped(payload) != payload:
        assert payload not in html


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_roster_cells_are_quoted_back_escaped(client, world, payload):
    as_person(client, world.users["teacher"])
    content = roster_csv((payload, payload, payload), ("李华", "S-1", payload), (payload, "", "", "x"))
    response = post(
        client,
        f"/classes/{world.class_a.id}/roster",
        {"file": (io.BytesIO(content), "roster.csv")},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "roster-errors" in html
    assert_clean_page(html, "roster errors")
    if escaped(payload) != payload:
        assert payload[:20] not in html  # values are quoted back cut to 20 characters


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
@pytest.mark.parametrize("url", ["/login", "/register", "/learn", "/school/classes", "/reports/classes/{a}"])
def test_the_address_is_not_reflected_as_markup(client, world, url, payload):
    """The language and elder-mode switches carry the page's address back in a hidden field."""
    person = {"/learn": "parent", "/school/classes": "staff", "/reports/classes/{a}": "teacher"}.get(url)
    if person:
        as_person(client, world.users[person])
    target = url.format(a=world.class_a.id)
    response = client.get(target, query_string={"next": payload, payload: payload})
    assert response.status_code == 200
    assert_clean_page(response.get_data(as_text=True), target)


def test_the_checker_finds_live_markup():
    """The HTML checker itself: each of these would run in a browser."""
    from tests.security.helpers import live_markup

    assert live_markup('<p onclick="x">') and live_markup("<svg><g onload=x></g></svg>")
    assert live_markup("<script>alert(1)</script>") and live_markup('<script src="//evil"></script>')
    assert live_markup('<a href=" JaVaScRiPt:alert(1)">') and live_markup("<img src=x>")
    assert not live_markup('<script src="/assets/js/1-verify.js" defer></script><p>&lt;script&gt;</p>')


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_values_no_form_checks_are_shown_escaped_too(app, client, world, payload):
    """School and bureau names come from the command line (`flask org add-school`), and a WeChat
    ID saved before today's format check could hold anything: the pages escape them all the same."""
    from app.invites.services import issue_invite

    world.school.name = payload
    world.district.name = payload
    parent = world.users["parent"]
    parent.wechat_id = payload[:20]  # the column holds 20 characters (PostgreSQL enforces it)
    factories.make_eligible(parent, world.class_a)
    _token, code = issue_invite(parent, world.class_a, utcnow())
    db.session.commit()
    teacher = app.test_client()
    as_person(teacher, world.users["teacher"])
    response = post(teacher, "/teacher/verify", {"code": code})
    assert_clean_page(response.get_data(as_text=True), "verify")
    assert_shown_escaped(response.get_data(as_text=True), payload[:20], "verify: the WeChat ID")
    class_page = page_of(teacher, f"/classes/{world.class_a.id}", "teacher")
    assert_shown_escaped(class_page, payload[:20], "the class page: the WeChat ID")
    poster = f"/classes/{world.class_a.id}/poster"
    assert_shown_escaped(page_of(teacher, poster, "teacher"), payload, "the poster: the school's name")
    as_person(client, world.users["bureau"])
    for url in (f"/reports/bureaus/{world.district.id}", f"/reports/schools/{world.school.id}"):
        assert_shown_escaped(page_of(client, url, "bureau"), payload, url)
    response = client.get(f"/reports/schools/{world.school.id}/classes.csv")
    assert response.status_code == 200
    assert re.fullmatch(
        r'attachment; filename="[A-Za-z0-9._-]+"(; filename\*=UTF-8\'\'[%A-Za-z0-9._~-]+)?',
        response.headers["Content-Disposition"],
    )
