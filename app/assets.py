"""Static files under content-hashed names: `/assets/3f2a9c1b07-app.css`. A changed file gets a
new name, so browsers may keep every copy for a year (`immutable`) and never see a stale one."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, abort, current_app, send_from_directory, url_for

bp = Blueprint("assets", __name__)
ONE_YEAR = 365 * 24 * 3600


@lru_cache(maxsize=64)
def _digest(path: str, mtime: float) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]


def digest(filename: str) -> str:
    path = Path(current_app.static_folder) / filename
    if not path.is_file():
        raise FileNotFoundError(filename)
    return _digest(str(path), path.stat().st_mtime)


def asset_url(filename: str) -> str:
    """The URL of a static file under its content-hashed name (for templates)."""
    folder, _, name = filename.rpartition("/")
    return url_for("assets.serve", folder=folder, hashed=f"{digest(filename)}-{name}")


@bp.route("/assets/<path:folder>/<hashed>")
def serve(folder: str, hashed: str):
    """Serve a static file named with its current digest; any other digest is a 404, so an old
    page never gets a new file under an old name."""
    wanted, _, name = hashed.partition("-")
    filename = f"{folder}/{name}"
    try:
        if not name or digest(filename) != wanted:
            abort(404)
    except (FileNotFoundError, ValueError, OSError):
        abort(404)
    response = send_from_directory(current_app.static_folder, filename, max_age=ONE_YEAR)
    response.cache_control.immutable = True
    response.cache_control.public = True
    return response
