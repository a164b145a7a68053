"""Two facilitators press "next" at the same moment, from two processes: it advances once."""

import multiprocessing as mp
import re

from netapp import create_app
from netapp.extensions import db
from netapp.live.models import Exercise
from tests import factories as f
from tests.live.conftest import make_room

ROUNDS = 20


def _config(url: str) -> dict:
    return {"TESTING": True, "SECRET_KEY": "race", "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": False, "SERVER_NAME": "netapp.test"}


def _press_next(url, exercise_id, token, barrier, results):
    """One facilitator's tablet: read the version, wait for the other, press next."""
    app = create_app(_config(url))
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = token
    headers = {"HX-Request": "true"}
    for round_number in range(ROUNDS):
        barrier.wait()
        fragment = client.get(f"/live/exercise/{exercise_id}/clock?mode=facilitator",
                              headers=headers).text
        version = int(re.search(r'data-version="(\d+)"', fragment).group(1))
        barrier.wait()  # both hold the same version now: press together
        response = client.post(f"/live/exercise/{exercise_id}/control/next",
                               data={"version": version}, headers=headers)
        stale = "The exercise had already moved on" in response.text
        results.put((round_number, response.status_code, stale))


def test_concurrent_next_advances_exactly_once(empty_database_url):
    # A database of its own that two processes share: a SQLite file, or on PostgreSQL.
    url = empty_database_url
    app = create_app(_config(url))
    with app.app_context():
        db.create_all()
        room = make_room(members=ROUNDS + 2)
        exercise = f.live_exercise(room.meeting, "presentation")
        with app.test_client() as client:
            with client.session_transaction() as session:
                session["_user_id"] = f.device_token(room.facilitator)
            client.post(f"/live/exercise/{exercise.id}/control/start", data={"version": 0})
        tokens = [f.device_token(room.facilitator), f.device_token(room.coordinator)]
        exercise_id = exercise.id
        db.session.remove()
        db.engine.dispose()

    context = mp.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    workers = [context.Process(target=_press_next, args=(url, exercise_id, t, barrier, results))
               for t in tokens]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in range(2 * ROUNDS)]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0

    assert all(status == 200 for _round, status, _stale in outcomes)
    for round_number in range(ROUNDS):  # in every round one press won and one was stale
        stale = [s for r, _status, s in outcomes if r == round_number]
        assert sorted(stale) == [False, True], round_number
    with app.app_context():
        final = db.session.get(Exercise, exercise_id)
        assert (final.step_index, final.version) == (ROUNDS, ROUNDS + 1)
        db.session.remove()
        db.engine.dispose()
