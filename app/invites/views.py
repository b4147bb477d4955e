"""The parent's invite page; the teacher's verify, admit and revoke."""

from flask import Blueprint

bp = Blueprint("invites", __name__)
