"""Forms of the school staff's area. The lists of teachers to choose from are set per request by
the view (`teacher_choices`), so a select only ever offers the staff member's own school."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import DataRequired, ValidationError

from app.auth.forms import validate_mainland_phone
from app.auth.models import User
from app.classes.services import clean_name
from app.forms import BaseForm, ChoiceField, max_length
from app.school.years import TOP_GRADE, parse_school_year
from app.security import mask_phone


def grade_choices():
    return [(str(grade), _l("Grade %(num)d", num=grade)) for grade in range(1, TOP_GRADE + 1)]


def teacher_choices(teachers: list[User]) -> list[tuple[str, str]]:
    """`("", not assigned)` and one option per teacher; the masked phone tells two 王老师 apart."""
    return [("", str(_l("Not assigned")))] + [
        (str(t.id), f"{t.real_name} ({mask_phone(t.phone)})") for t in teachers
    ]


def chosen_id(value: str | None) -> int | None:
    """The id behind a teacher select (already checked against its choices), or None."""
    return int(value) if value else None


class ClassForm(BaseForm):
    grade = ChoiceField(_l("Grade"), choices=grade_choices)
    name = StringField(
        _l("Class name, e.g. 三年级2班"),
        validators=[DataRequired(_l("Please enter the class name.")), max_length(30)],
    )
    school_year = StringField(
        _l("School year, e.g. 2026-2027"),
        validators=[DataRequired(_l("Please enter the school year.")), max_length(20)],
    )
    head_teacher_id = ChoiceField(_l("Head teacher (you can choose later)"), choices=[])

    def validate_name(self, field) -> None:
        field.data = clean_name(field.data or "")
        if not field.data:
            raise ValidationError(_l("Please enter the class name."))

    def validate_school_year(self, field) -> None:
        year = parse_school_year(field.data or "")
        if year is None:
            raise ValidationError(_l("Please write the school year as two years in a row, e.g. 2026-2027."))
        field.data = year


class AssignTeacherForm(BaseForm):
    teacher_id = ChoiceField(_l("Head teacher"), choices=[])


class TeacherForm(BaseForm):
    real_name = StringField(
        _l("The teacher's real name"),
        validators=[DataRequired(_l("Please enter the teacher's real name.")), max_length(30)],
    )
    phone = StringField(
        _l("The teacher's mobile number (they sign in with it)"),
        validators=[DataRequired(_l("Please enter the teacher's mobile number.")), validate_mainland_phone],
    )

    def validate_real_name(self, field) -> None:
        field.data = clean_name(field.data or "")
        if not field.data:
            raise ValidationError(_l("Please enter the teacher's real name."))


class RolloverForm(BaseForm):
    """The year shown on the page travels with the button: a second tap finds nothing left to move."""

    from_year = HiddenField(validators=[max_length(20)])


class SettingsForm(BaseForm):
    require_teacher_certificate = BooleanField(
        _l("Teachers must hold the group-owner certificate before their classes' invites are issued")
    )
