"""Kiosk mode: the shared evaluation tablet is locked to the round until the facilitator's PIN.

The lock is kept on the server, with the device's login (auth.models.DeviceSession, found by
the token the session holds, as auth.views.load_user does): whatever cookie of that login
the tablet carries, an older one put back, the session cookie dropped and the "remember me"
cookie logging it in again, every request of that login answers with the kiosk until the
PIN of that round (another round's PIN opens nothing). Another device of the same account is
not locked; deleting the meeting unlocks its kiosks. The PIN is stored hashed with the
round, never in a cookie (Flask's session cookie is signed, not secret, so a hash there could
be tried offline). While locked, every other page of the site answers with the kiosk: no
header, no account, no results, no way out but the PIN.

The live clocks' polls are answered before the user is loaded (netapp.live.polling), by a
query that answers no locked device; a poll it passes on loads the user in its view, and its
answer is then replaced by the kiosk's (`kiosk_answer` runs before every other request and
after those polls).

Wrong PINs are counted with the round in the database, never in the cookie: whoever holds
the tablet can drop a cookie or put an older one back. Each try is claimed by one conditional
UPDATE before the PIN is compared, so three PINs posted at once are three tries, and no more
than MAX_TRIES are ever compared per BLOCKED_FOR. The facilitator still gets out: with the PIN
once the time is up, or at once with "log out everywhere" from their own phone, which ends the
tablet's login and with it the kiosk.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Response, g, redirect, url_for
from flask_login import current_user
from werkzeug.security import check_password_hash, generate_password_hash

from netapp.auth.models import DeviceSession, hash_token
from netapp.evaluations.models import MeetingEvaluation
from netapp.extensions import db
from netapp.htmx import is_htmx
from netapp.meetings.models import Meeting

MAX_TRIES = 5  # wrong PINs in a row before the kiosk takes no PIN for BLOCKED_FOR
BLOCKED_FOR = timedelta(minutes=5)
# The only pages a locked tablet opens.
OPEN_ENDPOINTS = frozenset({"evaluations.kiosk", "evaluations.kiosk_leave", "static"})
# The live clocks' polls, answered before the user is loaded (netapp.live.views.POLLED): the
# kiosk is checked after them, so an unlocked tablet's poll stays one query.
POLLED_BEFORE_LOGIN = frozenset({"live.clock", "live.group_clock"})
NOT_BEFORE_THE_VIEW = OPEN_ENDPOINTS | POLLED_BEFORE_LOGIN


def lock(evaluation: MeetingEvaluation, pin: str) -> None:
    """Lock this device's login to the round's kiosk with the facilitator's PIN."""
    evaluation.kiosk_pin_hash = generate_password_hash(pin)
    evaluation.kiosk_wrong_pins, evaluation.kiosk_blocked_until = 0, None  # a new PIN
    db.session.flush()
    _set_lock(evaluation.meeting_id)


def locked_to() -> int | None:
    """The meeting this device's login is locked to, if any (loads the user)."""
    return current_user.kiosk_meeting_id if current_user.is_authenticated else None


def kiosk_answer():
    """The kiosk (a redirect, HX-Redirect for htmx) for a request of a locked device; None
    for any other request."""
    target = _kiosk_url(locked_to())
    if target is None:
        return None
    if is_htmx():
        return "", 200, {"HX-Redirect": target}
    return redirect(target)


def into_kiosk(response: Response) -> Response:
    """The same answer made in place of a finished one (a clock poll's fragment), keeping the
    headers the other hooks have set on it (no-store, the security policy)."""
    target = _kiosk_url(locked_to())
    if target is None:
        return response
    response.set_data(b"")
    for header in ("ETag", "Last-Modified", "Location", "HX-Redirect"):
        response.headers.pop(header, None)
    if is_htmx():
        response.status_code = 200
        response.headers["HX-Redirect"] = target
    else:
        response.status_code = 302
        response.headers["Location"] = target
    return response


def _kiosk_url(meeting_id: int | None) -> str | None:
    if meeting_id is None or db.session.get(Meeting, meeting_id) is None:
        return None  # a deleted meeting takes its locks with it (ON DELETE SET NULL)
    return url_for("evaluations.kiosk", meeting_id=meeting_id)


def loaded_lock() -> int | None:
    """The lock of the user this request has loaded so far, without loading one (Flask-Login
    keeps the loaded user in g): a poll the live fast path answered loaded none."""
    user = g.get("_login_user")
    return getattr(user, "kiosk_meeting_id", None)


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
    release()
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
    """Drop this device's lock without a PIN: only when there is nothing left to guard."""
    _set_lock(None)


def _set_lock(meeting_id: int | None) -> None:
    """Lock (or unlock) the device session of this request's login, and no other."""
    if not current_user.is_authenticated or not current_user.device_token:
        return
    db.session.execute(
        sa.update(DeviceSession)
        .where(DeviceSession.token_hash == hash_token(current_user.device_token))
        .values(kiosk_meeting_id=meeting_id)
        .execution_options(synchronize_session=False))
    current_user.kiosk_meeting_id = meeting_id
