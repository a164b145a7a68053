"""Logging in, throttling and password-reset links."""

import functools
import hashlib
import secrets
from datetime import datetime, timedelta
from types import SimpleNamespace

import sqlalchemy as sa
from flask import current_app
from werkzeug.security import check_password_hash

from netapp import audit, mail
from netapp.auth.models import LinkToken, LoginFailure, ResetRequest, User, hash_password, utcnow
from netapp.extensions import db
from netapp.links import public_url_for

RESET = "password-reset"  # the purpose a reset link's token is bound to
# A short list of passwords people pick first; the rule is length plus "not one of these".
COMMON_PASSWORDS = frozenset(
    """password password1 password123 12345678 123456789 1234567890 qwertyui qwerty123
    iloveyou sommer2024 sommer2025 sommer2026 vinter2025 vinter2026 efterar2025 adgangskode
    passord123 passord1 kodeord123 kodeord1 netapp123 netvaerk netverk123 abcdefgh 11111111
    00000000 88888888 qwertzui letmein1 welcome1 velkommen velkommen1 danmark1 norge123
    admin123 administrator football baseball sunshine princess""".split()
)


def is_common_password(password: str) -> bool:
    """True for passwords on the common list, in any case."""
    return password.lower() in COMMON_PASSWORDS


def authenticate(
    email: str, password: str, address: str, now: datetime | None = None
) -> tuple[User | None, bool]:
    """Return (user, throttled); one answer, and one scrypt check, for every wrong login."""
    now = now or utcnow()
    email, address = email.strip().lower()[:254], address[:64]
    if _throttled(email, address, now):
        known = db.session.scalar(User.by_email(email))
        audit.record("login.throttled", known.id if known else "unknown")
        return None, True
    user = db.session.scalar(User.by_email(email))
    # An unknown account is checked against a hash of the same cost: the time is the same.
    verified = check_password_hash(user.password_hash if user else _dummy_hash(), password)
    if user is None or not user.active or not verified:
        db.session.add(LoginFailure(email=email, address=address, at=now))
        db.session.flush()
        audit.record("login.failed", user.id if user else "unknown")
        return None, False
    audit.record("login", user.id)
    return user, False


def unlock(email: str) -> int:
    """Forget the failed logins of EMAIL, from every address: the account can log in again
    at once. The number of failures forgotten."""
    email = email.strip().lower()[:254]
    return db.session.execute(sa.delete(LoginFailure).where(LoginFailure.email == email)).rowcount


@functools.cache
def _dummy_hash() -> str:
    """A hash of a random password, made as every real password is hashed."""
    return hash_password(secrets.token_urlsafe(16))


def _throttled(email: str, address: str, now: datetime) -> bool:
    """True when this account has used up its attempts from this address, or the address
    has used up its ceiling over all accounts."""
    config = current_app.config
    pair = sa.func.count(sa.case((LoginFailure.email == email, 1)))
    query = sa.select(pair, sa.func.count(LoginFailure.id)).where(
        LoginFailure.address == address, LoginFailure.at >= now - config["LOGIN_WINDOW"]
    )
    for_account, for_address = db.session.execute(query).one()
    return (
        for_account >= config["LOGIN_MAX_FAILURES"]
        or for_address >= config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()


def reset_token(user: User, now: datetime | None = None) -> str:
    """A random single-use reset token; only its hash is stored, bound to its purpose."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    db.session.add(
        LinkToken(
            purpose=RESET,
            token_hash=_digest(token),
            user_id=user.id,
            password_fingerprint=_fingerprint(user),
            created_at=now,
            expires_at=now + timedelta(seconds=current_app.config["PASSWORD_RESET_MAX_AGE"]),
        )
    )
    db.session.flush()
    return token


def reset_for(token: str, now: datetime) -> tuple[LinkToken | None, str | None]:
    """Return (token row, None) for a usable link, else (None, why): 'invalid', 'used',
    'expired' or 'replaced' (the password changed since the link was sent)."""
    row = db.session.scalar(
        sa.select(LinkToken).where(
            LinkToken.token_hash == _digest(token), LinkToken.purpose == RESET
        )
    )
    user = db.session.get(User, row.user_id) if row is not None else None
    if row is None or user is None or not user.active:
        return None, "invalid"
    if row.used_at is not None:
        return None, "used"
    if row.expires_at <= now:
        return None, "expired"
    if row.password_fingerprint != _fingerprint(user):
        return None, "replaced"
    return row, None


def use_reset(row: LinkToken, password: str, now: datetime) -> bool:
    """Spend the token (once, even for two requests at the same moment), set the password."""
    spent = db.session.execute(
        sa.update(LinkToken)
        .where(LinkToken.id == row.id, LinkToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if spent != 1:
        return False
    db.session.get(User, row.user_id).set_password(password)  # voids every other reset link
    db.session.flush()
    return True


def _compose_and_discard(email: str) -> None:
    """The work of a reset mail, thrown away: composing a MIME message takes milliseconds,
    so an address that gets no mail must cost the same, or the answer's time would tell
    whether an account exists."""
    to = SimpleNamespace(email=email, name="", id=None,
                         language=current_app.config["BABEL_DEFAULT_LOCALE"])
    link = public_url_for("auth.reset", token="x" * 43)
    bytes(mail.compose(to, "auth/email/reset", link=link))


def request_reset(email: str, address: str, now: datetime) -> None:
    """Queue a reset mail unless the address or the account has had its share; the caller
    answers the same in every case; the mail is only queued (one INSERT), and the worker
    sends it later, so no SMTP conversation makes a known address slower to answer."""
    config = current_app.config
    # Written before anything is counted: on SQLite this takes the write lock, so requests
    # arriving at the same moment count one after the other.
    request_row = ResetRequest(address=address[:64], at=now)
    db.session.add(request_row)
    db.session.flush()
    asked = db.session.scalar(
        sa.select(sa.func.count(ResetRequest.id)).where(
            ResetRequest.address == request_row.address,
            ResetRequest.at >= now - config["LOGIN_WINDOW"],
        )
    )
    if asked > config["RESET_MAX_PER_ADDRESS"]:
        db.session.delete(request_row)  # a flood leaves no more rows than the limit
        db.session.flush()
        current_app.logger.info("reset request throttled from %s", request_row.address)
        return
    # On PostgreSQL the row lock keeps two requests for one account from both passing.
    user = db.session.scalar(User.by_email(email).with_for_update())
    if user is None or not user.active:
        _compose_and_discard(email)
        return
    sent = db.session.scalar(
        sa.select(sa.func.count(LinkToken.id)).where(
            LinkToken.user_id == user.id,
            LinkToken.purpose == RESET,
            LinkToken.created_at >= now - config["RESET_ACCOUNT_WINDOW"],
        )
    )
    if sent >= config["RESET_MAX_PER_ACCOUNT"]:
        current_app.logger.info("reset mail withheld for user=%s: limit reached", user.id)
        _compose_and_discard(email)
        return
    link = public_url_for("auth.reset", token=reset_token(user, now))
    to = SimpleNamespace(email=user.email, name=user.name, language=user.language, id=user.id)
    mail.send_template(to, "auth/email/reset", link=link)  # queued: no SMTP in the request
