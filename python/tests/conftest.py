"""The tests run against the installed package, never the source tree beside them."""

from __future__ import annotations

import os
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
SOURCE = TESTS.parent

# `python -m pytest` from python/ puts the source tree first on sys.path: take it off. The tests' own
# helpers (support.py) must import under --import-mode=importlib too, which adds no folder to sys.path.
sys.path[:] = [p for p in sys.path if Path(p or os.curdir).resolve() not in (SOURCE, TESTS)]
sys.path.insert(0, str(TESTS))

import headroom  # noqa: E402

assert SOURCE / "headroom" not in Path(headroom.__file__).resolve().parents, (
    f"headroom was imported from the source tree ({headroom.__file__}); install the wheel and run the tests "
    "against it")
