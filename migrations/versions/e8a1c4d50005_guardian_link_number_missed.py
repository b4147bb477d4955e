"""guardian links remember whether a typed student number matched no roster child

Revision ID: e8a1c4d50005
Revises: d7f9b2c30004
Create Date: 2026-12-03 08:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'e8a1c4d50005'
down_revision = 'd7f9b2c30004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('guardian_links') as batch:
        batch.add_column(sa.Column('number_missed', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('guardian_links') as batch:
        batch.drop_column('number_missed')
