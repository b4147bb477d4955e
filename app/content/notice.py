"""The privacy notice: Markdown in both languages under `courses/privacy/`, stored like the
charter's default template and rendered once, at start-up, by the one sanitising renderer.

`courses/privacy/notice.yaml` holds its version; every consent records the version it was given
on. `{retention_days}` in the text stands for the RETENTION_DAYS setting, so the notice never
promises a period the purge does not keep.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from flask import Flask, current_app

from app.content.catalogue import LANGS, Localized
from app.content.markdown import render_markdown
from app.content.reader import ContentError
from app.content.yaml_text import parse_yaml

_KEY = "parentpass.privacy_notice"
VERSION_MAX = 20  # users.privacy_version and guardian_links.child_consent_version are String(20)


@dataclass(frozen=True)
class PrivacyNotice:
    version: str
    html: Localized


def load_notice(root: str | Path, retention_days: int) -> PrivacyNotice:
    """Read and render `courses/privacy/` under `root`; raise `ContentError` listing every problem."""
    folder = Path(root) / "courses" / "privacy"
    problems: list[str] = []
    version = _read_version(folder / "notice.yaml", problems)
    html = {}
    for lang in LANGS:
        path = folder / f"notice.{lang}.md"
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        if not text.strip():
            problems.append(f"courses/privacy/{path.name}: missing {lang} privacy notice")
            continue
        html[lang] = render_markdown(text.replace("{retention_days}", str(retention_days)))
    if problems:
        raise ContentError(problems)
    return PrivacyNotice(version=version, html=Localized(html))


def _read_version(path: Path, problems: list[str]) -> str:
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        data = None
    version = data.get("version") if isinstance(data, dict) else None
    if not isinstance(version, str) or not 0 < len(version) <= VERSION_MAX:
        problems.append('courses/privacy/notice.yaml: version must be a quoted string, e.g. "2026-11"')
        return ""
    return version


def install_notice(app: Flask) -> None:
    """Load the notice once; a missing or broken notice stops start-up, as broken content does."""
    app.extensions[_KEY] = load_notice(app.config["CONTENT_DIR"], app.config["RETENTION_DAYS"])


def privacy_notice() -> PrivacyNotice:
    return current_app.extensions[_KEY]


def notice_version() -> str:
    """The version a consent given now is given on."""
    return privacy_notice().version
