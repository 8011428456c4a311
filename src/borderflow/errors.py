"""Errors a user can fix: they carry the file, the field and what was expected."""

from __future__ import annotations


class InputError(Exception):
    """Bad input from a user: a scenario, a data file or a command-line value.

    The CLI prints ``str(err)`` on one screen and exits with code 2.
    """

    def __init__(self, message: str, *, file: str | None = None, field: str | None = None,
                 expected: str | None = None, line: int | None = None):
        self.file = file
        self.field = field
        self.expected = expected
        self.line = line
        parts = []
        if file:
            parts.append(f"{file}" + (f":{line}" if line is not None else ""))
        if field:
            parts.append(f"field '{field}'")
        head = ", ".join(parts)
        text = f"{head}: {message}" if head else message
        if expected:
            text += f" (expected {expected})"
        super().__init__(text)
