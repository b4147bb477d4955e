"""Reads over the bureau tree."""

from sqlalchemy import select

from app.extensions import db
from app.orgs.models import Bureau


def bureau_subtree_ids(bureau_id: int) -> list[int]:
    """The bureau and every bureau beneath it, by a recursive query (one round trip)."""
    tree = select(Bureau.id).where(Bureau.id == bureau_id).cte("tree", recursive=True)
    tree = tree.union_all(select(Bureau.id).where(Bureau.parent_id == tree.c.id))
    return list(db.session.scalars(select(tree.c.id)))
