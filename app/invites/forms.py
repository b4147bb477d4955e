"""Forms of the invite area: checking a code, a class's invite settings, graduation, and the
reason given when a guardian request is declined."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Optional, ValidationError

from app.classes.models import InvitePolicy
from app.forms import BaseForm, ChoiceField, max_length

MAX_HOURS = 14 * 24


class VerifyForm(BaseForm):
    code = StringField(
        _l("Invite code"),
        validators=[DataRequired(_l("Please type the invite code the parent sent you.")), max_length(40)],
    )


def policy_choices():
    return [
        (InvitePolicy.AUTOMATIC, _l("Automatically, as soon as a parent is eligible")),
        (InvitePolicy.APPROVAL, _l("Only after I approve each parent")),
    ]


class InviteSettingsForm(BaseForm):
    invite_policy = ChoiceField(_l("Issue invite codes"), choices=policy_choices)
    invite_valid_hours = StringField(_l("A code stays valid for (hours)"), validators=[max_length(10)])

    def validate_invite_valid_hours(self, field) -> None:
        """Whole hours from 1 to 336 (14 days); the message is ours, not WTForms' default."""
        text = (field.data or "").strip()
        if not text.isdigit() or not 1 <= int(text) <= MAX_HOURS:
            raise ValidationError(_l("Please enter a whole number of hours from 1 to 336 (14 days)."))
        self.hours = int(text)


class GraduateForm(BaseForm):
    confirm = BooleanField(
        _l("I understand: every open invite code ends and the group is marked dissolved."),
        validators=[DataRequired(_l("Please tick the box to confirm."))],
    )


class DeclineForm(BaseForm):
    reason = StringField(_l("Reason (the parent sees it)"), validators=[Optional(), max_length(200)])
