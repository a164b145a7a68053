"""The polled fragments use a fixed number of queries, however large the meeting."""

import pytest

from netapp.extensions import db
from tests import factories as f
from tests.conftest import empty_tables
from tests.live.conftest import make_room
from tests.live.helpers import HX


def _queries(app, client, count_queries, members: int, kind: str, path: str) -> int:
    room = make_room(members=members)
    exercise = f.live_exercise(room.meeting, kind)
    group = exercise.groups[0] if exercise.groups else None
    for person in room.members[:4]:
        f.attendance(f.meeting(room.net), person)  # other data that must not matter
    url = path.format(exercise=exercise.id, meeting=room.meeting.id,
                      group=group.id if group else 0)
    with client.session_transaction() as session:
        session["_user_id"] = f.device_token(room.facilitator)
    client.post(f"/live/exercise/{exercise.id}/start-all" if group else
                f"/live/exercise/{exercise.id}/control/start", data={"version": 0}, headers=HX)
    db.session.expire_all()
    with count_queries() as n:
        assert client.get(url, headers=HX).status_code == 200
    return n()


@pytest.mark.parametrize(("kind", "path"), [
    ("presentation", "/live/exercise/{exercise}/clock?mode=facilitator"),
    ("interviews", "/live/exercise/{exercise}/clock?mode=tablet"),
    ("interviews", "/live/meeting/{meeting}/flipover"),
    ("sparring", "/live/exercise/{exercise}/clock?mode=facilitator"),
    ("sparring", "/live/group/{group}/clock"),
    ("sparring", "/live/group/{group}/notes"),
])
def test_polled_fragments_use_fixed_queries(app, client, count_queries, kind, path):
    small = _queries(app, client, count_queries, 4, kind, path)
    db.session.remove()
    empty_tables()
    large = _queries(app, client, count_queries, 22, kind, path)
    assert small == large, (small, large)
    assert large <= 7


@pytest.mark.parametrize("mode", ["tablet", "projector"])
def test_a_whole_presentation_fragment_is_four_queries(app, client, count_queries, mode):
    """What a screen's fragment costs when nobody had it rendered: the reading (login, READ,
    fingerprint), the login, the exercise with its network and the reader's membership, the
    speakers' names."""
    room = make_room(members=12)
    url = f"/live/exercise/{f.live_exercise(room.meeting, 'presentation').id}/clock?mode={mode}"
    with client.session_transaction() as session:
        session["_user_id"] = f.device_token(room.members[0])
    db.session.expire_all()
    with count_queries() as n:
        response = client.get(url, headers=HX)
    assert response.status_code == 200 and "live-clock" in response.text
    assert n() == 4
