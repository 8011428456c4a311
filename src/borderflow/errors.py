"""Errors a user can fix: they carry the file, the field and what was expected."""

from __future__ import annotations

from difflib import get_close_matches


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


def closest(word: object, choices) -> str | None:
    """The allowed name closest to ``word`` (difflib, case ignored), or None when none is
    close or ``word`` is itself allowed."""

    if not isinstance(word, str) or not word:
        return None
    lower: dict[str, str] = {}
    for name in map(str, choices):
        lower.setdefault(name.lower(), name)
    close = get_close_matches(word.lower(), list(lower), n=1, cutoff=0.6)
    return lower[close[0]] if close and lower[close[0]] != word else None


def did_you_mean(word: object, choices) -> str:
    """``"did you mean 'x'? "`` for the allowed name closest to ``word``, or ``""`` when
    none is close.  Meant to go before the list of allowed names in a message."""
    match = closest(word, choices)
    return f"did you mean '{match}'? " if match else ""
