import shutil
from pathlib import Path

import pytest

from app.config import PROJECT_ROOT


@pytest.fixture
def tree(tmp_path) -> Path:
    """A copy of the real content to break in one place."""
    for folder in ("courses", "quizzes"):
        shutil.copytree(PROJECT_ROOT / folder, tmp_path / folder)
    return tmp_path
