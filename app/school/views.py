"""School staff manage their school's teachers and classes."""

from flask import Blueprint

bp = Blueprint("school", __name__, url_prefix="/school")
