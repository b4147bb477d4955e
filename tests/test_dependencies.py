"""Dependencies are pinned: each one named in pyproject.toml exactly, and every package installed
(indirect ones too) in constraints.txt at the same version."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)(\[[^\]]+\])?==([0-9][^;\s]*)$")


def _name(raw: str) -> str:
    return re.sub(r"[-_.]+", "-", raw).lower()


def test_every_dependency_is_pinned_and_matches_the_constraints():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + [
        d for group in project["optional-dependencies"].values() for d in group
    ]
    constraints = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            constraints[_name(name)] = version
    for requirement in wanted:
        match = PIN.match(requirement)
        assert match, f"{requirement} is not pinned with =="
        name, _extras, version = match.groups()
        assert constraints.get(_name(name)) == version, f"{name}: constraints.txt differs"
