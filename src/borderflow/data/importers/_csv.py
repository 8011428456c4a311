"""Careful reading of delimited text files: size cap, UTF-8, field counts, line numbers."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from borderflow.errors import InputError

MAX_BYTES = 200 * 1024 * 1024
_MAGIC = {b"PK\x03\x04": "a zip archive or Excel workbook (save each sheet as CSV first)",
          b"\x1f\x8b": "a gzip-compressed file (decompress it first)",
          b"%PDF": "a PDF document (convert the table to CSV first)",
          b"\xd0\xcf\x11\xe0": "an old Excel workbook (save each sheet as CSV first)"}


def normalise_header(name: str) -> str:
    """``'Fiscal\\nYear'`` -> ``'Fiscal Year'``; strips a BOM and surrounding blanks."""
    return " ".join(name.replace("\ufeff", "").split())


def check_file(path: str | Path) -> Path:
    """Existence, kind and size checks that run before a single byte is parsed."""
    p = Path(path)
    if not p.exists():
        raise InputError("no such file", file=str(p))
    if not p.is_file():
        raise InputError("not a regular file", file=str(p), expected="a CSV file")
    size = p.stat().st_size
    if size == 0:
        raise InputError("the file is empty", file=str(p), expected="a header row and data rows")
    if size > MAX_BYTES:
        raise InputError(f"the file is {size / 2**20:,.0f} MB, over the "
                         f"{MAX_BYTES // 2**20} MB import limit", file=str(p),
                         expected="a smaller file (split it by fiscal year)")
    return p


def _decode(data: bytes, path: Path) -> str:
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise InputError(f"this looks like {what}", file=str(path), line=1,
                             expected="a plain-text CSV file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(f"byte 0x{data[exc.start]:02X} at column {col} is not UTF-8 text",
                         file=str(path), line=line,
                         expected="UTF-8 text (re-save the file as UTF-8)") from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InputError("the file holds NUL bytes (binary data)", file=str(path), line=line,
                         expected="a plain-text CSV file")
    return text.removeprefix("\ufeff")


def sniff_delimiter(first_line: str) -> str:
    return "|" if first_line.count("|") > first_line.count(",") else ","


def read_header(path: str | Path) -> tuple[list[str], str]:
    """The normalised header row and the delimiter, reading only the start of the file."""
    p = check_file(path)
    with p.open("rb") as fh:
        head = fh.read(65536)
    cut = head.rfind(b"\n") if len(head) == 65536 else len(head)
    text = _decode(head[: cut if cut > 0 else len(head)], p)
    delimiter = sniff_delimiter(text.split("\n", 1)[0])
    try:
        row = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
    except csv.Error as exc:
        raise InputError(f"unreadable header row ({exc})", file=str(p), line=1) from None
    header = [normalise_header(h) for h in row]
    if not any(header):
        raise InputError("the first row is blank", file=str(p), line=1,
                         expected="a header row with column names")
    return header, delimiter


@dataclass
class Table:
    """Rows of a delimited file as text, with the physical line number of each row."""

    path: str
    columns: list[str]
    frame: pd.DataFrame
    lines: np.ndarray

    def __len__(self) -> int:
        return len(self.frame)

    def col(self, name: str) -> pd.Series:
        return self.frame[name]

    def error(self, message: str, row: int | None = None, field: str | None = None,
              expected: str | None = None) -> InputError:
        line = int(self.lines[row]) if row is not None else None
        return InputError(message, file=self.path, field=field, line=line, expected=expected)


def _parse(text: str, path: str, delimiter: str, stop_at_blank: bool):
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows, lines, header = [], [], None
    try:
        for row in reader:
            if header is None:
                header = [normalise_header(h) for h in row]
                continue
            if not "".join(row).strip():
                if stop_at_blank:
                    break
                continue
            rows.append(row)
            lines.append(reader.line_num)
    except csv.Error as exc:
        raise InputError(f"malformed CSV ({exc}); is the file truncated?", file=path,
                         line=reader.line_num, expected="properly quoted fields") from None
    return header or [], rows, lines


def _check_widths(header: list[str], rows: list[list[str]], lines: list[int], path: str):
    width = len(header)
    for i, row in enumerate(rows):
        if len(row) != width:
            hint = "; the file looks truncated" if i == len(rows) - 1 and len(row) < width else ""
            raise InputError(f"row has {len(row)} fields, the header has {width}{hint}",
                             file=path, line=lines[i], expected=f"{width} fields")


def read_table(path: str | Path, required: list[str], stop_at_blank: bool = False) -> Table:
    """Read a whole delimited file as text cells, checking header, widths and emptiness."""
    p = check_file(path)
    text = _decode(p.read_bytes(), p)
    delimiter = sniff_delimiter(text.split("\n", 1)[0])
    header, rows, lines = _parse(text, str(p), delimiter, stop_at_blank)
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(f"missing column {missing[0]!r}", file=str(p), line=1,
                         field=missing[0], expected="columns " + ", ".join(required))
    dups = {h for h in header if header.count(h) > 1 and h}
    if dups:
        raise InputError("column appears twice", file=str(p), line=1, field=sorted(dups)[0])
    _check_widths(header, rows, lines, str(p))
    if not rows:
        raise InputError("no data rows after the header", file=str(p), line=1,
                         expected="at least one data row")
    frame = pd.DataFrame(rows, columns=header, dtype="str")
    for c in frame.columns:
        frame[c] = frame[c].str.strip()
    return Table(str(p), header, frame, np.asarray(lines, dtype="int64"))
