"""The audit log, within the reader's scope."""

from flask import Blueprint

bp = Blueprint("audit", __name__)
