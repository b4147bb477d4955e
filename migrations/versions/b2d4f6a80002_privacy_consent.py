"""privacy consent: when and on which notice version a parent agreed, for themself and the child

Revision ID: b2d4f6a80002
Revises: a1c3e5510001
Create Date: 2026-11-25 00:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b2d4f6a80002'
down_revision = 'a1c3e5510001'
branch_labels = None
depends_on = None


def upgrade():
    # Nullable: accounts and links made before consent was asked have none recorded.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('privacy_consent_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('privacy_version', sa.String(length=20), nullable=True))
    with op.batch_alter_table('guardian_links', schema=None) as batch_op:
        batch_op.add_column(sa.Column('child_consent_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('child_consent_version', sa.String(length=20), nullable=True))


def downgrade():
    with op.batch_alter_table('guardian_links', schema=None) as batch_op:
        batch_op.drop_column('child_consent_version')
        batch_op.drop_column('child_consent_at')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('privacy_version')
        batch_op.drop_column('privacy_consent_at')
