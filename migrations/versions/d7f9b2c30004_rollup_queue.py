"""the roll-up queue: classes whose report roll-ups wait for `flask reports drain`

Revision ID: d7f9b2c30004
Revises: c5e7a9b10003
Create Date: 2026-11-24 06:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'd7f9b2c30004'
down_revision = 'c5e7a9b10003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'rollup_queue',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('class_id', sa.Integer(), nullable=False),
        sa.Column('weekly', sa.Boolean(), nullable=False),
        sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_rollup_queue')),
    )


def downgrade():
    op.drop_table('rollup_queue')
