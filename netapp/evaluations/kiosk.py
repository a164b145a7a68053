"""Kiosk mode: the shared evaluation tablet is locked to the round until the facilitator's PIN.

The lock lives in the tablet's session (which meeting it is locked to); the PIN is stored
hashed with the round, never in the session (Flask's session cookie is signed, not secret, so
a hash there could be tried offline). While locked, every other page of the site answers
with the kiosk: no header, no account, no results, no way out but the PIN.

Wrong PINs are counted with the round in the database, never in the cookie: whoever holds
the tablet can drop a cookie or put an older one back. Each try is claimed by one conditional
UPDATE before the PIN is compared, so three PINs posted at once are three tries, and no more
than MAX_TRIES are ever compared per BLOCKED_FOR. The facilitator still gets out: with the PIN
once the time is up, or at once with "log out everywhere" from their own phone, which ends the
tablet's login and with it the kiosk.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import session
from werkzeug.security import check_password_hash, generate_password_hash

from netapp.evaluations.models import MeetingEvaluation
from netapp.extensions import db

SESSION_KEY = "kiosk_meeting"
MAX_TRIES = 5  # wrong PINs in a row before the kiosk takes no PIN for BLOCKED_FOR
BLOCKED_FOR = timedelta(minutes=5)
# The only pages a locked tablet opens.
OPEN_ENDPOINTS = frozenset({"evaluations.kiosk", "evaluations.kiosk_leave", "static"})


def lock(evaluation: MeetingEvaluation, pin: str) -> None:
    """Lock this browser to the round's kiosk with the facilitator's PIN."""
    evaluation.kiosk_pin_hash = generate_password_hash(pin)
    evaluation.kiosk_wrong_pins, evaluation.kiosk_blocked_until = 0, None  # a new PIN
    db.session.flush()
    session[SESSION_KEY] = evaluation.meeting_id
    # The lock lives in the session cookie: a "remember me" cookie beside it would log the
    # tablet in again, unlocked, for whoever drops the session cookie alone. The tablet's
    # login now lives in the locked session only (Flask-Login clears the cookie).
    session["_remember"] = "clear"


def locked_to() -> int | None:
    """The meeting this browser's kiosk is locked to, if any."""
    value = session.get(SESSION_KEY)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def unlock(evaluation: MeetingEvaluation | None, pin: str, now: datetime) -> str | None:
    """Leave kiosk mode with the right PIN; the refusal code otherwise ("too_many" while the
    kiosk takes no PIN: `blocked_until` says until when)."""
    if evaluation is None or not evaluation.kiosk_pin_hash:
        return "wrong_pin"
    if not _claim_try(evaluation.id, now):
        return "too_many"
    if not check_password_hash(evaluation.kiosk_pin_hash, pin or ""):
        return "wrong_pin"  # the claimed try stays counted
    db.session.execute(
        sa.update(MeetingEvaluation).where(MeetingEvaluation.id == evaluation.id)
        .values(kiosk_wrong_pins=0, kiosk_blocked_until=None)
        .execution_options(synchronize_session=False))
    session.pop(SESSION_KEY, None)
    return None


def _claim_try(evaluation_id: int, now: datetime) -> bool:
    """Count one more try, if the kiosk takes one now (False: blocked). The count and the
    block are read and written by the same statement, so concurrent tries queue on the row."""
    row = MeetingEvaluation
    expired = sa.and_(row.kiosk_blocked_until.is_not(None), row.kiosk_blocked_until <= now)
    tries = sa.case((expired, 1), else_=row.kiosk_wrong_pins + 1)
    claimed = db.session.execute(
        sa.update(row)
        .where(row.id == evaluation_id, sa.or_(
            sa.and_(row.kiosk_blocked_until.is_(None), row.kiosk_wrong_pins < MAX_TRIES),
            expired))
        .values(kiosk_wrong_pins=tries,
                kiosk_blocked_until=sa.case((tries >= MAX_TRIES, now + BLOCKED_FOR),
                                            else_=None))
        .execution_options(synchronize_session=False))
    return claimed.rowcount == 1


def blocked_until(evaluation_id: int) -> datetime | None:
    """Until when the kiosk takes no PIN (None: it takes one)."""
    return db.session.scalar(sa.select(MeetingEvaluation.kiosk_blocked_until)
                             .where(MeetingEvaluation.id == evaluation_id))


def release() -> None:
    """Drop the lock without a PIN: only when there is nothing left to guard."""
    session.pop(SESSION_KEY, None)
