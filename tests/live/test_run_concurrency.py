"""The same tap three times at once, from three processes: the programme moves on once and an
item opens one exercise."""

import multiprocessing as mp

import sqlalchemy as sa

from netapp import create_app
from netapp.extensions import db
from netapp.live.models import Exercise
from netapp.meetings.models import AgendaItem, AgendaKind, Meeting
from tests import factories as f
from tests.live.conftest import make_room

TABLETS = 3


def _config(url: str) -> dict:
    return {"TESTING": True, "SECRET_KEY": "race", "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": False, "SERVER_NAME": "netapp.test"}


def _tap(url, path, data, token, barrier, results):
    """One tablet: wait for the others, then send the same POST."""
    app = create_app(_config(url))
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = token
    barrier.wait()
    results.put(client.post(path, data=data).status_code)


def _race(url, path, data, token):
    context = mp.get_context("spawn")
    barrier, results = context.Barrier(TABLETS), context.Queue()
    workers = [context.Process(target=_tap, args=(url, path, data, token, barrier, results))
               for _ in range(TABLETS)]
    for worker in workers:
        worker.start()
    statuses = [results.get(timeout=120) for _ in range(TABLETS)]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    return statuses


def test_three_taps_at_once_move_the_programme_once_and_open_one_exercise(
        empty_database_url):
    url = empty_database_url
    app = create_app(_config(url))
    with app.app_context():
        db.create_all()
        room = make_room()
        for position, kind in enumerate([AgendaKind.TOPIC, AgendaKind.SPARRING,
                                         AgendaKind.EVALUATION]):
            db.session.add(AgendaItem(meeting_id=room.meeting.id, kind=kind, title=kind.value,
                                      minutes=40, position=position))
        db.session.commit()
        meeting_id, token = room.meeting.id, f.device_token(room.facilitator)
        db.session.remove()
        db.engine.dispose()

    begun = _race(url, f"/live/meeting/{meeting_id}/run/begin", {"version": 0}, token)
    moved = _race(url, f"/live/meeting/{meeting_id}/run/next", {"version": 1}, token)
    opened = _race(url, f"/live/meeting/{meeting_id}/run/open", {}, token)
    assert set(begun) == set(moved) == set(opened) == {303}  # never a 500

    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        assert meeting.run_version == 2
        assert [i.status for i in meeting.agenda] == ["done", "running", "ready"]
        made = db.session.scalar(sa.select(sa.func.count(Exercise.id)).where(
            Exercise.meeting_id == meeting_id))
        assert made == 1
        db.session.remove()
        db.engine.dispose()
