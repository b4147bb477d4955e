"""`flask content check`: validate the content files without starting the site."""

import click
from flask import current_app
from flask.cli import AppGroup

from app.content.loader import ContentError, load_catalogue

content_cli = AppGroup("content", help="Check the lesson and quiz files.")


@content_cli.command("check")
def check_command() -> None:
    """Load every course and question bank; list every problem and exit 1 if there is any."""
    try:
        catalogue = load_catalogue(current_app.config["CONTENT_DIR"])
    except ContentError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        raise SystemExit(1) from None
    questions = sum(len(c.quiz.questions) for c in catalogue.courses.values() if c.quiz)
    lessons = sum(len(c.lessons) for c in catalogue.courses.values())
    click.echo(f"ok: {len(catalogue.courses)} courses, {lessons} lessons, {questions} questions")
