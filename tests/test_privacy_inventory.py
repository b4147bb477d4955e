"""Every column of the schema has its purpose, its readers and its retention written down in
PRIVACY.md, and the inventory names no column that does not exist."""

import re

from app.config import PROJECT_ROOT
from app.extensions import db

INVENTORY = PROJECT_ROOT / "PRIVACY.md"
TABLE = re.compile(r"^### `(\w+)`\s*$")
ROW = re.compile(r"^\| `(\w+)` \|(.+)\|\s*$")


def documented() -> dict[str, dict[str, list[str]]]:
    """{table: {column: [purpose, who sees it, kept]}} from the inventory's tables."""
    tables: dict[str, dict[str, list[str]]] = {}
    current = None
    for line in INVENTORY.read_text(encoding="utf-8").splitlines():
        if heading := TABLE.match(line):
            current = tables.setdefault(heading.group(1), {})
        elif line.startswith("## "):
            current = None
        elif current is not None and (row := ROW.match(line)):
            current[row.group(1)] = [cell.strip() for cell in row.group(2).split("|")]
    return tables


def schema() -> dict[str, set[str]]:
    return {table.name: {column.name for column in table.columns} for table in db.metadata.sorted_tables}


def test_every_column_of_every_table_is_in_the_inventory():
    inventory = documented()
    missing = {
        table: sorted(columns - set(inventory.get(table, {})))
        for table, columns in schema().items()
        if columns - set(inventory.get(table, {}))
    }
    assert missing == {}, f"add these columns to PRIVACY.md: {missing}"


def test_the_inventory_names_only_columns_that_exist():
    tables = schema()
    stale = {
        table: sorted(set(columns) - tables.get(table, set()))
        for table, columns in documented().items()
        if set(columns) - tables.get(table, set())
    }
    assert stale == {}


def test_every_column_says_why_who_and_how_long():
    blank = [
        f"{table}.{column}"
        for table, columns in documented().items()
        for column, cells in columns.items()
        if len(cells) != 3 or not all(cells)
    ]
    assert blank == []
