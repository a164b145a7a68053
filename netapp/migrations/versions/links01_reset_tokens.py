"""single-use reset link tokens and forgot-password requests

Revision ID: links01
Revises: access01
Create Date: 2026-12-01 12:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'links01'
down_revision = 'access01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('link_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('password_fingerprint', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_link_token_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_link_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_link_token_token_hash'))
    )
    with op.batch_alter_table('link_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_link_token_user_id'), ['user_id'], unique=False)

    op.create_table('reset_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reset_request'))
    )
    with op.batch_alter_table('reset_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reset_request_address'), ['address'], unique=False)
        batch_op.create_index(batch_op.f('ix_reset_request_at'), ['at'], unique=False)


def downgrade():
    with op.batch_alter_table('reset_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reset_request_at'))
        batch_op.drop_index(batch_op.f('ix_reset_request_address'))

    op.drop_table('reset_request')
    with op.batch_alter_table('link_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_link_token_user_id'))

    op.drop_table('link_token')
