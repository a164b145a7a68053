"""submission remembers where the first copy of a form answered

Revision ID: once01
Revises: privacy01
Create Date: 2026-12-01 12:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'once01'
down_revision = 'privacy01'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answer', sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_column('answer')
