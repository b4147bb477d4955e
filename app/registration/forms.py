"""The registration form and the "add another child" form it shares its child part with."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Optional, ValidationError

from app.auth.forms import MAINLAND_MOBILE, WECHAT_ID, new_password_field, validate_mainland_phone
from app.classes.relations import relation_choices
from app.classes.services import find_class_by_join_code
from app.forms import BaseForm, ChoiceField, max_length


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
