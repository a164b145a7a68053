"""Logging in, throttling and password-reset links."""

from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from netapp.auth.models import LoginFailure, User, utcnow
from netapp.extensions import db

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


def authenticate(email: str, password: str, address: str) -> tuple[User | None, bool]:
    """Return (user, throttled); one answer for an unknown e-mail and a wrong password."""
    since = utcnow() - current_app.config["LOGIN_WINDOW"]
    if _failures_since(since, email=email) or _failures_since(since, address=address):
        return None, True
    user = db.session.scalar(User.by_email(email))
    if user is None or not user.active or not user.check_password(password):
        db.session.add(LoginFailure(email=email.strip().lower()[:254], address=address[:64]))
        db.session.flush()
        current_app.logger.info("login failed from %s", address)
        return None, False
    current_app.logger.info("login user=%s", user.id)
    return user, False


def _failures_since(since: datetime, email: str | None = None, address: str | None = None):
    """True when the account or the address has used up its attempts."""
    query = sa.select(sa.func.count(LoginFailure.id)).where(LoginFailure.at >= since)
    if email is not None:
        query = query.where(LoginFailure.email == email.strip().lower())
    else:
        query = query.where(LoginFailure.address == address)
    return db.session.scalar(query) >= current_app.config["LOGIN_MAX_FAILURES"]


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def reset_token(user: User) -> str:
    """A signed link token, void once the password changes (it carries the session token)."""
    return _serializer().dumps({"u": user.id, "s": user.session_token[:12]})


def user_for_reset(token: str) -> tuple[User | None, str | None]:
    """Return (user, None) for a good token, else (None, 'expired' | 'invalid')."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except SignatureExpired:
        return None, "expired"
    except BadSignature:
        return None, "invalid"
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not user.active or user.session_token[:12] != data.get("s"):
        return None, "invalid"
    return user, None
