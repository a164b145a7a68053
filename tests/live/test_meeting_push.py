"""The meeting's channel on the push transport: a programme move, an item opening its exercise
and the evaluation round opening wake the screens that follow the room, and nothing else does;
the stream is only for those who may read the meeting."""

import threading
import time

import pytest
import sqlalchemy as sa

from netapp.extensions import db
from netapp.live import push
from netapp.meetings.models import AgendaItem, AgendaKind
from tests import factories as f
from tests.live.test_push import events_of
from tests.live.test_run_web import following_agenda, move


def test_the_meeting_stream_says_changed_at_once_and_is_not_compressed(room, client, login_as):
    login_as(room.members[0])
    response = client.get(f"/live/meeting/{room.meeting.id}/events",
                          headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200 and response.mimetype == "text/event-stream"
    assert response.headers["Content-Encoding"] == "identity"
    assert response.headers["X-Accel-Buffering"] == "no"
    body = response.get_data(as_text=True)
    assert body.startswith("retry: 1000\nevent: changed\ndata: 20")
    assert events_of(body)[0] == "changed"


def test_only_those_of_the_meeting_get_its_stream(app, room, client, login_as):
    """(The guest facilitator of another meeting: the access matrix.)"""
    url = f"/live/meeting/{room.meeting.id}/events"
    login_as(room.outsider)  # another network's coordinator
    assert client.get(url).status_code == 404
    client.post("/auth/logout")
    assert client.get(url).status_code == 302  # to the login
    login_as(room.members[0])
    for bad in ("9223372036854775808", "0", "-1", "1%00", "%00"):
        assert client.get(f"/live/meeting/{bad}/events").status_code == 404, bad


def _listening(keys):
    hub = push.hub(db.engine.url)
    if hub.source != "local":
        pytest.skip("this process already hears changes from the database (its own test)")
    return hub, {key: hub.listening(key) for key in keys}


def test_a_programme_move_wakes_its_meeting_only_and_a_stale_one_wakes_nobody(
        room, client, login_as, frozen_clock):
    meeting = room.meeting
    meeting.starts_at = frozen_clock.now
    following_agenda(meeting)
    other = f.meeting(room.net)
    mine, theirs = push.meeting_key(meeting.id), push.meeting_key(other.id)
    hub, seen = _listening([mine, theirs])
    try:
        login_as(room.facilitator)
        move(client, meeting, "begin")
        assert hub.wait(mine, seen[mine], 0) != seen[mine]
        assert hub.wait(theirs, seen[theirs], 0) == seen[theirs]
        now = hub.wait(mine, seen[mine], 0)
        move(client, meeting, "next", at=0)  # stale: the room had already begun
        assert hub.wait(mine, now, 0) == now
        for action in ("next", "extend"):
            move(client, meeting, action)
            assert hub.wait(mine, now, 0) != now, action
            now = hub.wait(mine, now, 0)
    finally:
        hub.leave(mine)
        hub.leave(theirs)


def test_an_item_opening_its_exercise_and_the_evaluation_opening_wake_the_meeting(
        room, client, login_as, frozen_clock):
    meeting = room.meeting
    meeting.starts_at = frozen_clock.now
    for position, kind in enumerate([AgendaKind.SPARRING, AgendaKind.EVALUATION]):
        db.session.add(AgendaItem(meeting_id=meeting.id, kind=kind, title=kind.value,
                                  minutes=40, position=position))
    db.session.commit()
    key = push.meeting_key(meeting.id)
    login_as(room.facilitator)
    move(client, meeting, "begin")
    hub, seen = _listening([key])
    try:
        assert client.post(f"/live/meeting/{meeting.id}/run/open").status_code == 303
        now = hub.wait(key, seen[key], 0)
        assert now != seen[key]
        f.evaluation(meeting)  # the round opened from the evaluation page
        assert hub.wait(key, now, 0) != now
    finally:
        hub.leave(key)


def test_notifications_name_meetings_apart_from_exercises():
    assert push._ids("3,m12,x,m,12m,m-1,7") == {3, 7, "m12"}
    assert push.meeting_key(12) == "m12"


def test_postgresql_notifies_a_programme_move(app, room, client, login_as, frozen_clock):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's; run with --db postgresql")
    import psycopg

    meeting = room.meeting
    meeting.starts_at = frozen_clock.now
    following_agenda(meeting)
    login_as(room.facilitator)
    url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as listener:
        listener.execute(f"LISTEN {push.CHANNEL}")
        move(client, meeting, "begin")
        heard = [n.payload for n in listener.notifies(timeout=2, stop_after=1)]
    assert heard == [f"m{meeting.id}"]


def test_the_sqlite_watcher_hears_a_programme_move(tmp_path):
    path = tmp_path / "watched.sqlite"
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE meeting (id INTEGER PRIMARY KEY, run_version INT)")
        conn.exec_driver_sql("CREATE TABLE agenda_item (id INTEGER PRIMARY KEY, "
                             "meeting_id INT, minutes INT)")
        conn.exec_driver_sql("CREATE TABLE exercise (id INTEGER PRIMARY KEY, meeting_id INT, "
                             "agenda_item_id INT, version INT, revision INT, auto_advance INT, "
                             "sound INT)")
        conn.exec_driver_sql("CREATE TABLE sparring_group (id INTEGER PRIMARY KEY, "
                             "exercise_id INT, version INT)")
        conn.exec_driver_sql("CREATE TABLE meeting_evaluation (id INTEGER PRIMARY KEY, "
                             "meeting_id INT)")
        conn.exec_driver_sql("INSERT INTO meeting VALUES (1, 0), (2, 0)")
        conn.exec_driver_sql("INSERT INTO exercise VALUES (5, 1, NULL, 0, 0, 0, 0)")
    hub = push.Hub()
    keys = ("m1", "m2", 5)
    seen = {key: hub.listening(key) for key in keys}
    threading.Thread(target=push._watch_sqlite, args=(hub, str(path), engine),
                     daemon=True).start()
    time.sleep(0.3)  # the watcher has taken its first stamps
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE meeting SET run_version = 1 WHERE id = 1")
    moved_at = time.monotonic()
    assert hub.wait("m1", seen["m1"], 2.0) != seen["m1"]
    assert time.monotonic() - moved_at < 0.5
    assert hub.wait("m2", seen["m2"], 0) == seen["m2"]
    assert hub.wait(5, seen[5], 0) == seen[5]  # the exercise did not change
    now = hub.wait("m1", seen["m1"], 0)
    with engine.begin() as conn:  # an item opens its exercise
        conn.exec_driver_sql("UPDATE exercise SET agenda_item_id = 9 WHERE id = 5")
    assert hub.wait("m1", now, 2.0) != now
    engine.dispose()


def test_an_exercise_screen_hears_its_meeting_on_the_same_stream():
    hub = push.Hub()
    both = (7, "m3")
    chunks: list[str] = []

    def listen():
        chunks.extend(push.stream(hub, both, lifetime=1.0, clock=lambda: "T", heartbeat=0.2))

    thread = threading.Thread(target=listen)
    thread.start()
    while not hub.watched():
        time.sleep(0.01)
    assert sorted(map(str, hub.watched())) == ["7", "m3"]  # what the watcher reads
    time.sleep(0.1)
    hub.bump([7])  # the exercise changed: its screens fetch their clock
    time.sleep(0.1)
    hub.bump(["m4"])  # another meeting: nothing
    hub.bump(["m3"])  # its meeting moved: the clock and the follower both hear it
    thread.join(3)
    names = [name for chunk in chunks for name in events_of(chunk) if name != "tick"]
    assert names == ["changed", "changed", "changed", "moved"]
    assert hub.watched() == [] and hub._joined == {}  # the ended stream left nothing behind


def test_the_exercise_stream_says_moved_when_the_programme_moves(
        room, client, login_as, frozen_clock):
    meeting = room.meeting
    meeting.starts_at = frozen_clock.now
    following_agenda(meeting)
    exercise = f.live_exercise(meeting, "presentation")
    hub = push.hub(db.engine.url)
    if hub.source != "local":
        pytest.skip("this process already hears changes from the database (its own test)")
    login_as(room.facilitator)
    body: list[str] = []
    both = (exercise.id, push.meeting_key(meeting.id))
    listener = threading.Thread(target=lambda: body.extend(
        push.stream(hub, both, lifetime=1.5, clock=lambda: "T", heartbeat=0.2)))
    listener.start()
    while both not in hub._state:
        time.sleep(0.01)
    move(client, meeting, "begin")
    listener.join(3)
    assert "moved" in [name for chunk in body for name in events_of(chunk)]
