"""Writing an imported roster: updating students already on it rather than adding them twice,
all or nothing. The rows come from app/classes/roster_csv.py; the caller commits.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.audit.services import Action, record
from app.auth.models import User
from app.classes.models import RosterStudent, SchoolClass
from app.classes.roster_csv import RosterRow
from app.classes.roster_text import RosterError
from app.extensions import db


@dataclass(frozen=True)
class ImportReport:
    added: int
    updated: int
    unchanged: int

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated)


class RosterConflict(Exception):
    """The file does not fit the roster as it stands (e.g. a name that is there twice)."""

    def __init__(self, errors: list[RosterError]):
        super().__init__(errors)
        self.errors = errors


def _match(
    roster: list[RosterStudent], rows: list[RosterRow]
) -> list[tuple[RosterRow, RosterStudent | None]]:
    """Pair each row with the student it updates (None: a new student). By student number when
    the row has one; otherwise, or when that number is not on the roster yet, by a name that only
    one fitting student has. Raises RosterConflict listing every row that cannot be placed."""
    by_number: dict[str, RosterStudent] = {}
    by_name: dict[str, list[RosterStudent]] = defaultdict(list)
    for student in roster:
        if student.student_number:
            by_number.setdefault(student.student_number, student)
        by_name[student.name].append(student)
    plan, errors, taken = [], [], {}
    for row in rows:
        student = by_number.get(row.student_number) if row.student_number else None
        if student is None:
            fitting = [s for s in by_name[row.name] if not (row.student_number and s.student_number)]
            if len(fitting) > 1:
                msg = _l(
                    "Line %(line)d: the roster already has more than one %(name)s. Add the student "
                    "number to say which one this is.",
                    line=row.line,
                    name=row.name,
                )
                errors.append(RosterError(row.line, msg))
                continue
            student = fitting[0] if fitting else None
        if student is not None and student.id in taken:
            msg = _l(
                "Line %(line)d is the same student on the roster as line %(other)d.",
                line=row.line,
                other=taken[student.id],
            )
            errors.append(RosterError(row.line, msg))
            continue
        if student is not None:
            taken[student.id] = row.line
        plan.append((row, student))
    if errors:
        raise RosterConflict(errors)
    return plan


def roster_size(school_class: SchoolClass) -> int:
    """How many students the class roster holds."""
    return db.session.scalar(
        select(func.count()).select_from(RosterStudent).where(RosterStudent.class_id == school_class.id)
    )


def apply_roster(
    school_class: SchoolClass, rows: list[RosterRow], actor: User, now: datetime
) -> ImportReport:
    """Add new students and update known ones, all or nothing. An empty cell keeps what the roster
    holds; students missing from the file stay (parents may already be linked to them)."""
    roster = list(
        db.session.scalars(
            select(RosterStudent).where(RosterStudent.class_id == school_class.id).order_by(RosterStudent.id)
        )
    )
    added = updated = unchanged = 0
    for row, student in _match(roster, rows):
        if student is None:
            db.session.add(
                RosterStudent(
                    class_id=school_class.id,
                    name=row.name,
                    student_number=row.student_number,
                    guardian_phone=row.guardian_phone,
                )
            )
            added += 1
            continue
        changes = {
            "name": row.name,
            "student_number": row.student_number,
            "guardian_phone": row.guardian_phone,
        }
        changes = {key: value for key, value in changes.items() if value and getattr(student, key) != value}
        for key, value in changes.items():
            setattr(student, key, value)
        updated += bool(changes)
        unchanged += not changes
    report = ImportReport(added, updated, unchanged)
    if report.changed:
        record(
            Action.ROSTER_IMPORTED,
            actor,
            now,
            school_class=school_class,
            added=added,
            updated=updated,
            unchanged=unchanged,
        )
    db.session.flush()
    return report
