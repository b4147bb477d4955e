"""Sign-in and password forms, and the phone and password rules registration shares. Every
message is in the translation catalogue."""

import re

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from app.auth.passwords import too_easy
from app.canonical import canonical_phone
from app.forms import BaseForm, max_length

MAINLAND_MOBILE = re.compile(r"^1[3-9]\d{9}$")
WECHAT_ID = re.compile(r"^[A-Za-z][-_A-Za-z0-9]{5,19}$")
PASSWORD_MIN = 8


def validate_mainland_phone(form, field) -> None:
    field.data = canonical_phone(field.data)
    if not MAINLAND_MOBILE.match(field.data):
        raise ValidationError(_l("Please enter an 11-digit mainland mobile number, e.g. 13800138000."))


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
