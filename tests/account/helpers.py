"""What the account tests call."""

from sqlalchemy import func, select

from app.extensions import db


def rows_naming(user_id: int) -> dict[str, int]:
    """Every row of every table with a column pointing at this account (or being it)."""
    found = {}
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if any(fk.column.table.name == "users" for fk in c.foreign_keys)]
        if table.name == "users":
            columns.append(table.c.id)
        for column in columns:
            n = db.session.scalar(select(func.count()).select_from(table).where(column == user_id))
            if n:
                found[f"{table.name}.{column.name}"] = n
    return found
