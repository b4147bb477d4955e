"""Reading a class roster from a CSV file: pure (no database, no request).

`parse_roster` decodes the bytes (UTF-8 or GBK, as Excel in China saves them), finds the rows and
checks every one, so a teacher fixes the file in one go: each problem carries its line number.
app/classes/roster_import.py writes the rows.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from app.auth.forms import MAINLAND_MOBILE
from app.canonical import canonical_phone, canonical_student_number
from app.classes.roster_text import SPREADSHEETS, QuotingError, RosterError, decode, split_records
from app.classes.services import clean_name

MAX_ROWS = 200


NAME_MAX = 30


NUMBER_MAX = 32


_NUMBER = re.compile(r"^[A-Z0-9]+$")  # after canonical_student_number: hyphens and spaces gone


_HEADER_WORDS = ("姓名", "学号", "电话", "手机", "号码", "name", "number", "phone", "mobile")


_HEADER_CELLS = ("学生", "名字", "student", "no", "no.", "#")


@dataclass(frozen=True)
class RosterRow:
    """One checked line of the file: a student to add or update."""

    line: int
    name: str
    student_number: str | None
    guardian_phone: str | None


@dataclass
class ParseResult:
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RosterError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _whole_file(message) -> ParseResult:
    return ParseResult(errors=[RosterError(None, message)])


def _is_header(cells: list[str]) -> bool:
    """A first row naming the columns (姓名 / 学号 / 家长电话, Name / Number / Phone…): no child is
    called that, so the words are safe to look for."""
    cells = [cell.lower() for cell in cells]
    return any(word in cell for cell in cells for word in _HEADER_WORDS) or any(
        c in _HEADER_CELLS for c in cells
    )


def _shown(value: str) -> str:
    """A bad value quoted back to the teacher, cut short if it is long."""
    return value if len(value) <= 20 else value[:20] + "…"


def _check_record(line: int, cells: list[str]) -> tuple[RosterRow | None, list[RosterError]]:
    """One record → a row, or the list of what is wrong with it."""
    if len(cells) > 3:
        msg = _l(
            "Line %(line)d has more than three columns. Keep only the name, student number and "
            "guardian phone.",
            line=line,
        )
        return None, [RosterError(line, msg)]
    cells = cells + [""] * (3 - len(cells))
    name = clean_name(cells[0])
    typed_number = unicodedata.normalize("NFKC", cells[1]).strip()
    number = canonical_student_number(typed_number)
    raw_phone = unicodedata.normalize("NFKC", cells[2]).strip()
    phone = canonical_phone(raw_phone)
    errors = []
    if not name:
        errors.append(_l("Line %(line)d: the student's name is missing.", line=line))
    elif len(name) > NAME_MAX:
        errors.append(
            _l("Line %(line)d: the name is longer than %(max)d characters.", line=line, max=NAME_MAX)
        )
    if number and (len(number) > NUMBER_MAX or not _NUMBER.match(number)):
        msg = _l(
            "Line %(line)d: the student number “%(value)s” may only have letters, digits and hyphens "
            "(at most %(max)d).",
            line=line,
            value=_shown(typed_number),
            max=NUMBER_MAX,
        )
        errors.append(msg)
    if raw_phone and "E+" in raw_phone.upper():
        msg = _l(
            "Line %(line)d: the phone number reads “%(value)s”: the spreadsheet turned it into a number. "
            "Format the column as text and save the file again.",
            line=line,
            value=_shown(raw_phone),
        )
        errors.append(msg)
    elif raw_phone and not MAINLAND_MOBILE.match(phone):
        msg = _l(
            "Line %(line)d: “%(value)s” is not an 11-digit mainland mobile number.",
            line=line,
            value=_shown(raw_phone),
        )
        errors.append(msg)
    if errors:
        return None, [RosterError(line, message) for message in errors]
    return RosterRow(line, name, number or None, phone or None), []


def _duplicates(rows: list[RosterRow]) -> list[RosterError]:
    """The same student number twice, or a name without a number that another line also has
    (then nobody could tell which child it means)."""
    first_number: dict[str, int] = {}
    lines_by_name: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        lines_by_name[row.name].append(row.line)
    errors = []
    for row in rows:
        if row.student_number:
            other = first_number.setdefault(row.student_number, row.line)
            if other != row.line:
                msg = _l(
                    "Line %(line)d: student number %(number)s is also on line %(other)d.",
                    line=row.line,
                    number=row.student_number,
                    other=other,
                )
                errors.append(RosterError(row.line, msg))
        else:
            others = [line for line in lines_by_name[row.name] if line != row.line]
            if others:
                msg = _l(
                    "Line %(line)d: %(name)s is also on line %(other)d. Add the student numbers so the "
                    "two can be told apart.",
                    line=row.line,
                    name=row.name,
                    other=others[0],
                )
                errors.append(RosterError(row.line, msg))
    return errors


def parse_roster(data: bytes) -> ParseResult:
    """Read a roster CSV: name, optional student number, optional guardian phone per line; a
    header row and blank lines are skipped. Either every row, or every problem found."""
    if data.startswith(SPREADSHEETS):
        return _whole_file(
            _l("This is an Excel workbook. In Excel choose Save As → CSV, then upload that file.")
        )
    text = decode(data)
    if text is None:
        return _whole_file(_l("This file is not a CSV text file. Please save the class list as CSV."))
    try:
        records, quoting = split_records(text)
    except QuotingError as broken:
        return ParseResult(
            errors=[
                RosterError(
                    broken.line,
                    _l(
                        "Line %(line)d has a quotation mark that does not close, or text after a "
                        "closing one, so the lines after it cannot be read. Please check the "
                        "quotation marks on that line.",
                        line=broken.line,
                    ),
                )
            ]
        )
    except csv.Error:
        return _whole_file(_l("This file could not be read as CSV. Please save the class list as CSV."))
    if records and _is_header(records[0][1]):
        records = records[1:]
    if not records and not quoting:
        return _whole_file(_l("The file has no students in it."))
    if len(records) > MAX_ROWS:
        return _whole_file(
            _l(
                "The file has %(count)d rows; a roster file can have at most %(max)d. "
                "Please upload one class at a time.",
                count=len(records),
                max=MAX_ROWS,
            )
        )
    result = ParseResult(errors=list(quoting))
    for line, cells in records:
        row, errors = _check_record(line, cells)
        result.errors.extend(errors)
        if row is not None:
            result.rows.append(row)
    result.errors.extend(_duplicates(result.rows))
    result.errors.sort(key=lambda error: error.line or 0)
    if result.errors:
        result.rows = []
    return result
