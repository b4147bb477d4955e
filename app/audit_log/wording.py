"""How each audit action reads on the log page."""

from flask_babel import lazy_gettext as _l

from app.audit.services import Action

ACTION_TEXT = {
    Action.INVITE_ISSUED: _l("invite code issued"),
    Action.INVITE_CHECKED: _l("invite code checked"),
    Action.ADMITTED: _l("admitted to the group"),
    Action.INVITE_REVOKED: _l("invite code revoked"),
    Action.INVITE_APPROVED: _l("go-ahead for an invite code"),
    Action.MEMBER_REMOVED: _l("removed from the group"),
    Action.MEMBER_READMITTED: _l("readmitted"),
    Action.LINK_APPROVED: _l("guardian confirmed"),
    Action.LINK_REJECTED: _l("guardian request declined"),
    Action.CHARTER_CHANGED: _l("charter changed"),
    Action.CLASS_SETTINGS: _l("invite settings changed"),
    Action.JOIN_CODE_ROTATED: _l("new join code"),
    Action.ROSTER_IMPORTED: _l("roster imported"),
    Action.RESET_LINK: _l("password reset link given"),
    Action.WELCOME_LINK: _l("account created with a password link"),
    Action.ACCOUNT_DEACTIVATED: _l("account switched off"),
    Action.ACCOUNT_REACTIVATED: _l("account switched on"),
    Action.CLASS_CREATED: _l("class created"),
    Action.TEACHER_ASSIGNED: _l("head teacher assigned"),
    Action.CLASSES_ROLLED_OVER: _l("classes moved to the next school year"),
    Action.GRADUATED: _l("class graduated, group dissolved"),
    Action.PURGED: _l("personal data deleted after the retention period"),
    Action.SCHOOL_SETTINGS: _l("school settings changed"),
}


def action_label(action: str) -> str:
    return str(ACTION_TEXT.get(action, action))


OUTCOME_SHORT = {
    "valid": _l("valid"),
    "used": _l("already used"),
    "expired": _l("expired"),
    "revoked": _l("revoked"),
    "not_eligible": _l("no longer eligible"),
    "other_class": _l("another class"),
    "unknown": _l("unknown"),
}


def detail_text(detail: dict | None) -> str:
    """The one fact worth showing beside an action: a check's outcome or a charter version."""
    if not detail:
        return ""
    if "outcome" in detail:
        return str(OUTCOME_SHORT.get(detail["outcome"], detail["outcome"]))
    if "version" in detail:
        return str(_l("version %(v)s", v=detail["version"]))
    if "added" in detail:
        return str(
            _l(
                "%(added)s added, %(updated)s updated",
                added=detail["added"],
                updated=detail.get("updated", 0),
            )
        )
    return ""


# Actions that always concern a parent: a missing subject means the purge removed them.
_ABOUT_A_PARENT = {
    Action.INVITE_ISSUED,
    Action.ADMITTED,
    Action.INVITE_REVOKED,
    Action.INVITE_APPROVED,
    Action.MEMBER_REMOVED,
    Action.MEMBER_READMITTED,
    Action.LINK_APPROVED,
    Action.LINK_REJECTED,
}


def _named(person, event, viewer) -> str:
    """A parent's name only for their class's own head teacher; everyone else reads "a parent"
    (only a class's teacher sees individual parents)."""
    if person.role != "parent":
        return person.real_name
    school_class = event.school_class
    if viewer.role == "teacher" and school_class is not None and school_class.head_teacher_id == viewer.id:
        return person.real_name
    return str(_l("a parent"))


def actor_label(event, viewer) -> str:
    if event.actor is not None:
        return _named(event.actor, event, viewer)
    return str(_l("the system")) if event.action == Action.PURGED else str(_l("a former parent"))


def subject_label(event, viewer) -> str:
    if event.subject is not None:
        return _named(event.subject, event, viewer)
    checked_someone = event.action == Action.INVITE_CHECKED and (event.detail or {}).get("outcome") not in (
        "unknown",
        "other_class",
    )
    return str(_l("a former parent")) if event.action in _ABOUT_A_PARENT or checked_someone else "—"
