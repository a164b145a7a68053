"""the shared tablet's wrong PINs are counted in the database

Revision ID: kiosk01
Revises: phases01
Create Date: 2026-12-01 17:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'kiosk01'
down_revision = 'phases01'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meeting_evaluation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kiosk_wrong_pins', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('kiosk_blocked_until', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('meeting_evaluation', schema=None) as batch_op:
        batch_op.drop_column('kiosk_blocked_until')
        batch_op.drop_column('kiosk_wrong_pins')
