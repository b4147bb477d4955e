"""bandit, configured in pyproject.toml, finds nothing in app/ (also run by `make lint`).

A finding that is not a bug is silenced on its own line with `# nosec BXXX  # why`, never by
skipping a test or excluding a path.
"""

import json
import subprocess
import sys

from app.config import PROJECT_ROOT


def test_bandit_reports_nothing():
    run = subprocess.run(
        [sys.executable, "-m", "bandit", "-q", "-r", "app", "-c", "pyproject.toml", "-f", "json"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(run.stdout)
    findings = [
        f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}" for r in report["results"]
    ]
    assert not findings, "\n".join(findings)
    assert not report["errors"], report["errors"]
    assert "WARNING" not in run.stderr, run.stderr  # e.g. a `# nosec` naming no real test id


def test_bandit_is_configured_without_skips_or_exclusions():
    import tomllib

    config = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["bandit"]
    assert not config.get("skips") and not config.get("exclude_dirs") and not config.get("tests")


def test_a_course_without_a_quiz_is_refused_by_a_real_check(catalogue):
    """The quiz services checked `course.quiz` with `assert` (bandit B101), which `python -O`
    removes; now they raise NoQuiz whatever the interpreter's flags."""
    from dataclasses import replace

    import pytest

    from app.quizzes.grading import NoQuiz
    from app.quizzes.models import QuizAttempt
    from app.quizzes.presenters import shown_questions
    from app.quizzes.services import lessons_to_review, read_responses, submit_attempt

    course = replace(catalogue.for_audience("parent")[0], quiz=None)
    attempt = QuizAttempt(draw=[], total=0)
    for call in (
        lambda: lessons_to_review(course, attempt),
        lambda: read_responses(course, attempt, {}),
        lambda: submit_attempt(course, attempt, {}, None),
        lambda: shown_questions(course, attempt, "en"),
    ):
        with pytest.raises(NoQuiz):
            call()
