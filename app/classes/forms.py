"""Forms a head teacher fills in to run their class: the roster file, the charter, the invite
settings, graduation, and the reason given when a guardian request is declined."""

import re
import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional, ValidationError
from wtforms.widgets import TimeInput

from app.classes.models import InvitePolicy
from app.forms import BaseForm, ChoiceField, max_length, whole_number

CHARTER_MAX_CHARS = 8000
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")


def normalize_newlines(value):
    """A textarea sends `\\r\\n`; the stored text uses `\\n`, so the same words compare equal."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def parse_clock(raw: str | None) -> str | None:
    """`7:05`, `07:05` or `07：05` → `07:05`; None unless it is a time from 00:00 to 23:59."""
    match = _TIME.match(unicodedata.normalize("NFKC", raw or "").strip())
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours > 23 or minutes > 59:
        return None
    return f"{hours:02d}:{minutes:02d}"


class RosterImportForm(BaseForm):
    file = FileField(
        _l("Roster file (CSV)"),
        validators=[FileRequired(_l("Please choose the CSV file with the class list."))],
    )


class CharterForm(BaseForm):
    body = TextAreaField(
        _l("Charter text (Markdown)"),
        filters=[normalize_newlines],
    )
    quiet_start = StringField(_l("Quiet hours start"), widget=TimeInput())
    quiet_end = StringField(_l("Quiet hours end"), widget=TimeInput())

    def validate_body(self, field) -> None:
        """Required and at most 8,000 characters; kept as typed apart from outer blank lines."""
        field.data = (field.data or "").strip()
        if not field.data:
            raise ValidationError(_l("Please write the charter text."))
        if len(field.data) > CHARTER_MAX_CHARS:
            raise ValidationError(
                _l(
                    "The charter is %(count)d characters long; please keep it to %(max)d or fewer.",
                    count=len(field.data),
                    max=CHARTER_MAX_CHARS,
                )
            )

    def validate_quiet_start(self, field) -> None:
        field.data = self._clock(field)

    def validate_quiet_end(self, field) -> None:
        field.data = self._clock(field)
        if field.data == self.quiet_start.data:
            raise ValidationError(_l("The quiet hours need to end at a different time than they start."))

    @staticmethod
    def _clock(field) -> str:
        clock = parse_clock(field.data)
        if clock is None:
            raise ValidationError(_l("Please enter a time from 00:00 to 23:59, e.g. 21:30."))
        return clock


MAX_HOURS = 14 * 24


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
        hours = whole_number(field.data, MAX_HOURS)
        if not hours:
            raise ValidationError(_l("Please enter a whole number of hours from 1 to 336 (14 days)."))
        self.hours = hours


class GraduateForm(BaseForm):
    confirm = BooleanField(
        _l("I understand: every open invite code ends and the group is marked dissolved."),
        validators=[DataRequired(_l("Please tick the box to confirm."))],
    )


class JoinCodeForm(BaseForm):
    """The new-join-code button carries the code its page showed: a second tap of it finds that
    code already replaced and leaves the new one alone."""

    replaces = HiddenField(validators=[max_length(20)])


class DeclineForm(BaseForm):
    reason = StringField(_l("Reason (the parent sees it)"), validators=[Optional(), max_length(200)])
