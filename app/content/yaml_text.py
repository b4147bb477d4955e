"""YAML parsing for the content files, with libyaml's parser where PyYAML was built with it.

The courses and banks are about a megabyte of YAML, read at every app start and by every
`content` command: PyYAML's pure-Python parser spent 2.6 s of a 2.9 s load, libyaml's takes a
tenth of that. Both build the same plain data (the safe subset: no Python objects) and raise the
same `yaml.YAMLError` subclasses.
"""

from __future__ import annotations

from typing import Any

import yaml


def parse_yaml(text: str) -> Any:
    if yaml.__with_libyaml__:
        return yaml.load(text, Loader=yaml.CSafeLoader)
    return yaml.safe_load(text)  # pragma: no cover - PyYAML built without libyaml
