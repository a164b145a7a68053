"""coordinator changes: the history of who became or stopped being a network's coordinator

Revision ID: privacy01
Revises: accounts01
Create Date: 2026-12-01 12:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'privacy01'
down_revision = 'accounts01'
branch_labels = None
depends_on = None

HOW = ('CREATED', 'APPOINTED', 'UNAPPOINTED', 'ROLE', 'HAND_ON', 'INVITATION', 'LEFT',
       'REMOVED', 'DELETED')


def upgrade():
    op.create_table('coordinator_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('became', sa.Boolean(), nullable=False),
    sa.Column('how', sa.Enum(*HOW, name='coordinatorhow', native_enum=False, length=20), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['user.id'], name=op.f('fk_coordinator_change_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['network_id'], ['network.id'], name=op.f('fk_coordinator_change_network_id_network'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_coordinator_change_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coordinator_change'))
    )
    with op.batch_alter_table('coordinator_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coordinator_change_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_coordinator_change_by_id'), ['by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coordinator_change_network_id'), ['network_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coordinator_change_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('coordinator_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coordinator_change_user_id'))
        batch_op.drop_index(batch_op.f('ix_coordinator_change_network_id'))
        batch_op.drop_index(batch_op.f('ix_coordinator_change_by_id'))
        batch_op.drop_index(batch_op.f('ix_coordinator_change_at'))
    op.drop_table('coordinator_change')
