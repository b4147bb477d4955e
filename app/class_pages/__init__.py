"""The pages of a class, one blueprint ("classes"): the head teacher's class page, its settings,
graduation, guardian requests and password links (`views`), the roster, charter, join code and
poster (`editing`), and the charter every member of the class reads and accepts.

Apart from `app/classes` (the class's rules and data, low in the layers) because these pages show
what later features hold: each guardian's progress, certificate and invite state."""

from flask import Blueprint

bp = Blueprint("classes", __name__)

from app.class_pages import editing, views  # noqa: E402, F401  (their routes join `bp`)
