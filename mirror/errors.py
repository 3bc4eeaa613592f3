"""Errors a user can cause and fix: shown as one line, exit code 2, never a traceback."""


class UserError(Exception):
    """Bad input (file, field, option). The message names what and what was expected."""

    exit_code = 2


class ModelError(UserError):
    """The pose model or inference backend is missing, corrupt or unusable."""


class SourceError(UserError):
    """A frame or pose source cannot be opened or read."""


class HistoryError(UserError):
    """The history database cannot be used (locked, read-only, not a file): nothing was moved.

    reason: a few words for the mirror's screen, where the full line would not be readable."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message
