"""Forms shared by every area."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, ValidationError

from app.canonical import single_line, without_bidi_controls

_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r") | {0x7F: None}


def strip_control_characters(value):
    """Typed text never holds control characters; pasted ones (a NUL, say) are dropped here so
    they never reach the database, where PostgreSQL would refuse them."""
    return value.translate(_CONTROL) if isinstance(value, str) else value


def clean_single_line(value):
    """One-line text (names, numbers, codes) keeps no control or format character: no zero-width
    space hiding inside a name, no bidirectional override making it read as another."""
    return single_line(value) if isinstance(value, str) else value


def clean_multi_line(value):
    """Multi-line text keeps its line breaks and emoji joiners, but no other control character
    and no bidirectional override or isolate."""
    return without_bidi_controls(strip_control_characters(value)) if isinstance(value, str) else value


def _text_filter(field_class):
    """Passwords are compared as typed (only control characters go, as they always have: a
    changed rule would lock out a password set under the old one), and so are hidden fields (the
    site wrote them: garbage in one must stay garbage, and be refused, not cleaned into a match)."""
    if issubclass(field_class, PasswordField | HiddenField):
        return strip_control_characters
    if issubclass(field_class, TextAreaField):
        return clean_multi_line
    if issubclass(field_class, StringField):
        return clean_single_line
    return strip_control_characters


class BaseForm(FlaskForm):
    """Every form of the site: CSRF from Flask-WTF, invisible characters removed from all text."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = (*unbound_field.kwargs.get("filters", ()), _text_filter(unbound_field.field_class))
            return unbound_field.bind(form=form, filters=filters, **options)


class EmptyForm(BaseForm):
    """A form with only its CSRF token: for buttons that change something (sign out, accept)."""


class ChoiceField(SelectField):
    """A select whose refusal of an unknown value speaks our language, not WTForms' default."""

    def pre_validate(self, form) -> None:
        if self.data not in {value for value, *_rest in self.iter_choices()}:
            raise ValidationError(_l("Please choose one of the options."))


def whole_number(raw: str | None, upper: int = 2**31 - 1) -> int | None:
    """`raw` as a whole number from 0 to `upper`, or None. ASCII digits only: `"²".isdigit()` is
    True in Python, but `int("²")` fails."""
    text = (raw or "").strip()
    if not (text.isascii() and text.isdecimal()) or len(text) > 12:
        return None
    value = int(text)
    return value if value <= upper else None


def max_length(limit: int) -> Length:
    """A length cap with a message in the catalogue."""
    return Length(max=limit, message=_l("Please keep this to %(max)d characters or fewer."))
