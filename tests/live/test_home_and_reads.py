"""The home panel, and that reading a live screen never writes to the database."""

from datetime import timedelta

import sqlalchemy as sa

from netapp.auth.models import utcnow
from netapp.extensions import db
from netapp.live.models import Exercise
from tests import factories as f
from tests.live.helpers import HX


def test_home_shows_todays_exercises(room, client, login_as):
    room.meeting.starts_at = utcnow() - timedelta(minutes=30)
    room.meeting.ends_at = utcnow() + timedelta(hours=3)
    db.session.commit()
    f.live_exercise(room.meeting, "presentation")
    login_as(room.members[0])
    assert "Live exercises today" in client.get("/home").text
    client.post("/auth/logout")
    login_as(room.outsider)
    assert "Live exercises today" not in client.get("/home").text


def test_reading_never_writes(room, client, login_as):
    exercise = f.live_exercise(room.meeting, "sparring", auto_advance=True)
    login_as(room.facilitator)
    client.post(f"/live/exercise/{exercise.id}/start-all", headers=HX)
    db.session.execute(sa.text("UPDATE sparring_group SET started_at = :t"),
                       {"t": utcnow() - timedelta(minutes=25)})
    db.session.commit()
    writes = []

    def listener(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("SELECT", "PRAGMA")):
            writes.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        group = exercise.groups[0].id
        for path in [f"/live/exercise/{exercise.id}/clock?mode=facilitator",
                     f"/live/exercise/{exercise.id}/facilitate", f"/live/group/{group}",
                     f"/live/group/{group}/clock", f"/live/group/{group}/notes",
                     f"/live/exercise/{exercise.id}/projector"]:
            response = client.get(path)
            assert response.status_code == 200
            assert "Round 2 of 2" in response.text or "notes" in path  # advanced, on read
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    assert writes == []
    assert db.session.scalar(sa.select(Exercise.version)) == 0
