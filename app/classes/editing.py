"""A head teacher edits their class: roster import, charter versions, join code and its poster.

These routes belong to the classes blueprint (imported by the app factory after app.classes.views).
"""

from app.classes.views import bp  # noqa: F401
