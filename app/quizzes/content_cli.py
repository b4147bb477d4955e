"""`flask content check` and `flask content coverage`: content checks without starting the site.

They live with the quizzes, above `app.content`, because the check judges the banks with the
quiz's own draw and guessing report (`guessing.py`)."""

import click
from flask import current_app
from flask.cli import AppGroup

from app.content.catalogue import LANGS, Catalogue
from app.content.coverage import seed_coverage
from app.content.loader import load_catalogue
from app.content.pace import reading_lines, time_problems
from app.content.reader import ContentError
from app.quizzes.guessing import Limits, guessing_report, leaks, report_lines

content_cli = AppGroup("content", help="Check the lesson and quiz files.")


def _load_or_exit() -> Catalogue:
    try:
        return load_catalogue(current_app.config["CONTENT_DIR"])
    except ContentError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        raise SystemExit(1) from None


@content_cli.command("check")
@click.option(
    "--max-first-attempt",
    type=click.FloatRange(0, 1),
    default=Limits.first_attempt,
    show_default=True,
    help="Highest chance a guessing strategy may have of passing a first attempt.",
)
@click.option(
    "--runs",
    type=click.IntRange(100),
    default=Limits.runs,
    show_default=True,
    help="Seeded draw sequences for the chance within the retry limit.",
)
@click.option(
    "--explain", metavar="COURSE", help="Also list, per question, the guessing rules that answer it right."
)
def check_command(max_first_attempt: float, runs: int, explain: str | None) -> None:
    """Load every course and question bank and print the guessing report; list every problem
    and exit 1 if there is any."""
    catalogue = _load_or_exit()
    if explain:
        _explain(catalogue, explain)
    limits = Limits(
        first_attempt=max_first_attempt, runs=runs, tries=current_app.config["QUIZ_FAILS_BEFORE_WAIT"]
    )
    report = guessing_report(catalogue, limits)
    for line in report_lines(report, limits) + reading_lines(catalogue):
        click.echo(line)
    problems = report.problems + time_problems(catalogue)
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    if problems:
        raise SystemExit(1)
    questions = sum(len(c.quiz.questions) for c in catalogue.courses.values() if c.quiz)
    lessons = sum(len(c.lessons) for c in catalogue.courses.values())
    extras = sum(len(c.extras) for c in catalogue.courses.values())
    click.echo(
        f"ok: {len(catalogue.courses)} courses, {lessons} lessons (and {extras} optional), "
        f"{questions} questions"
    )


def _explain(catalogue: Catalogue, slug: str) -> None:
    course = catalogue.courses.get(slug)
    if course is None or course.quiz is None:
        raise click.BadParameter(f"no course with a quiz named {slug!r}", param_hint="--explain")
    for lang in LANGS:
        click.echo(f"{slug} ({lang}): rules that get each question right")
        for qid, rules in leaks(course.quiz, lang):
            click.echo(f"  {qid:<16} {', '.join(rules) or '-'}")


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
