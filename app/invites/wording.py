"""How each refusal and verification outcome reads to the person who meets it."""

from flask_babel import lazy_gettext as _l

from app.invites.eligibility import Refusal
from app.invites.models import TokenState
from app.invites.services import Outcome

REFUSAL_TEXT = {
    Refusal.GRADUATED: _l("This class has graduated and its group is dissolved."),
    Refusal.LINK_NOT_APPROVED: _l("The teacher has not yet confirmed you as this child's guardian."),
    Refusal.NOT_CERTIFIED: _l("Pass the quiz of every course to get your certificate."),
    Refusal.CHARTER_NOT_ACCEPTED: _l("Read and accept the class's current group charter."),
    Refusal.REMOVED: _l("The teacher has removed you from this class group. Please talk to the teacher."),
    Refusal.ALREADY_JOINED: _l("You are already in this class group."),
    Refusal.NO_WECHAT_ID: _l("Your account has no WeChat ID. Please ask the teacher for help."),
    Refusal.NO_TEACHER: _l("The class has no head teacher at the moment. Please check back soon."),
    Refusal.TEACHER_NOT_CERTIFIED: _l(
        "The school asks the head teacher to finish the group-owner course first. Please check back soon."
    ),
    Refusal.AWAITING_APPROVAL: _l(
        "This class issues codes after the teacher's go-ahead. Please check back soon."
    ),
}

# The same gaps as the teacher reads them on the verify page.
LAPSE_TEXT = {
    Refusal.GRADUATED: _l("The class has graduated."),
    Refusal.LINK_NOT_APPROVED: _l("They are no longer a confirmed guardian of this class."),
    Refusal.NOT_CERTIFIED: _l("Their certificate is no longer valid."),
    Refusal.CHARTER_NOT_ACCEPTED: _l("They have not yet accepted the current version of the charter."),
    Refusal.REMOVED: _l("You marked them as removed from the group."),
}

OUTCOME_TEXT = {
    Outcome.VALID: _l("Valid: this code may be admitted once."),
    Outcome.USED: _l("Already used: this code admitted someone before."),
    Outcome.EXPIRED: _l("Expired: ask the parent to get a new code on ParentPass."),
    Outcome.REVOKED: _l("Revoked: this code was ended and no longer admits anyone."),
    Outcome.NOT_ELIGIBLE: _l("Not admissible now: the parent no longer meets every condition."),
    Outcome.OTHER_CLASS: _l("This code belongs to another class. It does not admit anyone to yours."),
    Outcome.UNKNOWN: _l("Unknown code. Check the letters with the parent: codes look like K7PX-2QMD-9F."),
}

TOKEN_STATE_TEXT = {
    TokenState.ISSUED: _l("issued"),
    TokenState.USED: _l("used"),
    TokenState.EXPIRED: _l("expired"),
    TokenState.REVOKED: _l("revoked"),
}


def token_state_label(state: str) -> str:
    return str(TOKEN_STATE_TEXT.get(state, state))
