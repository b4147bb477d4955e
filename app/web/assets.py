"""Static files under content-hashed names: `/assets/3f2a9c1b07-app.css`. A changed file gets a
new name, so browsers may keep every copy for a year (`immutable`) and never see a stale one."""

from __future__ import annotations

import gzip
import hashlib
from functools import lru_cache
from pathlib import Path

import click
from flask import Blueprint, abort, current_app, send_from_directory, url_for
from flask.cli import with_appcontext

bp = Blueprint("assets", __name__)
ONE_YEAR = 365 * 24 * 3600


@lru_cache(maxsize=64)
def _digest(path: str, mtime: float) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]


_settled: dict[str, str] = {}


def digest(filename: str) -> str:
    """The file's content digest. Outside debug mode the files do not change while a process runs
    (a deploy restarts it), so each is hashed once and not even looked at again: every page
    names three of them. In debug mode an edited file gets its new name at once."""
    path = str(Path(current_app.static_folder) / filename)
    debug = current_app.debug
    if not debug and path in _settled:
        return _settled[path]
    if not Path(path).is_file():
        raise FileNotFoundError(filename)
    value = _digest(path, Path(path).stat().st_mtime)
    if not debug:
        _settled[path] = value
    return value


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


def build(out: Path) -> list[Path]:
    """Write every static file under its hashed name (and a `.gz` beside it) into `out/assets/`,
    for nginx to serve without asking the app. Earlier builds are kept: a page rendered before a
    deploy still finds the files it names."""
    static = Path(current_app.static_folder)
    written = []
    for source in sorted(p for p in static.rglob("*") if p.is_file()):
        relative = source.relative_to(static)
        target = out / "assets" / relative.parent / f"{digest(relative.as_posix())}-{source.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        data = source.read_bytes()
        target.write_bytes(data)
        # mtime 0 and no file name inside: the same input always gives the same .gz bytes.
        Path(f"{target}.gz").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
        written.append(target)
    return written


@click.group("assets", help="Static files for the production web server.")
def assets_cli() -> None:
    pass


@assets_cli.command("build")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def build_command(out: Path) -> None:
    """Copy static files into OUT/assets/ under their hashed names, each with a gzip copy."""
    for path in build(out):
        click.echo(path)
