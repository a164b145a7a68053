"""Rows that belong to no single domain."""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from netapp.auth.models import utcnow
from netapp.extensions import db


class Submission(db.Model):
    """A form's one-time token, claimed when it is first submitted (double taps store once)."""

    token: so.Mapped[str] = so.mapped_column(sa.String(64), primary_key=True)
    # Where the first copy answered (a page of this app), so a repeat can answer the same.
    answer: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow, index=True)
