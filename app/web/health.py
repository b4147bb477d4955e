"""`/healthz` for the load balancer: can this app process reach the database and the shared
rate-limit storage (Redis)? 200 when both answer, 503 when either does not, so the balancer stops
sending people to a process that would only show them error pages. Reveals nothing else."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from app.extensions import db, limiter

bp = Blueprint("health", __name__)


def _database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
        return "ok"
    except Exception:  # any failure means "not reachable" to the balancer
        db.session.rollback()
        return "unreachable"
    finally:
        db.session.remove()


def _limits_storage() -> str:
    if current_app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        return "in-process"
    try:
        return "ok" if limiter.storage.check() else "unreachable"
    except Exception:  # a refused connection raises rather than returning False
        return "unreachable"


@bp.route("/healthz")
@limiter.exempt
def healthz():
    checks = {"database": _database(), "redis": _limits_storage()}
    healthy = all(state in ("ok", "in-process") for state in checks.values())
    response = jsonify(status="ok" if healthy else "unavailable", **checks)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response
