"""Which classes and links a person may see. Every class lookup in a view goes through here."""

from __future__ import annotations

from sqlalchemy import Select, false, func, select
from sqlalchemy.orm import contains_eager, joinedload

from app.auth.models import Role, User
from app.classes.models import GuardianLink, LinkStatus, SchoolClass
from app.extensions import db
from app.orgs.models import School
from app.orgs.queries import bureau_subtree_ids


def visible_classes(user: User) -> Select:
    """A query of the classes within the person's reach (parent: their children's classes;
    teacher: classes they head; school staff: their school; bureau: schools beneath it)."""
    query = select(SchoolClass)
    if user.role == Role.PARENT:
        linked = select(GuardianLink.class_id).where(
            GuardianLink.parent_id == user.id, GuardianLink.status != LinkStatus.REJECTED
        )
        return query.where(SchoolClass.id.in_(linked))
    if user.role == Role.TEACHER:
        return query.where(SchoolClass.head_teacher_id == user.id)
    if user.role == Role.STAFF:
        return query.where(SchoolClass.school_id == user.school_id)
    if user.role == Role.BUREAU and user.bureau_id is not None:
        schools = select(School.id).where(School.bureau_id.in_(bureau_subtree_ids(user.bureau_id)))
        return query.where(SchoolClass.school_id.in_(schools))
    return query.where(false())


def visible_class_or_404(user: User, class_id: int) -> SchoolClass:
    """The class if the person may see it; otherwise 404, so its existence is not revealed."""
    return db.first_or_404(visible_classes(user).where(SchoolClass.id == class_id))


def parent_links(user: User) -> list[GuardianLink]:
    """A parent's own guardian links, oldest first, with their classes, schools and head teachers
    (one query: the path page asks about each)."""
    return list(
        db.session.scalars(
            select(GuardianLink)
            .where(GuardianLink.parent_id == user.id)
            .join(GuardianLink.school_class)
            .options(
                contains_eager(GuardianLink.school_class).joinedload(SchoolClass.school),
                contains_eager(GuardianLink.school_class).joinedload(SchoolClass.head_teacher),
            )
            .order_by(GuardianLink.id)
        )
    )


def pending_links_for_teacher(teacher: User) -> Select:
    """Guardian links waiting in the classes this teacher heads, oldest first (a query: the page
    shows them a page at a time)."""
    return (
        select(GuardianLink)
        .join(GuardianLink.school_class)
        .where(SchoolClass.head_teacher_id == teacher.id, GuardianLink.status == LinkStatus.PENDING)
        .options(contains_eager(GuardianLink.school_class), joinedload(GuardianLink.parent))
        .order_by(GuardianLink.created_at, GuardianLink.id)
    )


def pending_counts_by_parent(teacher: User, parent_ids: list[int]) -> dict[int, int]:
    """How many requests each of these accounts has waiting in this teacher's classes."""
    if not parent_ids:
        return {}
    rows = db.session.execute(
        select(GuardianLink.parent_id, func.count())
        .join(GuardianLink.school_class)
        .where(
            SchoolClass.head_teacher_id == teacher.id,
            GuardianLink.status == LinkStatus.PENDING,
            GuardianLink.parent_id.in_(parent_ids),
        )
        .group_by(GuardianLink.parent_id)
    )
    return {parent_id: count for parent_id, count in rows}


def teacher_parent_or_404(teacher: User, parent_id: int) -> User:
    """An account that asked to join (or joined) one of this teacher's classes, or 404."""
    return db.first_or_404(
        select(User)
        .join(GuardianLink, GuardianLink.parent_id == User.id)
        .join(GuardianLink.school_class)
        .where(User.id == parent_id, SchoolClass.head_teacher_id == teacher.id)
        .limit(1)
    )


def teacher_link_or_404(teacher: User, link_id: int) -> GuardianLink:
    """A guardian link in one of this teacher's classes, or 404."""
    return db.first_or_404(
        select(GuardianLink)
        .join(GuardianLink.school_class)
        .where(GuardianLink.id == link_id, SchoolClass.head_teacher_id == teacher.id)
    )


def teacher_class_or_404(teacher: User, class_id: int) -> SchoolClass:
    """A class this person heads, or 404: only a class's own head teacher runs it."""
    return db.first_or_404(
        select(SchoolClass).where(SchoolClass.id == class_id, SchoolClass.head_teacher_id == teacher.id)
    )


def class_parent_or_404(school_class: SchoolClass, parent_id: int) -> User:
    """A parent with an approved guardian link in this class, or 404."""
    return db.first_or_404(
        select(User)
        .join(GuardianLink, GuardianLink.parent_id == User.id)
        .where(
            User.id == parent_id,
            GuardianLink.class_id == school_class.id,
            GuardianLink.status == LinkStatus.APPROVED,
        )
        .limit(1)
    )
