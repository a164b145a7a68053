"""phases of a network, their participants, the meeting's phase, the co-driver

Revision ID: phases01
Revises: room01
Create Date: 2026-12-01 15:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'phases01'
down_revision = 'room01'
branch_labels = None
depends_on = None


# (table, column, the table it refers to, the foreign key's name)
COLUMNS = [
    ('meeting', 'phase_id', 'phase', 'fk_meeting_phase_id_phase'),
    ('network', 'co_driver_id', 'user', 'fk_network_co_driver_id_user'),
]


def _sqlite() -> bool:
    return op.get_bind().dialect.name == 'sqlite'


def upgrade():
    op.create_table(
        'phase',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('network_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=160), nullable=False),
        sa.Column('purpose', sa.Text(), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_phase_phase_ends_after_start')),
        sa.ForeignKeyConstraint(['network_id'], ['network.id'],
                                name=op.f('fk_phase_network_id_network'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_phase')),
    )
    with op.batch_alter_table('phase', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_phase_network_id'), ['network_id'], unique=False)
    op.create_table(
        'phase_participant',
        sa.Column('phase_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['phase_id'], ['phase.id'],
                                name=op.f('fk_phase_participant_phase_id_phase'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'],
                                name=op.f('fk_phase_participant_user_id_user'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('phase_id', 'user_id', name=op.f('pk_phase_participant')),
    )
    with op.batch_alter_table('phase_participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_phase_participant_user_id'), ['user_id'],
                              unique=False)
    # New columns with their foreign keys. On SQLite they are added in place, the key inline
    # (batch mode would copy the table, and dropping the old copy, foreign keys on, would
    # cascade to every meeting's answers and every network's members).
    for table, column, target, key in COLUMNS:
        if _sqlite():
            op.execute(f'ALTER TABLE {table} ADD COLUMN {column} INTEGER CONSTRAINT {key} '
                       f'REFERENCES "{target}" (id) ON DELETE SET NULL')
        else:
            op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
            op.create_foreign_key(key, table, target, [column], ['id'], ondelete='SET NULL')
        op.create_index(f'ix_{table}_{column}', table, [column], unique=False)
    op.add_column('network', sa.Column('size_undecided', sa.Boolean(), nullable=False,
                                       server_default='0'))
    # "3-5 hours" overlapped "half a day": its answers become half a day (3-5 hours).
    network = sa.table('network', sa.column('meeting_length', sa.String))
    op.execute(network.update().where(network.c.meeting_length == 'THREE_TO_FIVE_HOURS')
               .values(meeting_length='HALF_DAY'))


def downgrade():
    op.drop_column('network', 'size_undecided')
    for table, column, _target, key in COLUMNS:
        op.drop_index(f'ix_{table}_{column}', table_name=table)
        if _sqlite():  # in place, as it was added: no copy of the table
            op.execute(f'ALTER TABLE {table} DROP COLUMN {column}')
        else:
            op.drop_constraint(key, table, type_='foreignkey')
            op.drop_column(table, column)
    with op.batch_alter_table('phase_participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_phase_participant_user_id'))
    op.drop_table('phase_participant')
    with op.batch_alter_table('phase', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_phase_network_id'))
    op.drop_table('phase')
