"""the agenda runs the room: each item's clock, exercises made from an item, their names

Revision ID: room01
Revises: calendar01
Create Date: 2026-12-01 15:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'room01'
down_revision = 'calendar01'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=10), nullable=False,
                                      server_default='ready'))
        batch_op.add_column(sa.Column('started_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('ended_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('extra_seconds', sa.Integer(), nullable=False,
                                      server_default='0'))
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('run_version', sa.Integer(), nullable=False,
                                      server_default='0'))
    with op.batch_alter_table('exercise', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agenda_item_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('title', sa.String(length=200), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('joining_facilitator_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_exercise_joining_facilitator_id_user'), 'user',
                                    ['joining_facilitator_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index(batch_op.f('ix_exercise_agenda_item_id'), ['agenda_item_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_exercise_agenda_item_id_agenda_item'), 'agenda_item',
                                    ['agenda_item_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('meeting_evaluation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kiosk_pin_hash', sa.String(length=200), nullable=False,
                                      server_default=''))


def downgrade():
    with op.batch_alter_table('meeting_evaluation', schema=None) as batch_op:
        batch_op.drop_column('kiosk_pin_hash')
    with op.batch_alter_table('exercise', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_exercise_agenda_item_id_agenda_item'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_exercise_joining_facilitator_id_user'),
                                 type_='foreignkey')
        batch_op.drop_column('joining_facilitator_id')
        batch_op.drop_index(batch_op.f('ix_exercise_agenda_item_id'))
        batch_op.drop_column('title')
        batch_op.drop_column('agenda_item_id')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_column('run_version')
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.drop_column('extra_seconds')
        batch_op.drop_column('ended_at')
        batch_op.drop_column('started_at')
        batch_op.drop_column('status')
