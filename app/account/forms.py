"""The one form of the account pages: the password that confirms deleting the account."""

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField
from wtforms.validators import DataRequired

from app.forms import BaseForm, max_length


class DeleteAccountForm(BaseForm):
    password = PasswordField(
        _l("Your password"),
        validators=[
            DataRequired(_l("Please enter your password to confirm.")),
            max_length(200),
        ],
    )
