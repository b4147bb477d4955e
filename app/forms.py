"""Forms shared by every area."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import Length, ValidationError


class EmptyForm(FlaskForm):
    """A form with only its CSRF token: for buttons that change something (sign out, accept)."""


class ChoiceField(SelectField):
    """A select whose refusal of an unknown value speaks our language, not WTForms' default."""

    def pre_validate(self, form) -> None:
        if self.data not in {value for value, *_rest in self.iter_choices()}:
            raise ValidationError(_l("Please choose one of the options."))


def max_length(limit: int) -> Length:
    """A length cap with a message in the catalogue."""
    return Length(max=limit, message=_l("Please keep this to %(max)d characters or fewer."))
