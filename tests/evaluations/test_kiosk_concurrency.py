"""Wrong PINs posted at the same moment on the shared tablet, from three processes: each one
counts, and no more PINs are compared than the limit allows (SQLite and PostgreSQL)."""

import multiprocessing as mp

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from netapp import create_app
from netapp.auth.models import DeviceSession
from netapp.evaluations.kiosk import MAX_TRIES
from netapp.evaluations.models import MeetingEvaluation
from netapp.extensions import db
from tests import factories as f
from tests.live.conftest import make_room

TABLETS = 3


def _config(url: str) -> dict:
    return {"TESTING": True, "SECRET_KEY": "race", "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": False, "SERVER_NAME": "netapp.test"}


def _guess(url, meeting_id, token, barrier, results):
    """One copy of the locked tablet: wait for the others, then post a wrong PIN."""
    app = create_app(_config(url))
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = token  # the login locked as the kiosk
    barrier.wait()
    response = client.post(f"/evaluations/meeting/{meeting_id}/kiosk/leave",
                           data={"pin": "0000"}, follow_redirects=True)
    results.put((response.status_code, "Too many wrong PINs" in response.text))


def _race(url, meeting_id, token):
    context = mp.get_context("spawn")
    barrier, results = context.Barrier(TABLETS), context.Queue()
    workers = [context.Process(target=_guess, args=(url, meeting_id, token, barrier, results))
               for _ in range(TABLETS)]
    for worker in workers:
        worker.start()
    answers = [results.get(timeout=120) for _ in range(TABLETS)]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    return answers


def _count(app) -> tuple[int, bool]:
    with app.app_context():
        wrong, until = db.session.execute(sa.select(
            MeetingEvaluation.kiosk_wrong_pins, MeetingEvaluation.kiosk_blocked_until)).one()
        db.session.remove()
        return wrong, until is not None


def test_three_wrong_pins_at_once_count_three_times_and_the_limit_holds(empty_database_url):
    url = empty_database_url
    app = create_app(_config(url))
    with app.app_context():
        db.create_all()
        room = make_room()
        evaluation = f.evaluation(room.meeting)
        evaluation.kiosk_pin_hash = generate_password_hash("2468")
        db.session.commit()
        meeting_id, token = room.meeting.id, f.device_token(room.facilitator)
        db.session.execute(sa.update(DeviceSession).values(kiosk_meeting_id=meeting_id))
        db.session.commit()
        db.session.remove()

    first = _race(url, meeting_id, token)
    assert [status for status, _ in first] == [200] * TABLETS  # never a 500
    assert not any(blocked for _, blocked in first)
    assert _count(app) == (3, False)

    # Two tries are left: of three at once, two are compared and the third is refused.
    second = _race(url, meeting_id, token)
    assert sorted(blocked for _, blocked in second) == [False, False, True]
    assert _count(app) == (MAX_TRIES, True)
    with app.app_context():
        db.engine.dispose()
