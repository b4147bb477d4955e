"""`flask org ...`: the operator sets up bureaus, schools and their first accounts."""

import re

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.links import find_password_link
from app.auth.models import LinkPurpose, Role, User
from app.extensions import db
from app.orgs.models import Bureau, School
from app.security import verify_password
from app.timeutil import utcnow
from tests.helpers import db_snapshot

LINK = re.compile(r"(https?://\S+)/password/(\S+)")


def org(runner, *args):
    return runner.invoke(args=["org", *map(str, args)])


def test_add_bureau_at_the_top_and_beneath_another(runner):
    top = org(runner, "add-bureau", "示范市教育局")
    assert top.exit_code == 0, top.output
    city = db.session.scalars(select(Bureau)).one()
    assert top.output.strip() == f'bureau {city.id} "示范市教育局" at the top'
    below = org(runner, "add-bureau", "东区教育局", "--parent", city.id)
    district = db.session.scalar(select(Bureau).where(Bureau.name == "东区教育局"))
    assert below.output.strip() == f'bureau {district.id} "东区教育局" under {city.id} "示范市教育局"'
    assert district.parent_id == city.id


def test_add_bureau_tidies_the_name(runner):
    org(runner, "add-bureau", "  东区   教育局 ")
    assert db.session.scalars(select(Bureau.name)).one() == "东区 教育局"


def test_add_school_prints_its_id_and_path(runner, world):
    result = org(runner, "add-school", "东区第二小学", "--bureau", world.district.id)
    assert result.exit_code == 0, result.output
    school = db.session.scalar(select(School).where(School.name == "东区第二小学"))
    assert school.bureau_id == world.district.id and school.timezone == "Asia/Shanghai"
    assert result.output.strip() == (
        f'school {school.id} "东区第二小学" (Asia/Shanghai) under '
        f'{world.city.id} "示范市教育局" > {world.district.id} "东区教育局"'
    )


def test_add_school_keeps_a_valid_time_zone(runner, world):
    org(runner, "add-school", "乌鲁木齐第一小学", "--bureau", world.district.id, "--timezone", "Asia/Urumqi")
    assert (
        db.session.scalar(select(School.timezone).where(School.name == "乌鲁木齐第一小学")) == "Asia/Urumqi"
    )


def test_add_staff_prints_a_welcome_link_that_works(runner, client, world):
    before = utcnow()
    result = org(
        runner, "add-staff", "--school", world.school.id, "--name", "孙主任", "--phone", "139 0000 7777"
    )
    assert result.exit_code == 0, result.output
    staff = db.session.scalar(select(User).where(User.phone == "13900007777"))
    assert (staff.role, staff.real_name, staff.school_id, staff.bureau_id) == (
        Role.STAFF,
        "孙主任",
        world.school.id,
        None,
    )
    assert not verify_password(staff.password_hash, "!")
    assert "in person" in result.output and "valid until" in result.output
    site, secret = LINK.search(result.output).groups()
    assert site == "http://127.0.0.1:5000"
    link = find_password_link(secret, utcnow())
    assert link.user_id == staff.id and link.purpose == LinkPurpose.WELCOME and link.expires_at > before
    assert client.get(f"/password/{secret}").status_code == 200
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.subject_id == staff.id))
    assert event.action == "welcome_link" and event.school_id == world.school.id


def test_add_bureau_user_prints_a_welcome_link_that_works(runner, world):
    result = org(
        runner, "add-bureau-user", "--bureau", world.city.id, "--name", "陈科长", "--phone", "13900008888"
    )
    assert result.exit_code == 0, result.output
    account = db.session.scalar(select(User).where(User.phone == "13900008888"))
    assert (account.role, account.bureau_id, account.school_id) == (Role.BUREAU, world.city.id, None)
    assert f'bureau account {account.id} "陈科长"' in result.output
    assert find_password_link(LINK.search(result.output).group(2), utcnow()).user_id == account.id


