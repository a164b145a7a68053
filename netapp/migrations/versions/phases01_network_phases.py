"""phases of a network, their participants, the meeting's phase, the co-driver

Revision ID: phases01
Revises: once01
Create Date: 2026-12-01 15:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'phases01'
down_revision = 'once01'
branch_labels = None
depends_on = None


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
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phase_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_meeting_phase_id'), ['phase_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_meeting_phase_id_phase'), 'phase',
                                    ['phase_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('network', schema=None) as batch_op:
        batch_op.add_column(sa.Column('size_undecided', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('co_driver_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_network_co_driver_id'), ['co_driver_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_network_co_driver_id_user'), 'user',
                                    ['co_driver_id'], ['id'], ondelete='SET NULL')
    # "3-5 hours" overlapped "half a day": its answers become half a day (3-5 hours).
    network = sa.table('network', sa.column('meeting_length', sa.String))
    op.execute(network.update().where(network.c.meeting_length == 'THREE_TO_FIVE_HOURS')
               .values(meeting_length='HALF_DAY'))


def downgrade():
    with op.batch_alter_table('network', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_network_co_driver_id_user'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_network_co_driver_id'))
        batch_op.drop_column('co_driver_id')
        batch_op.drop_column('size_undecided')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_meeting_phase_id_phase'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_meeting_phase_id'))
        batch_op.drop_column('phase_id')
    with op.batch_alter_table('phase_participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_phase_participant_user_id'))
    op.drop_table('phase_participant')
    with op.batch_alter_table('phase', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_phase_network_id'))
    op.drop_table('phase')
