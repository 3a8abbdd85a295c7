"""The package's own exception."""

__all__ = ["HeadroomError"]


class HeadroomError(RuntimeError):
    """An operation of the Headroom library failed; the message says why."""


HeadroomError.__module__ = "headroom"
