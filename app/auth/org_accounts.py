"""The first accounts of a school or a bureau, made by the site operator (`flask org ...`), and
the organisation tree with its account counts. Above `orgs` (which knows nothing of accounts);
refusals raise orgs' SetupError, the caller commits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from app.auth.forms import MAINLAND_MOBILE
from app.auth.links import find_password_link, issue_password_link
from app.auth.models import LinkPurpose, Role, User
from app.auth.passwords import UNUSABLE_PASSWORD
from app.auth.services import find_user_by_phone
from app.canonical import canonical_phone
from app.extensions import db
from app.orgs.models import Bureau, School
from app.orgs.services import SetupError, bureau_or_error, clean_name, school_or_error

PERSON_NAME_MAX = 50  # users.real_name


def clean_phone(raw: str) -> str:
    """An 11-digit mainland mobile number that no account uses yet."""
    phone = canonical_phone(raw)
    if not MAINLAND_MOBILE.match(phone):
        raise SetupError(f"{raw!r} is not an 11-digit mainland mobile number (e.g. 13800138000)")
    owner = find_user_by_phone(phone)
    if owner is not None:
        raise SetupError(f"phone {phone} is already used by account {owner.id} ({owner.role})")
    return phone


@dataclass(frozen=True)
class NewAccount:
    user: User
    secret: str  # the welcome link's secret, in clear only here
    expires_at: datetime


def add_staff(school_id: int, name: str, phone: str, now: datetime) -> NewAccount:
    """A school's (first) staff account, with a welcome link to choose its password."""
    school = school_or_error(school_id)
    return _add_account(Role.STAFF, name, phone, now, school_id=school.id)


def add_bureau_user(bureau_id: int, name: str, phone: str, now: datetime) -> NewAccount:
    """A bureau's account, with a welcome link to choose its password."""
    bureau = bureau_or_error(bureau_id)
    return _add_account(Role.BUREAU, name, phone, now, bureau_id=bureau.id)


def _add_account(role: Role, name: str, phone: str, now: datetime, **scope: int) -> NewAccount:
    """An account with no usable password until its welcome link is used. Checks come first,
    so a refusal writes nothing."""
    user = User(
        role=role,
        real_name=clean_name(name, "name", PERSON_NAME_MAX),
        phone=clean_phone(phone),
        password_hash=UNUSABLE_PASSWORD,
        active=True,
        created_at=now,
        **scope,
    )
    db.session.add(user)
    db.session.flush()
    secret = issue_password_link(user, LinkPurpose.WELCOME, None, now)
    return NewAccount(user, secret, find_password_link(secret, now).expires_at)


@dataclass
class BureauNode:
    """One bureau of the tree, with its schools, the bureaus beneath it and its account count."""

    bureau: Bureau
    accounts: int
    schools: list[tuple[School, int]] = field(default_factory=list)  # (school, staff accounts)
    children: list[BureauNode] = field(default_factory=list)


def org_tree() -> list[BureauNode]:
    """Every bureau as a tree, top bureaus first, in four queries whatever the size."""
    bureaus = db.session.scalars(select(Bureau).order_by(Bureau.name, Bureau.id)).all()
    schools = db.session.scalars(select(School).order_by(School.name, School.id)).all()
    staff = dict(
        db.session.execute(
            select(User.school_id, func.count()).where(User.role == Role.STAFF).group_by(User.school_id)
        ).all()
    )
    accounts = dict(
        db.session.execute(
            select(User.bureau_id, func.count()).where(User.role == Role.BUREAU).group_by(User.bureau_id)
        ).all()
    )
    nodes = {b.id: BureauNode(b, accounts.get(b.id, 0)) for b in bureaus}
    for school in schools:
        nodes[school.bureau_id].schools.append((school, staff.get(school.id, 0)))
    roots = []
    for bureau in bureaus:
        parent = nodes.get(bureau.parent_id) if bureau.parent_id is not None else None
        (parent.children if parent else roots).append(nodes[bureau.id])
    return roots
