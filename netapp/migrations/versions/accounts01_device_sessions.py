"""device sessions, e-mail changes by link, calendar-feed tokens stored as hashes

Revision ID: accounts01
Revises: links01
Create Date: 2026-12-01 12:30:00

Data: every calendar-feed token handed out is replaced by its SHA-256, so subscribed
calendars keep working. Every login so far (the user's session token in the cookies)
becomes one device session holding that token's hash, so nobody is logged out by the
upgrade; the user's session token itself is rotated, since it no longer logs anyone in.
"""
import hashlib
import secrets
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'accounts01'
down_revision = 'links01'
branch_labels = None
depends_on = None


def hashed(token: str) -> str:
    """SHA-256 as netapp.auth.models.hash_token stores every secret token."""
    return hashlib.sha256(token.encode()).hexdigest()


user = sa.table('user', sa.column('id', sa.Integer), sa.column('session_token', sa.String))
device_session = sa.table(
    'device_session', sa.column('user_id', sa.Integer), sa.column('token_hash', sa.String),
    sa.column('created_at', sa.DateTime), sa.column('last_seen_at', sa.DateTime),
)


def upgrade():
    op.create_table('device_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_device_session_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_device_session')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_device_session_token_hash'))
    )
    with op.batch_alter_table('device_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_device_session_last_seen_at'), ['last_seen_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_device_session_user_id'), ['user_id'], unique=False)

    op.create_table('email_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('new_email', sa.String(length=254), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_email_change_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_email_change')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_email_change_token_hash')),
    sa.UniqueConstraint('user_id', name=op.f('uq_email_change_user_id'))
    )

    connection = op.get_bind()
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    logins = connection.execute(sa.select(user.c.id, user.c.session_token)).all()
    if logins:
        connection.execute(device_session.insert(), [
            {'user_id': id_, 'token_hash': hashed(token), 'created_at': now, 'last_seen_at': now}
            for id_, token in logins
        ])
    for id_, _token in logins:
        connection.execute(user.update().where(user.c.id == id_)
                           .values(session_token=secrets.token_urlsafe(32)))

    with op.batch_alter_table('calendar_feed', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_hash', sa.String(length=64), nullable=True))
    feed = sa.table('calendar_feed', sa.column('user_id', sa.Integer),
                    sa.column('token', sa.String), sa.column('token_hash', sa.String))
    for user_id, token in connection.execute(sa.select(feed.c.user_id, feed.c.token)).all():
        connection.execute(feed.update().where(feed.c.user_id == user_id)
                           .values(token_hash=hashed(token)))
    with op.batch_alter_table('calendar_feed', schema=None) as batch_op:
        batch_op.alter_column('token_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_constraint(batch_op.f('uq_calendar_feed_token'), type_='unique')
        batch_op.drop_column('token')
        batch_op.create_unique_constraint(batch_op.f('uq_calendar_feed_token_hash'), ['token_hash'])


def downgrade():
    # The plain feed tokens cannot come back from their hashes: every feed gets a new token
    # (its member makes a new address). Device sessions end: everyone logs in again.
    with op.batch_alter_table('calendar_feed', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token', sa.String(length=64), nullable=True))
    connection = op.get_bind()
    feed = sa.table('calendar_feed', sa.column('user_id', sa.Integer), sa.column('token', sa.String))
    for (user_id,) in connection.execute(sa.select(feed.c.user_id)).all():
        connection.execute(feed.update().where(feed.c.user_id == user_id)
                           .values(token=secrets.token_urlsafe(32)))
    with op.batch_alter_table('calendar_feed', schema=None) as batch_op:
        batch_op.alter_column('token', existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_constraint(batch_op.f('uq_calendar_feed_token_hash'), type_='unique')
        batch_op.drop_column('token_hash')
        batch_op.create_unique_constraint(batch_op.f('uq_calendar_feed_token'), ['token'])

    op.drop_table('email_change')
    with op.batch_alter_table('device_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_device_session_user_id'))
        batch_op.drop_index(batch_op.f('ix_device_session_last_seen_at'))

    op.drop_table('device_session')
