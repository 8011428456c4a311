"""User text on the console: never read as rich markup.

File and folder names, YAML keys, lever names and CSV cells may contain ``[`` and ``]``;
rich would parse ``[/x]`` as a closing tag (``MarkupError``) or ``[red]`` as a style.  Text
that came from a user goes to rich as a :class:`rich.text.Text`, which is not parsed.
(``rich.markup.escape`` is not enough: a trailing backslash comes out doubled.)
"""

from __future__ import annotations

from rich.text import Text


def plain(text: object, style: str = "") -> Text:
    """``str(text)`` as literal console text, optionally styled."""
    return Text(str(text), style=style)


def line(*parts: object) -> Text:
    """Literal text from parts: a ``str`` is literal text, a ``(text, style)`` pair is styled
    literal text; nothing is parsed as markup."""
    out = Text()
    for p in parts:
        if isinstance(p, tuple):
            out.append(str(p[0]), style=p[1])
        else:
            out.append(str(p))
    return out
