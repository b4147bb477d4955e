"""The relations a guardian can have to a child, and how each reads in the reader's language."""

from flask_babel import lazy_gettext as _l

from app.classes.models import Relation


def relation_choices():
    return [
        (Relation.MOTHER, _l("Mother")),
        (Relation.FATHER, _l("Father")),
        (Relation.GRANDFATHER_PATERNAL, _l("Grandfather (father's side)")),
        (Relation.GRANDMOTHER_PATERNAL, _l("Grandmother (father's side)")),
        (Relation.GRANDFATHER_MATERNAL, _l("Grandfather (mother's side)")),
        (Relation.GRANDMOTHER_MATERNAL, _l("Grandmother (mother's side)")),
        (Relation.OTHER, _l("Other guardian")),
    ]


def relation_label(value: str) -> str:
    """How a stored relation reads in the current language."""
    return str(dict(relation_choices()).get(value, value))
