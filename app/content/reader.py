"""Reading content files while collecting every problem: YAML, texts in each language, the seed
points a lesson or question covers. `ContentError` carries the whole list."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from app.content.catalogue import (
    LANGS,
    Localized,
)
from app.content.yaml_text import parse_yaml

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


class ContentError(Exception):
    """Raised with every problem found, one per line."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class Reader:
    """Holds the problem list while one content tree is read."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[str] = []

    def problem(self, path: Path, where: str, message: str) -> None:
        rel = path.relative_to(self.root) if path.is_relative_to(self.root) else path
        self.problems.append(f"{rel}: {where + ': ' if where else ''}{message}")

    def yaml(self, path: Path) -> dict[str, Any] | None:
        try:
            data = parse_yaml(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
            self.problem(path, "", f"cannot be read as YAML ({exc.__class__.__name__})")
            return None
        if not isinstance(data, dict):
            self.problem(path, "", "must be a mapping of keys to values")
            return None
        return data

    def localized(self, path: Path, where: str, field: str, value: Any) -> Localized:
        texts: dict[str, str] = {}
        if not isinstance(value, dict):
            self.problem(path, where, f"{field} must give a text for each of {', '.join(LANGS)}")
            value = {}
        for lang in LANGS:
            text = value.get(lang)
            if not isinstance(text, str) or not text.strip():
                self.problem(path, where, f"missing {lang} translation of {field}")
            else:
                texts[lang] = text.strip()
        return Localized(texts or {"zh-Hans": ""})

    def covers(self, path: Path, where: str, value: Any, points: dict) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            self.problem(path, where, "covers must list at least one seed point, e.g. [S5]")
            return ()
        for point in value:
            if point not in points:
                self.problem(path, where, f"unknown seed point {point!r}")
        return tuple(str(p) for p in value)
