"""People who log in."""

import hashlib
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


def hash_token(token: str) -> str:
    """SHA-256 of a secret token: only this is stored, so a database copy opens nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


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
    # No login any more (those are DeviceSession rows): a stamp that reset links carry,
    # rotated whenever every session ends, so an old reset link ends with them.
    session_token: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True, default=new_token)
    active: so.Mapped[bool] = so.mapped_column(default=True)
    is_site_admin: so.Mapped[bool] = so.mapped_column(default=False)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    # The token of the device session this object was loaded (or logged in) with; not stored.
    device_token = None
    # The meeting whose kiosk that device session is locked to, as loaded; not stored here.
    kiosk_meeting_id = None

    def __repr__(self) -> str:
        return f"<User {self.id}>"

    # Equal when the same account: UserMixin compares get_id(), which is per device now.
    __hash__ = object.__hash__

    def __eq__(self, other):
        if not isinstance(other, User):
            return NotImplemented
        return self is other or (self.id is not None and self.id == other.id)

    def __ne__(self, other):
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """Flask-Login's "alternative token": the session holds this device's token."""
        if not self.device_token:
            raise NotImplementedError("no device session: log in with login_user()")
        return self.device_token

    def start_device_session(self) -> str:
        """A new session for the device logging in; returns the token its cookies hold.

        Flask-Login's login_user() calls this (the login manager's id_attribute), so every
        login, wherever it happens, is a session of its own that logout can end alone.
        """
        token = new_token()
        db.session.add(DeviceSession(user_id=self.id, token_hash=hash_token(token)))
        db.session.flush()
        self.device_token, self.kiosk_meeting_id = token, None
        return token

    def end_device_session(self) -> None:
        """End the session of the device this object was loaded with, and no other."""
        if self.device_token:
            db.session.execute(
                sa.delete(DeviceSession).where(
                    DeviceSession.token_hash == hash_token(self.device_token)
                )
            )
            self.device_token = self.kiosk_meeting_id = None

    def set_password(self, password: str) -> None:
        """Hash with scrypt and end every other session."""
        self.password_hash = hash_password(password)
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def end_sessions(self) -> None:
        """Make every cookie issued so far worthless, on every device; a waiting e-mail
        change goes too, since whoever asked for it may be the one being shut out."""
        self.session_token = new_token()
        self.device_token = self.kiosk_meeting_id = None
        if self.id is not None:
            db.session.execute(sa.delete(DeviceSession).where(DeviceSession.user_id == self.id))
            db.session.execute(sa.delete(EmailChange).where(EmailChange.user_id == self.id))

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
class DeviceSession(db.Model):
    """One logged-in browser or tablet: its cookies hold a random token, this row its hash."""

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(User.id, ondelete="CASCADE"), index=True
    )
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    # Refreshed by writing requests, at most once an hour (a GET never writes).
    last_seen_at: so.Mapped[datetime] = so.mapped_column(default=utcnow, index=True)
    # The meeting whose evaluation kiosk this device is locked to (netapp.evaluations.kiosk):
    # kept here, not in a cookie, so no cookie of this login put back gets out of it.
    kiosk_meeting_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("meeting.id", ondelete="SET NULL"), index=True
    )


class EmailChange(db.Model):
    """A new e-mail address waiting for its link to be opened; the old one holds till then."""

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    # One change at a time per account: asking again replaces the waiting one.
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(User.id, ondelete="CASCADE"), unique=True
    )
    new_email: so.Mapped[str] = so.mapped_column(sa.String(254))
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    expires_at: so.Mapped[datetime] = so.mapped_column()
