"""the shared tablet's kiosk lock is kept with the device's login, not in its cookie

Revision ID: kiosk02
Revises: invite01
Create Date: 2026-12-01 21:00:00

device_session.kiosk_meeting_id names the meeting whose evaluation kiosk that login is
locked to (NULL: not locked); deleting the meeting unlocks it. Locks held in session
cookies before this are not carried over: a cookie cannot be read here.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'kiosk02'
down_revision = 'invite01'
branch_labels = None
depends_on = None

TABLE, COLUMN = 'device_session', 'kiosk_meeting_id'
KEY = 'fk_device_session_kiosk_meeting_id_meeting'
INDEX = 'ix_device_session_kiosk_meeting_id'


def _sqlite() -> bool:
    return op.get_bind().dialect.name == 'sqlite'


def upgrade():
    # On SQLite the column is added in place with its key inline: batch mode would copy the
    # table, which is not needed for a new nullable column.
    if _sqlite():
        op.execute(f'ALTER TABLE {TABLE} ADD COLUMN {COLUMN} INTEGER CONSTRAINT {KEY} '
                   f'REFERENCES "meeting" (id) ON DELETE SET NULL')
    else:
        op.add_column(TABLE, sa.Column(COLUMN, sa.Integer(), nullable=True))
        op.create_foreign_key(KEY, TABLE, 'meeting', [COLUMN], ['id'], ondelete='SET NULL')
    op.create_index(INDEX, TABLE, [COLUMN], unique=False)


def downgrade():
    op.drop_index(INDEX, table_name=TABLE)
    if _sqlite():  # in place, as it was added
        op.execute(f'ALTER TABLE {TABLE} DROP COLUMN {COLUMN}')
    else:
        op.drop_constraint(KEY, TABLE, type_='foreignkey')
        op.drop_column(TABLE, COLUMN)
