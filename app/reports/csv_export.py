"""CSV exports of report tables, for school staff who open them in Excel (often Chinese Excel or WPS).

Exports hold counts and rates only: they never contain personal contact data (no phone numbers,
no e-mail addresses), so nothing here masks anything. Keep it that way when adding columns.

What Excel needs, and why each rule is here:
- a UTF-8 byte-order mark first, or Excel reads the file in the system code page (GBK in China);
- numbers written as bare numbers (`12`, `0`, `45.0`), so sums and sorting work in the sheet;
- text that Excel would run as a formula prefixed with `'`: `=`, `+`, `-`, `@`, tab or CR first,
  and also their full-width forms (`＝＋－＠`, which Excel and WPS fold to ASCII) and any of
  them behind invisible characters (zero-width space, BOM, bidi marks: Unicode category Cf) or
  leading spaces, which a spreadsheet drops before it parses the cell.

Hidden figures (app/reports/small_cells.py: staff and the bureau see no count of 1 to 4 people)
are written as text in their otherwise numeric column: a count as `<5` (fewer than the
threshold, whatever it is set to) or `hidden` in the reader's language (withheld so that a
small count cannot be worked out from the totals), a rate or an average over a hidden count as
`—`. Text, not a number and not an empty cell: a reader sees that something is there and why,
Excel's SUM and sorting skip it instead of counting it as 0, and the file's totals row (decided
with the hidden cells, never re-added from what is shown) stays the one true total.

The file is streamed: rows may be a lazy query over a whole city, and the totals row is built
from running sums while the rows go out.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal
from urllib.parse import quote
from zoneinfo import ZoneInfo

from flask import Response, stream_with_context
from flask_babel import gettext as _

from app.reports.cells import Hidden
from app.web.http import private

Kind = Literal["text", "int", "rate"]
Total = Literal["sum", "ratio"] | None

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NO_RATE = "—"
CHUNK_CHARS = 16 * 1024
ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class Column:
    """One column of an export.

    `kind` "rate" takes a 0–1 fraction and writes it as a percentage number with one decimal
    (0.45 → `45.0`); its header gets " (%)" unless it already shows a "%". In the totals row a
    column is summed (`total="sum"`, int columns), recomputed as sum(part) / sum(whole) with
    `ratio_of=(part_key, whole_key)` (`total="ratio"`, rate columns), or left empty (None).
    The part and whole keys are summed from the rows even when they are not shown as columns.
    """

    key: str
    header: str
    kind: Kind = "text"
    total: Total = None
    ratio_of: tuple[str, str] | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("text", "int", "rate"):
            raise ValueError(f"column {self.key!r}: unknown kind {self.kind!r}")
        if self.total not in ("sum", "ratio", None):
            raise ValueError(f"column {self.key!r}: unknown total {self.total!r}")
        if self.total == "sum" and self.kind != "int":
            raise ValueError(f"column {self.key!r}: only int columns can be summed")
        if (self.total == "ratio") != (self.ratio_of is not None):
            raise ValueError(f"column {self.key!r}: total='ratio' and ratio_of go together")
        if self.total == "ratio" and self.kind != "rate":
            raise ValueError(f"column {self.key!r}: only rate columns can be a ratio")

    @property
    def heading(self) -> str:
        """The header cell: rates say they are percentages."""
        if self.kind == "rate" and "%" not in self.header:
            return f"{self.header} (%)"
        return self.header


def csv_response(
    filename_stem: str,
    columns: list[Column],
    rows: Iterable[Mapping],
    *,
    totals_label: str | None,
    now: datetime,
    tz: str,
    totals: Mapping | None = None,
) -> Response:
    """A streamed CSV download of `rows`, named `<stem>-YYYYMMDD-HHMM.csv` in time zone `tz`.

    `now` must be aware (it is usually `utcnow()`). With `totals_label` a totals row ends the file,
    the label in the first column, summed from the rows as they go out; with `totals` (a row, its
    label under the first column's key) that row ends the file instead, as given: rows with
    hidden cells cannot be summed. Call it inside a request (a view): the rows are pulled while
    the response is sent, with the request and app contexts still pushed.
    """
    if not columns:
        raise ValueError("an export needs at least one column")
    if totals_label is not None and columns[0].total is not None:
        raise ValueError("the first column holds the totals label, so it cannot have a total")
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    stamp = now.astimezone(ZoneInfo(tz)).strftime("%Y%m%d-%H%M")
    body = stream_with_context(_lines(columns, rows, totals_label, totals))
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = content_disposition(filename_stem, f"-{stamp}.csv")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return private(response)


def content_disposition(stem: str, suffix: str) -> str:
    """`attachment; filename="<stem><suffix>"`, ASCII only (letters, digits, `.`, `_`, `-`; "export"
    when nothing is left), plus the exact name (RFC 5987 `filename*`) when the stem is not ASCII."""
    exact = re.sub(r'[\x00-\x1f\x7f/\\:*?"<>|;]+', "_", stem).strip()
    ascii_stem = unicodedata.normalize("NFKD", exact).encode("ascii", "ignore").decode("ascii")
    ascii_stem = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_stem).strip("-._") or "export"
    header = f'attachment; filename="{ascii_stem}{suffix}"'
    if not exact.isascii():
        header += f"; filename*=UTF-8''{quote(exact + suffix, safe='')}"
    return header


def _lines(
    columns: list[Column], rows: Iterable[Mapping], totals_label: str | None, totals: Mapping | None
) -> Iterator[str]:
    """BOM and header at once, then rows in chunks of about CHUNK_CHARS, then the totals row."""
    writer = csv.writer(_Passthrough())
    yield BOM + writer.writerow([safe_text(column.heading) for column in columns])
    summed = set()
    if totals is None and totals_label is not None:
        summed = {c.key for c in columns if c.total == "sum"}
        summed.update(key for c in columns if c.ratio_of for key in c.ratio_of)
    sums = dict.fromkeys(summed, 0)
    chunk: list[str] = []
    size = 0
    for row in rows:
        for key in summed:
            sums[key] += _whole(row[key])
        line = writer.writerow([_cell(column, row[column.key]) for column in columns])
        chunk.append(line)
        size += len(line)
        if size >= CHUNK_CHARS:
            yield "".join(chunk)
            chunk, size = [], 0
    if totals is not None:
        chunk.append(writer.writerow(_given_totals(columns, totals)))
    elif totals_label is not None:
        chunk.append(writer.writerow(_totals(columns, sums, totals_label)))
    if chunk:
        yield "".join(chunk)


def _totals(columns: list[Column], sums: dict[str, int], label: str) -> list[str]:
    cells = [safe_text(label)]
    for column in columns[1:]:
        if column.total == "sum":
            cells.append(str(sums[column.key]))
        elif column.ratio_of:
            part, whole = (sums[key] for key in column.ratio_of)
            cells.append(percent(Decimal(part) / whole if whole else 0))
        else:
            cells.append("")
    return cells


def _given_totals(columns: list[Column], totals: Mapping) -> list[str]:
    """A totals row as given: the label, then the cells of the columns that have a total."""
    cells = [safe_text(str(totals[columns[0].key]))]
    cells += [_cell(c, totals.get(c.key)) if c.total else "" for c in columns[1:]]
    return cells


def _cell(column: Column, value: object) -> str:
    if isinstance(value, Hidden):
        return hidden_text(column, value)
    if column.kind == "int":
        return str(_whole(value))
    if column.kind == "rate":
        return percent(value)
    return safe_text("" if value is None else str(value))


def _whole(value: object) -> int:
    """A count as an int; None (an outer join with nothing behind it) counts as 0."""
    if value is None:
        return 0
    number = int(value)  # type: ignore[call-overload]
    if number != value:
        raise ValueError(f"not a whole number: {value!r}")
    return number


def percent(fraction: object) -> str:
    """A 0–1 fraction as a percentage with one decimal, rounded half up: 0.4567 → `45.7`.

    None (a rate of nothing, e.g. a class with no parents yet) is written `0.0`: a number cell
    is never empty, so Excel's sums and sorting see a number.
    """
    if fraction is None:
        return "0.0"
    value = (Decimal(str(fraction)) * 100).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
    return str(value.copy_abs() if value.is_zero() else value)


def hidden_text(column: Column, value: Hidden) -> str:
    """A hidden cell: `<5` or `hidden` for a count, `—` for a rate or an average."""
    if column.kind != "int":
        return NO_RATE
    return value.short if value.reason == "small" else safe_text(_("hidden"))


def safe_text(text: str) -> str:
    """Text that Excel will show, not run: a formula-like start gets a leading apostrophe.

    The start is judged as a spreadsheet reads it: invisible format characters (category Cf:
    U+200B, U+FEFF, U+202E, …) dropped, compatibility forms folded (NFKC: `＝` → `=`) and leading
    whitespace stripped. Only the apostrophe is added; the text itself is kept as it was.
    """
    if text.startswith(FORMULA_STARTS) or _as_read(text).startswith(FORMULA_STARTS[:4]):
        return f"'{text}"
    return text


def _as_read(text: str) -> str:
    visible = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    folded = unicodedata.normalize("NFKC", visible)
    return "".join(ch for ch in folded if unicodedata.category(ch) != "Cf").lstrip()


class _Passthrough:
    """A file for csv.writer whose write() hands the line back, so rows can be yielded one by one."""

    def write(self, line: str) -> str:
        return line
