"""The shape the code keeps (ARCHITECTURE.md): small modules with one job, and a long function
only where its docstring says why. The layers themselves are import-linter's job (`make lint`)."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app"
MODULE_MAX = 300
FUNCTION_MAX = 60


def _modules():
    return sorted(APP.rglob("*.py"))


def test_no_module_is_over_300_lines():
    long = {
        str(p.relative_to(APP)): n for p in _modules() if (n := len(p.read_text().splitlines())) > MODULE_MAX
    }
    assert long == {}


def test_a_function_over_60_lines_says_why_in_its_docstring():
    unexplained = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text())):
            function = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            if function and node.end_lineno - node.lineno + 1 > FUNCTION_MAX and not ast.get_docstring(node):
                unexplained.append(f"{path.relative_to(APP)}:{node.lineno} {node.name}")
    assert unexplained == []
