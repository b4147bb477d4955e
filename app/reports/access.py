"""Who may open which report: staff their own school; a bureau its schools and the bureaus
beneath it; a head teacher their classes (school staff and the bureau see a class's figures, never
its parents). Anything outside a person's reach is a 404, so its existence is not revealed."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select

from app.auth.models import Role, User
from app.extensions import db
from app.orgs.models import Bureau, School
from app.reports.queries import subtree


def report_school_or_404(user: User, school_id: int) -> School:
    school = db.session.get(School, school_id)
    if school is None:
        abort(404)
    if user.role == Role.STAFF and user.school_id == school.id:
        return school
    if user.role == Role.BUREAU and user.bureau_id is not None and _under(user.bureau_id, school.bureau_id):
        return school
    abort(404)


def report_bureau_or_404(user: User, bureau_id: int) -> Bureau:
    bureau = db.session.get(Bureau, bureau_id)
    if bureau is None or user.role != Role.BUREAU or user.bureau_id is None:
        abort(404)
    if not _under(user.bureau_id, bureau.id):
        abort(404)
    return bureau


def _under(top_id: int, bureau_id: int) -> bool:
    """Whether `bureau_id` is `top_id` or beneath it."""
    tree = subtree(top_id)
    return db.session.scalar(select(tree.c.id).where(tree.c.id == bureau_id)) is not None


def names_visible(user: User, school_class) -> bool:
    """Only a class's own head teacher sees its parents by name."""
    return user.role == Role.TEACHER and school_class.head_teacher_id == user.id