def test_the_link_points_at_the_configured_site(app, runner, world):
    app.config["SITE_URL"] = "https://parentpass.example.cn/"
    try:
        result = org(
            runner, "add-staff", "--school", world.school.id, "--name", "孙主任", "--phone", "13900007777"
        )
    finally:
        app.config["SITE_URL"] = "http://127.0.0.1:5000"
    assert "https://parentpass.example.cn/password/" in result.output


def test_list_shows_the_tree_with_schools_and_staff_counts(runner, world):
    result = org(runner, "list")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f'bureau {world.city.id} "示范市教育局": 0 bureau account(s)'
    assert f'  bureau {world.district.id} "东区教育局": 1 bureau account(s)' in lines
    school_line = f'    school {world.school.id} "东区第一小学" (Asia/Shanghai): 1 staff'
    assert school_line in lines
    assert (
        lines.index(school_line)
        == lines.index(f'  bureau {world.district.id} "东区教育局": 1 bureau account(s)') + 1
    )
    assert f'    school {world.other_school.id} "西区第一小学" (Asia/Shanghai): 1 staff' in lines


def test_list_of_an_empty_site_says_how_to_start(runner):
    assert "no bureaus yet" in org(runner, "list").output


REFUSALS = {
    "unknown parent bureau": (
        lambda w: ["add-bureau", "X区教育局", "--parent", 99999],
        "no bureau with id 99999",
    ),
    "empty bureau name": (lambda w: ["add-bureau", "   "], "must not be empty"),
    "long bureau name": (lambda w: ["add-bureau", "局" * 101], "at most 100"),
    "unknown bureau for a school": (
        lambda w: ["add-school", "新学校", "--bureau", 99999],
        "no bureau with id",
    ),
    "bad time zone": (
        lambda w: ["add-school", "新学校", "--bureau", w.district.id, "--timezone", "Asia/Beijing"],
        "unknown time zone",
    ),
    "empty school name": (lambda w: ["add-school", "", "--bureau", w.district.id], "must not be empty"),
    "unknown school": (
        lambda w: ["add-staff", "--school", 99999, "--name", "孙主任", "--phone", "13900007777"],
        "no school with id 99999",
    ),
    "phone in use": (
        lambda w: [
            "add-staff",
            "--school",
            w.school.id,
            "--name",
            "孙主任",
            "--phone",
            w.users["teacher"].phone,
        ],
        "already used",
    ),
    "bad phone": (
        lambda w: ["add-staff", "--school", w.school.id, "--name", "孙主任", "--phone", "1234567"],
        "not an 11-digit mainland mobile number",
    ),
    "empty person name": (
        lambda w: ["add-staff", "--school", w.school.id, "--name", " ", "--phone", "13900007777"],
        "must not be empty",
    ),
    "long person name": (
        lambda w: ["add-staff", "--school", w.school.id, "--name", "名" * 51, "--phone", "13900007777"],
        "at most 50",
    ),
    "unknown bureau for an account": (
        lambda w: ["add-bureau-user", "--bureau", 99999, "--name", "陈科长", "--phone", "13900008888"],
        "no bureau with id 99999",
    ),
    "bureau account phone in use": (
        lambda w: [
            "add-bureau-user",
            "--bureau",
            w.city.id,
            "--name",
            "陈科长",
            "--phone",
            w.users["staff"].phone,
        ],
        "already used",
    ),
    "id out of range": (lambda w: ["add-school", "新学校", "--bureau", 2**40], "not in the range"),
    "missing option": (lambda w: ["add-staff", "--name", "孙主任", "--phone", "13900007777"], "--school"),
}


@pytest.mark.parametrize("case", REFUSALS.values(), ids=REFUSALS.keys())
def test_a_refused_command_says_why_and_writes_nothing(runner, world, case):
    args, message = case
    before = db_snapshot()
    result = org(runner, *args(world))
    assert result.exit_code != 0
    assert message in result.output
    assert db_snapshot() == before


def test_a_refusal_is_one_line(runner, world):
    result = org(runner, "add-school", "新学校", "--bureau", 99999)
    assert result.output.strip().splitlines() == [
        "Error: there is no bureau with id 99999 (see `flask org list`)"
    ]
