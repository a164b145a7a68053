"""One answer per member, even when a double tap or two phones post at the same moment.

Runs against a file SQLite database so that the threads really share it (in-memory SQLite
is one connection); the unique pair refuses the second insert and that request updates.
"""

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from netapp import create_app
from netapp.auth.models import utcnow
from netapp.evaluations import services
from netapp.evaluations.models import EvaluationAnswer
from netapp.extensions import db
from tests import factories as f
from tests.conftest import FreshContextClient
from tests.evaluations.conftest import answer_form

ROUNDS = 15
PHONES = 3


@pytest.fixture
def file_app(tmp_path):
    app = create_app({
        "TESTING": True, "SECRET_KEY": "race", "WTF_CSRF_ENABLED": False,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'race.sqlite'}",
        "SERVER_NAME": "netapp.test",
    })
    app.test_client_class = FreshContextClient
    app.instance_path = str(tmp_path)
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


def _clients(app, person, count):
    clients = []
    for _ in range(count):
        client = app.test_client()
        response = client.post("/auth/login", data={"email": person.email, "password": f.PASSWORD})
        assert response.status_code == 302
        clients.append(client)
    return clients


def test_simultaneous_submits_store_one_answer(file_app, monkeypatch):
    net = f.network()
    person = f.member(net)
    meeting = f.meeting(net, starts_at=utcnow() - timedelta(hours=3))
    f.attendance(meeting, person, checked_in=True)
    evaluation = f.evaluation(meeting)
    evaluation_id, person_id = evaluation.id, person.id
    raced = []
    original = services.save_answer

    def counting(*args):
        first = original(*args)
        raced.append(first)
        return first

    monkeypatch.setattr(services, "save_answer", counting)
    url = f"/evaluations/meeting/{meeting.id}"
    clients = _clients(file_app, person, PHONES)
    for round_number in range(ROUNDS):
        barrier = threading.Barrier(PHONES)
        statuses = []

        def tap(client, energy, barrier=barrier, statuses=statuses):
            barrier.wait()
            statuses.append(client.post(url, data=answer_form(energy=str(energy))).status_code)

        threads = [threading.Thread(target=tap, args=(c, 1 + i)) for i, c in enumerate(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert statuses == [302] * PHONES, statuses
        db.session.remove()
        stored = db.session.scalars(sa.select(EvaluationAnswer)).all()
        assert len(stored) == 1, f"round {round_number}: {len(stored)} rows"
        assert (stored[0].evaluation_id, stored[0].user_id) == (evaluation_id, person_id)
        assert stored[0].energy in range(1, PHONES + 1)
        db.session.execute(sa.delete(EvaluationAnswer))
        db.session.commit()
    # every round stored exactly one first answer; the others updated it
    assert raced.count(True) == ROUNDS


def test_a_lost_insert_race_updates_the_winner(file_app, monkeypatch):
    """Deterministically: the row appears between our check and our insert."""
    net = f.network()
    person = f.member(net)
    meeting = f.meeting(net, starts_at=utcnow() - timedelta(hours=3))
    evaluation = f.evaluation(meeting)
    f.evaluation_answer(evaluation, person, energy=1, good="first tap")
    calls = []
    original = services.answer_of

    def not_yet_the_first_time(*args):
        calls.append(args)
        return None if len(calls) == 1 else original(*args)

    monkeypatch.setattr(services, "answer_of", not_yet_the_first_time)
    first = services.save_answer(evaluation.id, person.id,
                                 {"energy": 5, "rating": 3, "good": "second tap"})
    db.session.commit()
    assert first is False
    [row] = db.session.scalars(sa.select(EvaluationAnswer)).all()
    assert (row.energy, row.good) == (5, "second tap")
