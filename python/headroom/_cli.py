"""The `headroom` console script: runs the `headroom` binary bundled in the package."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

__all__ = ["main", "binary_path"]


def binary_path() -> Path:
    """The bundled `headroom` executable."""
    return Path(__file__).with_name("bin") / "headroom"


def main() -> int:
    """Replaces this process with `headroom` and the script's arguments; returns 1 when it cannot."""
    binary = binary_path()
    if not binary.is_file():
        print(f"headroom: the bundled binary is missing at {binary}; reinstall the package "
              "(pip install --force-reinstall headroom-mem)", file=sys.stderr)
        return 1
    if not os.access(binary, os.X_OK):
        try:  # an installer that dropped the executable bit
            binary.chmod(binary.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        except OSError as error:
            print(f"headroom: {binary} is not executable ({error.strerror})", file=sys.stderr)
            return 1
    try:
        os.execv(binary, [str(binary), *sys.argv[1:]])
    except OSError as error:
        print(f"headroom: cannot run {binary} ({error.strerror})", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
