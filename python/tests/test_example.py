"""The README's Python example runs as it is written."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "README-example.py"
README = EXAMPLE.with_name("README.md")


def test_readme_example(tmp_path: Path) -> None:
    # Run a copy from elsewhere: run in place, its folder (the source tree) would come first on sys.path.
    script = shutil.copy(EXAMPLE, tmp_path / "example.py")
    result = subprocess.run([sys.executable, script], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "batches of up to 48 items fit" in result.stdout
    assert "features" in result.stdout and "inference" in result.stdout


def test_readme_shows_the_example_that_runs() -> None:
    text = README.read_text(encoding="utf-8")
    block = text.split("```python\n", 1)[1].split("```", 1)[0]
    assert block == EXAMPLE.read_text(encoding="utf-8")
