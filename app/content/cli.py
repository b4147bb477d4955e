"""`flask content check` and `flask content coverage`: content checks without starting the site."""

import click
from flask import current_app
from flask.cli import AppGroup

from app.content.catalogue import Catalogue
from app.content.coverage import seed_coverage
from app.content.loader import ContentError, load_catalogue

content_cli = AppGroup("content", help="Check the lesson and quiz files.")


def _load_or_exit() -> Catalogue:
    try:
        return load_catalogue(current_app.config["CONTENT_DIR"])
    except ContentError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        raise SystemExit(1) from None


@content_cli.command("check")
def check_command() -> None:
    """Load every course and question bank; list every problem and exit 1 if there is any."""
    catalogue = _load_or_exit()
    questions = sum(len(c.quiz.questions) for c in catalogue.courses.values() if c.quiz)
    lessons = sum(len(c.lessons) for c in catalogue.courses.values())
    click.echo(f"ok: {len(catalogue.courses)} courses, {lessons} lessons, {questions} questions")


@content_cli.command("coverage")
def coverage_command() -> None:
    """Print the seed point × lesson × question matrix; exit 1 if any point lacks either."""
    rows = seed_coverage(_load_or_exit())
    for row in rows:
        mark = "ok     " if row.covered else "MISSING"
        lessons = ", ".join(row.lessons) or "-"
        questions = ", ".join(row.questions) or "-"
        click.echo(f"{mark} {row.point:<4} lessons: {lessons}\n             questions: {questions}")
    missing = [row.point for row in rows if not row.covered]
    if missing:
        click.echo(f"uncovered seed points: {', '.join(missing)}", err=True)
        raise SystemExit(1)
    click.echo(f"all {len(rows)} seed points are covered by a lesson and a question")
