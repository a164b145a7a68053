"""Push: the event stream of an exercise, who is woken by which change, and the fan-out
between processes (PostgreSQL LISTEN/NOTIFY, the SQLite watcher)."""

import re
import threading
import time

import pytest
import sqlalchemy as sa

from netapp.extensions import db
from netapp.live import push
from netapp.live.models import Exercise
from tests import factories as f
from tests.live.helpers import HX, version_in
from tests.submits import once


def events_of(body: str) -> list[str]:
    return [line.removeprefix("event: ") for line in body.splitlines()
            if line.startswith("event: ")]


def test_the_stream_says_changed_at_once_then_ticks_and_ends(room, client, login_as):
    exercise = f.live_exercise(room.meeting, "presentation")
    login_as(room.members[0])
    response = client.get(f"/live/exercise/{exercise.id}/events",
                          headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200
    assert response.mimetype == "text/event-stream"
    # Never buffered or compressed on the way: each event must leave at once.
    assert response.headers["X-Accel-Buffering"] == "no"
    assert response.headers["Cache-Control"] in ("no-store", "no-cache, no-transform")
    assert response.headers["Content-Encoding"] == "identity"
    body = response.get_data(as_text=True)  # LIVE_STREAM_SECONDS is 0.2 in the tests
    assert body.startswith("retry: 1000\nevent: changed\ndata: 20")
    assert events_of(body)[0] == "changed"


def test_another_networks_member_gets_no_stream(room, client, login_as):
    exercise = f.live_exercise(room.meeting, "presentation")
    login_as(room.outsider)
    assert client.get(f"/live/exercise/{exercise.id}/events").status_code in (403, 404)
    client.post("/auth/logout")
    assert client.get(f"/live/exercise/{exercise.id}/events").status_code == 302  # the login


def test_a_stream_ticks_and_hears_a_change_of_its_exercise_only(monkeypatch):
    # Timed by what the stream said, not by sleeps: on a loaded machine a thread can wake late,
    # so the bump comes after the first tick and the stream ends when told, and "at once" is
    # measured against the heartbeat (2 s), not against a 0.1 s bar.
    hub = push.Hub()
    chunks: list[tuple[float, str]] = []
    running = {"on": True}
    monkeypatch.setattr(push, "serving", lambda: running["on"])
    started = time.monotonic()

    def listen():
        for chunk in push.stream(hub, 7, lifetime=60, clock=lambda: "T", heartbeat=2.0):
            chunks.append((time.monotonic() - started, chunk))

    def said(name: str) -> bool:
        return any(events_of(chunk)[0] == name for _at, chunk in chunks)

    thread = threading.Thread(target=listen)
    thread.start()
    deadline = time.monotonic() + 30
    while not said("tick") and time.monotonic() < deadline:
        time.sleep(0.01)
    hub.bump([8])  # another exercise: nothing
    hub.bump([7])
    bumped = time.monotonic() - started
    while sum(events_of(c)[0] == "changed" for _at, c in chunks) < 2 and \
            time.monotonic() < deadline:
        time.sleep(0.01)
    running["on"] = False
    hub.bump([7])  # wakes the stream, which sees it is to stop
    thread.join(30)
    names = [events_of(chunk)[0] for _at, chunk in chunks]
    assert names[0] == "changed" and "tick" in names
    after = [(at, events_of(chunk)[0]) for at, chunk in chunks if at >= bumped]
    assert after[0][1] == "changed" and after[0][0] - bumped < 1.0  # at once, not at a tick
    assert names.count("changed") == 2
    assert hub.watched() == []  # the ended stream left nothing behind


def test_a_stream_ends_when_the_worker_stops(monkeypatch):
    hub = push.Hub()
    monkeypatch.setattr(push, "serving", lambda: False)
    chunks = list(push.stream(hub, 1, lifetime=60, clock=lambda: "T", heartbeat=0.1))
    assert len(chunks) == 1 and hub.watched() == []


def test_a_committed_control_wakes_the_exercises_listeners(room, client, login_as):
    exercise = f.live_exercise(room.meeting, "presentation")
    other = f.live_exercise(room.meeting, "interviews")
    hub = push.hub(db.engine.url)
    if hub.source != "local":
        pytest.skip("this process already hears changes from the database (its own test)")
    seen, seen_other = hub.listening(exercise.id), hub.listening(other.id)
    try:
        login_as(room.facilitator)
        client.post(f"/live/exercise/{exercise.id}/control/start", data={"version": 0},
                    headers=HX)
        assert hub.wait(exercise.id, seen, 0) != seen
        assert hub.wait(other.id, seen_other, 0) == seen_other
        # a refused (stale) press changes nothing and wakes nobody
        now = hub.wait(exercise.id, seen, 0)
        client.post(f"/live/exercise/{exercise.id}/control/pause", data={"version": 0},
                    headers=HX)
        assert hub.wait(exercise.id, now, 0) == now
        # a change of the set-up, through the session (a flush), wakes them too
        client.post(f"/live/exercise/{other.id}/questions",
                    data={"text": "Hvad nu?", "once": once()})
        assert hub.wait(other.id, seen_other, 0) != seen_other
    finally:
        hub.leave(exercise.id)
        hub.leave(other.id)


def test_postgresql_notifies_other_processes_at_commit_only(app, room, client, login_as):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's; run with --db postgresql")
    import psycopg

    exercise = f.live_exercise(room.meeting, "presentation")
    url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as listener:
        listener.execute(f"LISTEN {push.CHANNEL}")
        db.session.execute(sa.update(Exercise).where(Exercise.id == exercise.id)
                           .values(extra_seconds=5))
        push.changed(db.session, exercise.id)
        db.session.rollback()  # never sent
        assert list(listener.notifies(timeout=0.3)) == []
        login_as(room.facilitator)
        client.post(f"/live/exercise/{exercise.id}/control/start", data={"version": 0},
                    headers=HX)
        heard = [n.payload for n in listener.notifies(timeout=2, stop_after=1)]
    assert heard == [str(exercise.id)]


def test_the_sqlite_watcher_hears_another_connections_commit(tmp_path):
    path = tmp_path / "watched.sqlite"
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE exercise (id INTEGER PRIMARY KEY, version INT, "
                             "revision INT, auto_advance INT, sound INT)")
        conn.exec_driver_sql("CREATE TABLE sparring_group (id INTEGER PRIMARY KEY, "
                             "exercise_id INT, version INT)")
        conn.exec_driver_sql("INSERT INTO exercise VALUES (1, 0, 0, 0, 0), (2, 0, 0, 0, 0)")
    stamped = threading.Event()

    class Hub(push.Hub):
        def bump(self, keys) -> None:  # the watcher bumps after every comparison of stamps
            super().bump(keys)
            stamped.set()

    hub = Hub()
    seen, seen_other = hub.listening(1), hub.listening(2)
    threading.Thread(target=push._watch_sqlite, args=(hub, str(path), engine),
                     daemon=True).start()
    assert stamped.wait(30)  # the watcher has taken its first stamps (a thread may start late)
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO sparring_group VALUES (1, 1, 1)")
    changed_at = time.monotonic()
    assert hub.wait(1, seen, 10.0) != seen
    # heard long before a tablet's 2 s poll would have (it looks every 0.02 s; the rest is
    # margin for a loaded machine)
    assert time.monotonic() - changed_at < 1.5
    assert hub.wait(2, seen_other, 0) == seen_other  # the other exercise did not change
    engine.dispose()


def test_a_stopped_hub_stops_listening_and_a_new_start_begins_anew(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'stopped.sqlite'}")
    before = set(threading.enumerate())
    first = push.start(engine)
    listener, = (t for t in set(threading.enumerate()) - before if t.name == "netapp-live-push")
    push.stop(engine)
    listener.join(10)  # it looks every 0.02 s; the rest is margin for a loaded machine
    assert first.stopped and not listener.is_alive()
    second = push.start(engine)
    assert second is not first and second.started and not second.stopped
    push.stop(engine)
    engine.dispose()


def test_room_controls_pause_and_resume_every_group_and_a_stale_press_shows_the_room(
        room, client, login_as):
    exercise = f.live_exercise(room.meeting, "sparring")
    login_as(room.facilitator)
    page = client.get(f"/live/exercise/{exercise.id}/facilitate")
    assert "Start all groups" in page.text and "Pause all groups" not in page.text
    started = client.post(f"/live/exercise/{exercise.id}/start-all", headers=HX)
    assert "Pause all groups" in started.text
    room_version = int(_hidden(started.text, "version"))
    paused = client.post(f"/live/exercise/{exercise.id}/room/pause",
                         data={"version": room_version}, headers=HX)
    assert paused.status_code == 200 and "Resume all groups" in paused.text
    db.session.expire_all()
    assert {g.status for g in db.session.get(Exercise, exercise.id).groups} == {"paused"}
    # The second facilitator pressed on the room as it was before: it shows where it is now.
    again = client.post(f"/live/exercise/{exercise.id}/room/pause",
                        data={"version": room_version}, headers=HX)
    assert "The exercise had already moved on" in again.text
    assert "Resume all groups" in again.text
    resumed = client.post(f"/live/exercise/{exercise.id}/room/resume",
                          data={"version": _hidden(paused.text, "version")}, headers=HX)
    assert "Pause all groups" in resumed.text and "Resume all groups" not in resumed.text
    db.session.expire_all()
    assert {g.status for g in db.session.get(Exercise, exercise.id).groups} == {"running"}
    assert client.post(f"/live/exercise/{exercise.id}/room/stop",
                       data={"version": 0}).status_code == 404
    assert client.post(f"/live/exercise/{exercise.id}/room/pause",
                       data={"version": "x"}).status_code == 303  # a plain form goes back


def test_the_overview_runs_one_group_next_and_pause(room, client, login_as):
    exercise = f.live_exercise(room.meeting, "sparring")
    group = exercise.groups[1]
    login_as(room.facilitator)
    client.post(f"/live/exercise/{exercise.id}/start-all", headers=HX)
    db.session.expire_all()
    pressed_on = db.session.get(type(group), group.id).version
    response = client.post(f"/live/group/{group.id}/control/next",
                           data={"version": pressed_on, "screen": "overview"}, headers=HX)
    assert response.status_code == 200 and 'id="live-overview"' in response.text
    db.session.expire_all()
    assert db.session.get(type(group), group.id).step_index == 1
    assert {g.step_index for g in db.session.get(Exercise, exercise.id).groups} == {0, 1}
    stale = client.post(f"/live/group/{group.id}/control/next",
                        data={"version": pressed_on, "screen": "overview"}, headers=HX)
    assert "The exercise had already moved on" in stale.text
    db.session.expire_all()
    assert db.session.get(type(group), group.id).step_index == 1  # a passed step: no skip


def test_overview_and_projector_polls_are_conditional(room, client, login_as, frozen_clock):
    exercise = f.live_exercise(room.meeting, "sparring")
    login_as(room.facilitator)
    for mode in ("facilitator", "projector"):
        fragment = client.get(f"/live/exercise/{exercise.id}/clock?mode={mode}", headers=HX)
        poll = _next_poll(fragment.text)
        assert "seen=" in poll
        assert client.get(poll, headers=HX).status_code == 204
    client.post(f"/live/exercise/{exercise.id}/start-all", headers=HX)
    assert client.get(poll, headers=HX).status_code == 200  # the projector's poll


def test_auto_advance_switched_on_at_zero_starts_the_next_step_now_at_full_length(
        room, client, login_as, frozen_clock):
    exercise = f.live_exercise(room.meeting, "presentation", seconds=120)
    login_as(room.facilitator)
    client.post(f"/live/exercise/{exercise.id}/control/start", data={"version": 0},
                headers=HX)
    frozen_clock.advance(seconds=120 + 200)  # the group waits at 0:00 for 3 min 20 s
    response = client.post(f"/live/exercise/{exercise.id}/options",
                           data={"auto_advance": "y", "sound": "y"}, headers=HX)
    assert response.status_code == 200 and "Settings saved." in response.text
    assert 'id="live-options"' in response.text and "<html" not in response.text
    db.session.expire_all()
    stored = db.session.get(Exercise, exercise.id)
    assert (stored.step_index, stored.status, stored.auto_advance) == (1, "running", True)
    fragment = client.get(f"/live/exercise/{exercise.id}/clock", headers=HX)
    assert "Speaker 2 of 8" in fragment.text and ">2:00<" in fragment.text
    assert version_in(fragment.text) == stored.version


def _hidden(html: str, name: str) -> str:
    import re

    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def _next_poll(html: str) -> str:
    import html as markup
    import re

    return markup.unescape(re.search(r'hx-get="([^"]+)"', html).group(1))


def test_a_stopping_worker_keeps_its_streams_a_little_while(monkeypatch):
    alive = {"now": True}
    clock = {"now": 100.0}
    monkeypatch.setattr(push.time, "monotonic", lambda: clock["now"])
    serving = push.until_stopped(lambda: alive["now"], grace=8.0)
    assert serving()
    alive["now"] = False  # HUP or TERM: its successors are still booting
    assert serving()
    clock["now"] += 7.9
    assert serving()
    clock["now"] += 0.2
    assert not serving()


@pytest.mark.parametrize("mode", ["facilitator", "projector"])
def test_a_group_whose_time_is_up_says_so_in_words_on_the_overview(
        room, client, login_as, frozen_clock, mode):
    exercise = f.live_exercise(room.meeting, "sparring", round_minutes=15)
    login_as(room.facilitator)
    client.post(f"/live/exercise/{exercise.id}/start-all", headers=HX)
    frozen_clock.advance(minutes=4)  # the challenge (3 minutes of 15) is over
    page = client.get(f"/live/exercise/{exercise.id}/clock?mode={mode}", headers=HX).text
    phases = re.findall(r'<p class="live-phase"[^>]*>(.*?)</p>', page, re.S)
    assert len(phases) == len(exercise.groups) >= 2
    # not by its colour alone: the words stand beside the phase on every card
    assert all("<strong>Time is up</strong>" in phase for phase in phases), phases
