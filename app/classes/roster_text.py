"""A roster file as text: its encoding (UTF-8 or GBK, as Excel in China saves them; a spreadsheet
saved as .xlsx or .xls is recognised and refused), its delimiter, and its records with the
line each starts on, a stray quote reported where it is. Pure."""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

_DELIMITERS = (",", "\t", ";")


SPREADSHEETS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # .xlsx (a zip) and the old .xls


@dataclass(frozen=True)
class RosterError:
    """What is wrong, already saying where (`line` is None for a problem with the whole file)."""

    line: int | None
    message: LazyString

    @property
    def text(self) -> str:
        """The message as plain text. Jinja takes a LazyString for safe HTML, and this one quotes
        the file back, so templates show `text`, which they escape."""
        return str(self.message)


def decode(data: bytes) -> str | None:
    """UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's "Unicode text"), else GB18030, the
    superset of GBK that Excel uses in China. None when the bytes are not text."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if any(unicodedata.category(ch) == "Cc" and ch not in "\t\r\n" for ch in text):
            return None
        return text
    return None


def delimiter_of(text: str) -> str:
    """Comma, tab or semicolon, whichever the first lines use most (a single column: comma)."""
    sample = text[:4000]
    counts = {d: sample.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # the line ends the csv module counts


def _stray_quote(line: str, delimiter: str) -> bool:
    """A quotation mark inside a cell that does not start with one (`刘"洋`): Python's reader
    keeps it as part of the name, but in CSV only a quoted cell may hold one, doubled (`"刘""洋"`).
    `line` is a whole record on one line."""
    quoted, at_start, i = False, True, 0
    while i < len(line):
        ch = line[i]
        if quoted:
            if ch == '"' and line[i + 1 : i + 2] == '"':
                i += 1  # a doubled quotation mark inside a quoted cell
            elif ch == '"':
                quoted = False
        elif ch == '"':
            if not at_start:
                return True
            quoted = True
        at_start = not quoted and ch == delimiter
        i += 1
    return False


class QuotingError(ValueError):
    """A quotation mark that does not close, or text after a closing one: the file's rows cannot
    be told apart from that line on, so nothing is read (and nothing written)."""

    def __init__(self, line: int):
        super().__init__(line)
        self.line = line


def split_records(text: str) -> tuple[list[tuple[int, list[str]]], list[RosterError]]:
    """Non-blank records with the line each starts on, and what is wrong with their quoting;
    cells trimmed of spaces and invisible characters (a zero-width space pasted from a web page),
    empty trailing cells dropped. A Chinese comma typed in a text editor counts as a comma.

    Quoting is read strictly: a quotation mark that never closes, or text after a closing one,
    raises QuotingError with the line it starts on; a quoted cell that runs over several lines,
    or a quotation mark inside an unquoted cell, is an error of that record."""
    text = text.replace("，", ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text), strict=True)
    lines = _LINE_BREAK.split(text)
    records, errors = [], []
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as broken:
            raise QuotingError(start) from broken
        end, first = reader.line_num, start
        start = end + 1
        cells = ["".join(ch for ch in cell if unicodedata.category(ch) != "Cf").strip() for cell in cells]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        if end > first:
            errors.append(
                RosterError(
                    first,
                    _l(
                        "Line %(line)d: a quotation mark there makes lines %(line)d to %(end)d one row. "
                        "Please check the quotation marks on that line.",
                        line=first,
                        end=end,
                    ),
                )
            )
        elif _stray_quote(lines[first - 1] if first <= len(lines) else "", reader.dialect.delimiter):
            errors.append(
                RosterError(
                    first,
                    _l("Line %(line)d has a quotation mark inside a cell. Please remove it.", line=first),
                )
            )
        else:
            records.append((first, cells))
    return records, errors
