"""Edit a copy of the real content tree (the `tree` fixture) in one place."""

from pathlib import Path

import yaml

from app.content.yaml_text import parse_yaml


def _edit(path: Path, change) -> dict:
    data = parse_yaml(path.read_text(encoding="utf-8"))
    before = {"ids": [q["id"] for q in data.get("questions", [])]}
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return before


def edit_bank(tree: Path, course: str, change) -> dict:
    """Apply `change` to a bank; return the bank as it was read (for question ids)."""
    return _edit(tree / "quizzes" / f"{course}.yaml", change)


def edit_course(tree: Path, course: str, change) -> None:
    """Apply `change` to a course's course.yaml."""
    _edit(tree / "courses" / course / "course.yaml", change)
