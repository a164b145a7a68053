"""one open invitation per network and address, held by a unique index

Revision ID: invite01
Revises: kiosk01
Create Date: 2026-12-01 17:45:00

An invitation's open_email is its normalised address while it can be used, NULL once it
is accepted, revoked or expired; (network_id, open_email) is unique. Addresses invited
twice before this (two coordinators at the same instant) keep their newest invitation;
the older ones are revoked, so each address has one working link.
"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'invite01'
down_revision = 'kiosk01'
branch_labels = None
depends_on = None

INDEX = 'uq_invitation_open_email'


def upgrade():
    op.add_column('invitation', sa.Column('open_email', sa.String(length=254), nullable=True))
    invitation = sa.table(
        'invitation', sa.column('id', sa.Integer), sa.column('network_id', sa.Integer),
        sa.column('email', sa.String), sa.column('open_email', sa.String),
        sa.column('expires_at', sa.DateTime), sa.column('accepted_at', sa.DateTime),
        sa.column('revoked_at', sa.DateTime), sa.column('declined_at', sa.DateTime),
    )
    now = datetime.now(UTC).replace(tzinfo=None)
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(invitation.c.id, invitation.c.network_id, invitation.c.email)
        .where(invitation.c.email.is_not(None), invitation.c.accepted_at.is_(None),
               invitation.c.revoked_at.is_(None), invitation.c.declined_at.is_(None),
               invitation.c.expires_at > now)
        .order_by(invitation.c.id.desc())
    ).all()
    kept, older = {}, []
    for row in rows:  # newest first: the first of each address is kept open
        key = (row.network_id, row.email.strip().lower())
        if key in kept:
            older.append(row.id)
        else:
            kept[key] = row.id
    for (_network, address), row_id in kept.items():
        bind.execute(sa.update(invitation).where(invitation.c.id == row_id)
                     .values(open_email=address))
    if older:
        bind.execute(sa.update(invitation).where(invitation.c.id.in_(older))
                     .values(revoked_at=now))
    op.create_index(INDEX, 'invitation', ['network_id', 'open_email'], unique=True)


def downgrade():
    op.drop_index(INDEX, table_name='invitation')
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_column('open_email')
