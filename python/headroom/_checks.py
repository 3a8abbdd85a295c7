"""Argument checks shared by the public functions: sizes, levels, names."""

from __future__ import annotations

import re
from typing import Optional, Union

__all__ = ["LEVELS", "FRAMEWORKS", "Size", "parse_size", "optional_size", "check_level", "format_bytes"]

# The share of free memory each level plans for (OptimizationLevel.safetyMargin).
LEVELS: dict[str, float] = {"conservative": 0.50, "balanced": 0.75, "aggressive": 0.85, "extreme": 0.95}
FRAMEWORKS = ("onnxruntime", "torch", "tensorflow", "jax", "all")

Size = Union[int, str]

# The CLI's grammar (ByteCount(parsing:)): K/M/G/T/P/E and KiB… are powers of 1024, KB… powers of 1000.
_UNITS: dict[str, int] = {"": 1, "b": 1, "byte": 1, "bytes": 1}
for _power, _letter in enumerate("kmgtpe", start=1):
    _UNITS.update({_letter: 1 << (10 * _power), _letter + "i": 1 << (10 * _power),
                   _letter + "ib": 1 << (10 * _power), _letter + "b": 1000 ** _power})
_SIZE = re.compile(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*([A-Za-z]*)\s*")


def parse_size(value: object, what: str = "size") -> int:
    """Bytes from an int or a string such as "2GiB", "512MiB", "1.5GB" or "4G".

    Raises:
        TypeError: `value` is neither an int nor a string.
        ValueError: a negative number, or text that is not a size.
    """
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TypeError(f"{what} must be a number of bytes or a size such as '2GiB', not {type(value).__name__}")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"{what} cannot be negative; got {value}")
        return value
    match = _SIZE.fullmatch(value)
    unit = _UNITS.get(match.group(2).lower()) if match else None
    if match is None or unit is None:
        raise ValueError(f"{what} {value!r} is not a size; write a number and a unit such as 512MiB, 2GiB or 1.5GB")
    number = match.group(1)
    return int(number) * unit if number.isdigit() else round(float(number) * unit)


def optional_size(value: object, what: str) -> Optional[int]:
    """`parse_size`, passing None through."""
    return None if value is None else parse_size(value, what)


def check_level(level: object) -> str:
    """`level` when it names a level, else TypeError or ValueError."""
    if not isinstance(level, str):
        raise TypeError(f"level must be a string such as 'balanced', not {type(level).__name__}")
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}; got {level!r}")
    return level


def format_bytes(count: Optional[int]) -> str:
    """`1.5 GiB` style text, as the CLI prints sizes."""
    if count is None:
        return "unknown"
    value, unit = float(count), "B"
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"):
        if abs(value) < 1024 or unit == "EiB":
            break
        value /= 1024
    return f"{count} B" if unit == "B" else f"{value:.1f} {unit}"
