"""Kiosk mode: the shared evaluation tablet is locked to the round until the facilitator's PIN.

The lock lives in the tablet's session (which meeting it is locked to); the PIN is stored
hashed with the round, never in the session (Flask's session cookie is signed, not secret, so
a hash there could be tried offline). While locked, every other page of the site answers
with the kiosk: no header, no account, no results, no way out but the PIN.
"""

from flask import session
from werkzeug.security import check_password_hash, generate_password_hash

from netapp.evaluations.models import MeetingEvaluation
from netapp.extensions import db

SESSION_KEY = "kiosk_meeting"
TRIES_KEY = "kiosk_tries"
MAX_TRIES = 5  # wrong PINs before the tablet stops taking more in this session
# The only pages a locked tablet opens.
OPEN_ENDPOINTS = frozenset({"evaluations.kiosk", "evaluations.kiosk_leave", "static"})


def lock(evaluation: MeetingEvaluation, pin: str) -> None:
    """Lock this browser to the round's kiosk with the facilitator's PIN."""
    evaluation.kiosk_pin_hash = generate_password_hash(pin)
    db.session.flush()
    session[SESSION_KEY] = evaluation.meeting_id
    session.pop(TRIES_KEY, None)


def locked_to() -> int | None:
    """The meeting this browser's kiosk is locked to, if any."""
    value = session.get(SESSION_KEY)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def unlock(evaluation: MeetingEvaluation | None, pin: str) -> str | None:
    """Leave kiosk mode with the right PIN; the refusal code otherwise."""
    tries = session.get(TRIES_KEY, 0)
    if not isinstance(tries, int) or tries >= MAX_TRIES:
        return "too_many"
    if evaluation is None or not evaluation.kiosk_pin_hash or not check_password_hash(
            evaluation.kiosk_pin_hash, pin or ""):
        session[TRIES_KEY] = tries + 1
        return "wrong_pin"
    session.pop(SESSION_KEY, None)
    session.pop(TRIES_KEY, None)
    return None


def release() -> None:
    """Drop the lock without a PIN: only when there is nothing left to guard."""
    session.pop(SESSION_KEY, None)
    session.pop(TRIES_KEY, None)
