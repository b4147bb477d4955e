"""one class of a name per grade and school year; one open quiz attempt per person and course

Revision ID: c5e7a9b10003
Revises: b2d4f6a80002
Create Date: 2026-11-24 01:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c5e7a9b10003'
down_revision = 'b2d4f6a80002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('classes', schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f('uq_classes_school_id'), ['school_id', 'grade', 'name', 'school_year']
        )
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.create_index(
            'uq_quiz_attempts_open', ['user_id', 'course_slug'], unique=True,
            sqlite_where=sa.text('submitted_at IS NULL'), postgresql_where=sa.text('submitted_at IS NULL'),
        )


def downgrade():
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.drop_index('uq_quiz_attempts_open',
                            sqlite_where=sa.text('submitted_at IS NULL'), postgresql_where=sa.text('submitted_at IS NULL'))
    with op.batch_alter_table('classes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_classes_school_id'), type_='unique')
