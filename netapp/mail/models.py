"""The outbox: every e-mail as a row, written in the transaction of the change that causes it.

A row is the whole message as it will go out (headers, both parts, attachments), so the
worker needs nothing but the row to send it, and a retry sends the very same message.
"""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from netapp.auth.models import User, utcnow
from netapp.extensions import db

# What became of a message. WAITING rows are due at next_attempt_at; SENDING rows are
# claimed by one worker (claim names it) since claimed_at; SENT and FAILED are final.
WAITING, SENDING, SENT, FAILED = "waiting", "sending", "sent", "failed"
STATUSES = (WAITING, SENDING, SENT, FAILED)


class OutgoingMail(db.Model):
    """One e-mail to one recipient, from queued to sent (or given up on)."""

    __tablename__ = "outgoing_mail"
    __table_args__ = (sa.Index("ix_outgoing_mail_due", "status", "next_attempt_at"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    recipient: so.Mapped[str] = so.mapped_column(sa.String(254))
    user_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey(User.id, ondelete="SET NULL"), index=True
    )
    # What the mail is about, for the pages that show whether it went out:
    # "meeting-invitation:<meeting id>", "network-invitation:<invitation id>", ...
    topic: so.Mapped[str | None] = so.mapped_column(sa.String(64), index=True)
    message: so.Mapped[bytes] = so.mapped_column(sa.LargeBinary)
    status: so.Mapped[str] = so.mapped_column(sa.String(10), default=WAITING)
    attempts: so.Mapped[int] = so.mapped_column(default=0)
    next_attempt_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    claim: so.Mapped[str | None] = so.mapped_column(sa.String(32))
    claimed_at: so.Mapped[datetime | None]
    sent_at: so.Mapped[datetime | None]
    last_error: so.Mapped[str | None] = so.mapped_column(sa.String(300))

    @staticmethod
    def about(topic: str) -> sa.Select:
        """The mails on one topic, newest first per recipient."""
        return (
            sa.select(OutgoingMail)
            .where(OutgoingMail.topic == topic)
            .order_by(OutgoingMail.id.desc())
        )
