"""Sign-in and registration forms. Every message is in the translation catalogue."""

import re

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from app.auth.passwords import too_easy
from app.canonical import canonical_phone
from app.classes.models import Relation
from app.classes.services import find_class_by_join_code
from app.forms import BaseForm, ChoiceField, max_length

MAINLAND_MOBILE = re.compile(r"^1[3-9]\d{9}$")
WECHAT_ID = re.compile(r"^[A-Za-z][-_A-Za-z0-9]{5,19}$")
PASSWORD_MIN = 8


def validate_mainland_phone(form, field) -> None:
    field.data = canonical_phone(field.data)
    if not MAINLAND_MOBILE.match(field.data):
        raise ValidationError(_l("Please enter an 11-digit mainland mobile number, e.g. 13800138000."))


def relation_choices():
    return [
        (Relation.MOTHER, _l("Mother")),
        (Relation.FATHER, _l("Father")),
        (Relation.GRANDFATHER_PATERNAL, _l("Grandfather (father's side)")),
        (Relation.GRANDMOTHER_PATERNAL, _l("Grandmother (father's side)")),
        (Relation.GRANDFATHER_MATERNAL, _l("Grandfather (mother's side)")),
        (Relation.GRANDMOTHER_MATERNAL, _l("Grandmother (mother's side)")),
        (Relation.OTHER, _l("Other guardian")),
    ]


def relation_label(value: str) -> str:
    """How a stored relation reads in the current language."""
    return str(dict(relation_choices()).get(value, value))


def not_easy_to_guess(form, field) -> None:
    """Refuse the passwords attackers try first, and the person's own mobile number (the form's
    phone field, or `form.account_phone` where the account is known already)."""
    phone_field = getattr(form, "phone", None)
    phone = (
        canonical_phone(phone_field.data) if phone_field is not None else getattr(form, "account_phone", None)
    )
    if field.data and too_easy(field.data, phone):
        raise ValidationError(
            _l(
                "This password is one of the first that people who break into accounts try. "
                "Please choose another: a few words you can remember are hard to guess."
            )
        )


def new_password_field(label) -> PasswordField:
    """A password someone chooses: at least PASSWORD_MIN characters and not easy to guess; no
    rules about digits or symbols, and pasting (from a password manager) is welcome."""
    return PasswordField(
        label,
        validators=[
            DataRequired(_l("Please choose a password.")),
            Length(min=PASSWORD_MIN, max=200, message=_l("The password needs at least 8 characters.")),
            not_easy_to_guess,
        ],
    )


class LoginForm(BaseForm):
    phone = StringField(
        _l("Mobile number"),
        validators=[DataRequired(_l("Please enter your mobile number.")), max_length(20)],
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Please enter your password.")), max_length(200)],
    )


class ChildForm(BaseForm):
    """The child part, shared by registration and by adding another child later."""

    join_code = StringField(
        _l("Class join code"),
        validators=[
            DataRequired(_l("Please enter the join code your child's teacher gave you.")),
            max_length(20),
        ],
    )
    child_name = StringField(
        _l("Child's full name"),
        validators=[DataRequired(_l("Please enter your child's full name.")), max_length(30)],
    )
    student_number = StringField(
        _l("Student number (if you know it)"), validators=[Optional(), max_length(32)]
    )
    relation = ChoiceField(_l("You are the child's"), choices=relation_choices)
    # PIPL art. 28, 29, 31: a child under 14's information needs the guardian's separate consent.
    child_consent = BooleanField(
        _l(
            "As the child's guardian, I agree separately to ParentPass processing my child's name "
            "and student number (sensitive information of a child under 14)."
        ),
        validators=[
            DataRequired(
                _l(
                    "Please tick this box to agree, as the guardian, to the use of your child's name "
                    "and student number. Without it we cannot link you to the class."
                )
            )
        ],
    )

    def validate_join_code(self, field) -> None:
        self.school_class = find_class_by_join_code(field.data or "")
        if self.school_class is None:
            raise ValidationError(
                _l("We could not find a class with this join code. Please check it with the teacher.")
            )
        if self.school_class.graduated:
            raise ValidationError(_l("This class has graduated and no longer takes new parents."))

    def validate_child_name(self, field) -> None:
        field.data = " ".join((field.data or "").split())
        if not field.data:
            raise ValidationError(_l("Please enter your child's full name."))


class RegistrationForm(ChildForm):
    real_name = StringField(
        _l("Your real name"),
        validators=[DataRequired(_l("Please enter your real name.")), max_length(30)],
    )
    phone = StringField(
        _l("Mobile number (you sign in with it)"),
        validators=[DataRequired(_l("Please enter your mobile number.")), validate_mainland_phone],
    )
    password = new_password_field(_l("Password (at least 8 characters)"))
    wechat_id = StringField(
        _l("Your WeChat ID (微信号)"),
        validators=[DataRequired(_l("Please enter your WeChat ID.")), max_length(20)],
    )
    privacy_consent = BooleanField(
        _l("I have read the privacy notice and agree to the processing of my information as it describes."),
        validators=[
            DataRequired(
                _l(
                    "Please tick this box to agree to the privacy notice. "
                    "Without it we cannot create your account."
                )
            )
        ],
    )

    def validate_real_name(self, field) -> None:
        field.data = " ".join((field.data or "").split())
        if not field.data:
            raise ValidationError(_l("Please enter your real name."))

    def validate_wechat_id(self, field) -> None:
        field.data = (field.data or "").strip()
        if not (WECHAT_ID.match(field.data) or MAINLAND_MOBILE.match(field.data)):
            raise ValidationError(
                _l(
                    "A WeChat ID has 6–20 letters, digits, - or _, and starts with a letter. "
                    "You can find it in WeChat under Me."
                )
            )


class SetPasswordForm(BaseForm):
    """The new password, typed twice: the link stands in for the old one."""

    account_phone: str | None = None  # the account's phone, which the password must not be

    password = new_password_field(_l("New password (at least 8 characters)"))
    repeat = PasswordField(
        _l("The same password again"),
        validators=[
            DataRequired(_l("Please type the password a second time.")),
            EqualTo("password", message=_l("The two passwords are not the same. Please type them again.")),
        ],
    )


class ChangePasswordForm(SetPasswordForm):
    """A signed-in person changes their password: the current one first, so that a phone left
    unlocked is not enough to take the account over."""

    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Please enter your current password.")), max_length(200)],
    )
