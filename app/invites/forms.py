"""The teacher's form for checking an invite code."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired

from app.forms import BaseForm, max_length


class VerifyForm(BaseForm):
    code = StringField(
        _l("Invite code"),
        validators=[DataRequired(_l("Please type the invite code the parent sent you.")), max_length(40)],
    )
