"""People who log in."""

import secrets
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from netapp.extensions import db


def utcnow() -> datetime:
    """Now, in UTC, as stored everywhere in netapp."""
    return datetime.now(UTC).replace(tzinfo=None)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_password(password: str) -> str:
    """scrypt, as every password in netapp is stored."""
    return generate_password_hash(password, method="scrypt")


# Where Flask-Login keeps the logged-in user's User.get_id() in the session.
LOGIN_SESSION_KEY = "_user_id"


class User(UserMixin, db.Model):
    """An account: a member, coordinator, facilitator or organisation admin."""

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    email: so.Mapped[str] = so.mapped_column(sa.String(254), unique=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(120))
    password_hash: so.Mapped[str] = so.mapped_column(sa.String(256))
    language: so.Mapped[str] = so.mapped_column(sa.String(5), default="da")
    # The id Flask-Login keeps in the session and remember cookie; rotating it ends
    # every session of this user (logout, password change, deactivation).
    session_token: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True, default=new_token)
    active: so.Mapped[bool] = so.mapped_column(default=True)
    is_site_admin: so.Mapped[bool] = so.mapped_column(default=False)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<User {self.id}>"

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """Flask-Login's "alternative token": the session holds this, not the row id."""
        return self.session_token

    def set_password(self, password: str) -> None:
        """Hash with scrypt and end every other session."""
        self.password_hash = hash_password(password)
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def end_sessions(self) -> None:
        """Make every cookie issued so far worthless."""
        self.session_token = new_token()

    @staticmethod
    def by_email(email: str) -> sa.Select:
        return sa.select(User).where(sa.func.lower(User.email) == email.strip().lower())


class LoginFailure(db.Model):
    """A failed login, kept briefly so throttling works across every worker."""

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    email: so.Mapped[str] = so.mapped_column(sa.String(254), index=True)
    address: so.Mapped[str] = so.mapped_column(sa.String(64), index=True)
    at: so.Mapped[datetime] = so.mapped_column(default=utcnow, index=True)


class LinkToken(db.Model):
    """A single-use token an e-mailed link carries; only its hash is kept, with its purpose.

    The link holds nothing but random bytes: no user id, nothing of a session. A token is
    void once used, once expired, and once the password changes (password_fingerprint).
    """

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    purpose: so.Mapped[str] = so.mapped_column(sa.String(20))
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(User.id, ondelete="CASCADE"), index=True
    )
    # A digest of the password hash when the token was made: any password change voids it.
    password_fingerprint: so.Mapped[str] = so.mapped_column(sa.String(64))
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    expires_at: so.Mapped[datetime]
    used_at: so.Mapped[datetime | None]


class ResetRequest(db.Model):
    """A forgot-password request, kept briefly so each address is limited across workers."""

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    address: so.Mapped[str] = so.mapped_column(sa.String(64), index=True)
    at: so.Mapped[datetime] = so.mapped_column(default=utcnow, index=True)
