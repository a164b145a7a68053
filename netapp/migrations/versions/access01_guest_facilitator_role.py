"""guest facilitator role: external facilitators (participants per phase) become guests

The network's own facilitator (role FACILITATOR) opens and runs every meeting of the
network; a guest facilitator (GUEST) only the meetings whose facilitation task they hold.
Until now the invite form made every facilitator an external guest, a participant per
phase, so those memberships and invitations become GUEST; a facilitator who is a core
participant (as the demo's) is the network's own and stays FACILITATOR.

Revision ID: access01
Revises: 0b726f786498
Create Date: 2026-12-01 12:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'access01'
down_revision = '0b726f786498'
branch_labels = None
depends_on = None

TABLES = ('membership', 'invitation')


def _set_role(table: str, old: str, new: str, participation: str | None) -> None:
    rows = sa.table(table, sa.column('role', sa.String), sa.column('participation', sa.String))
    where = rows.c.role == old
    if participation is not None:
        where = sa.and_(where, rows.c.participation == participation)
    op.execute(rows.update().where(where).values(role=new))


def upgrade():
    for table in TABLES:
        _set_role(table, 'FACILITATOR', 'GUEST', 'PHASE')


def downgrade():
    for table in TABLES:
        _set_role(table, 'GUEST', 'FACILITATOR', None)
