"""Clock fragments shared by the screens that show the same thing: rendered once, handed only
to readers the access rule admits, never across readers, roles, languages or networks, and
anew at every change."""

import html
import re

import pytest
import sqlalchemy as sa

from netapp.auth.models import User
from netapp.extensions import db
from netapp.live.models import Exercise
from netapp.live.sharing import shelf
from netapp.networks.models import Role
from tests import factories as f
from tests.live.conftest import make_room
from tests.live.helpers import HX, attr, version_in

pytestmark = pytest.mark.usefixtures("frozen_clock")

YOUR_TURN = "It is your turn."


def device(app, user: User):
    """A logged-in screen of `user` (a client of its own)."""
    client = app.test_client()
    token = f.device_token(user)
    with client.session_transaction() as session:
        session["_user_id"] = token
    return client


def clock_url(exercise_id: int, mode: str = "tablet", seen: str = "before") -> str:
    """The URL a screen asks after a "changed" event: with the fingerprint it shows."""
    return f"/live/exercise/{exercise_id}/clock?mode={mode}&seen={seen}"


def press(client, exercise: Exercise, action: str, version: int):
    response = client.post(f"/live/exercise/{exercise.id}/control/{action}",
                           data={"version": version}, headers=HX)
    assert response.status_code == 200
    return version_in(response.text)


@pytest.fixture
def running(app, room):
    """A running presentation round, its first speaker, another speaker, their screens."""
    exercise = f.live_exercise(room.meeting, "presentation")
    boss = device(app, room.facilitator)
    press(boss, exercise, "start", 0)
    people = {u.id: u for u in room.everyone}
    speaker, other = people[exercise.speaker_ids[0]], people[exercise.speaker_ids[1]]
    return exercise, boss, speaker, other


def test_the_speaker_alone_reads_that_it_is_their_turn_whoever_asked_first(app, running):
    exercise, _boss, speaker, other = running
    first = device(app, other).get(clock_url(exercise.id), headers=HX)
    assert first.status_code == 200 and YOUR_TURN not in first.text
    mine = device(app, speaker).get(clock_url(exercise.id), headers=HX)
    assert YOUR_TURN in mine.text
    third = device(app, other).get(clock_url(exercise.id), headers=HX)
    assert YOUR_TURN not in third.text
    assert speaker.name in third.text  # the same fragment as the first, the speaker named


def test_a_fragment_is_rendered_once_and_shared_after_one_query(app, running, count_queries):
    exercise, _boss, _speaker, other = running
    listeners = [device(app, other) for _ in range(3)]
    with count_queries() as rendered:
        first = listeners[0].get(clock_url(exercise.id), headers=HX)
    with count_queries() as shared:
        second = listeners[1].get(clock_url(exercise.id), headers=HX)
    assert second.text == first.text
    assert shared() == 1  # access, reader and fingerprint together
    assert rendered() <= 7
    projector = listeners[2].get(clock_url(exercise.id, "projector"), headers=HX)
    assert "mode-projector" in projector.text and "mode-tablet" not in projector.text


def test_a_first_ask_without_a_fingerprint_is_shared_too(app, running, count_queries):
    """A screen that has shown nothing yet (a page's first ask, a restart's reconnect)."""
    exercise, _boss, _speaker, other = running
    screens = [device(app, other) for _ in range(2)]
    first = screens[0].get(f"/live/exercise/{exercise.id}/clock", headers=HX)
    with count_queries() as shared:
        second = screens[1].get(f"/live/exercise/{exercise.id}/clock", headers=HX)
    assert second.status_code == 200 and second.text == first.text
    assert shared() == 1
    assert YOUR_TURN not in second.text


def test_each_answer_carries_the_server_time_of_its_own_moment(app, running, frozen_clock):
    exercise, _boss, _speaker, other = running
    screen = device(app, other)
    first = screen.get(clock_url(exercise.id), headers=HX)
    frozen_clock.advance(seconds=3)  # same refresh window, same fingerprint
    second = screen.get(clock_url(exercise.id), headers=HX)
    assert next_seen(first.text) == next_seen(second.text)
    assert attr(first.text, "data-server-now") != attr(second.text, "data-server-now")
    assert attr(second.text, "data-server-now").startswith(
        frozen_clock.now.strftime("%Y-%m-%dT%H:%M:%S"))


def next_seen(fragment: str) -> str:
    return re.search(r"seen=([^&\"]+)", html.unescape(fragment)).group(1)


def test_a_press_shows_on_the_next_request(app, running):
    exercise, boss, _speaker, other = running
    screen = device(app, other)
    before = screen.get(clock_url(exercise.id), headers=HX)
    assert "is-running" in before.text
    version = press(boss, exercise, "pause", version_in(before.text))
    after = screen.get(clock_url(exercise.id, seen=next_seen(before.text)), headers=HX)
    assert after.status_code == 200
    assert version_in(after.text) == version and "is-paused" in after.text


def test_a_change_of_set_up_shows_on_the_next_request(app, running):
    exercise, boss, speaker, other = running
    screen = device(app, other)
    before = screen.get(clock_url(exercise.id), headers=HX)
    boss.post(f"/live/exercise/{exercise.id}/order", data={"action": "down", "index": 1})
    db.session.expire_all()
    after = screen.get(clock_url(exercise.id, seen=next_seen(before.text)), headers=HX)
    assert after.status_code == 200
    assert next_seen(after.text) != next_seen(before.text)  # a new revision
    assert speaker.name in after.text


def test_each_language_gets_its_own(app, running):
    exercise, _boss, _speaker, other = running
    readers = {}
    for language in ("da", "en", "nb", "da"):
        other.language = language
        db.session.commit()
        readers[language] = device(app, other).get(clock_url(exercise.id), headers=HX).text
    assert "Ordet har" in readers["da"] and "Speaking now" not in readers["da"]
    assert "Speaking now" in readers["en"]
    assert len({readers["da"], readers["en"], readers["nb"]}) == 3


@pytest.mark.parametrize("who", ["outsider", "guest", "logged out", "deactivated"])
def test_a_shared_fragment_is_never_handed_to_someone_the_rule_keeps_out(app, room, running,
                                                                         who):
    exercise, _boss, speaker, other = running
    assert device(app, other).get(clock_url(exercise.id), headers=HX).status_code == 200
    assert len(shelf) >= 1
    if who == "outsider":
        reader = room.outsider
    elif who == "guest":
        reader = f.member(room.net, Role.GUEST, name="Gus Guest")  # facilitates nothing here
    else:
        reader = f.member(room.net, name="Leo Leaver")
    screen = device(app, reader)
    if who == "logged out":
        screen.post("/auth/logout")
    if who == "deactivated":
        reader.active = False
        db.session.commit()
    response = screen.get(clock_url(exercise.id), headers=HX)
    assert response.status_code in (302, 401, 403, 404)
    assert speaker.name not in response.text


def test_an_interviews_tablet_is_each_readers_own(app, room):
    exercise = f.live_exercise(room.meeting, "interviews")
    press(device(app, room.facilitator), exercise, "start", 0)
    pair = exercise.pairs[0]
    people = {u.id: u for u in room.everyone}
    first, second = (people[i] for i in pair.member_ids[:2])
    outside = next(u for u in room.everyone if u.id not in pair.member_ids)
    a = device(app, first).get(clock_url(exercise.id), headers=HX).text
    b = device(app, second).get(clock_url(exercise.id), headers=HX).text
    c = device(app, outside).get(clock_url(exercise.id), headers=HX).text
    assert second.name in a and first.name in b
    assert "You are interviewed by" in a or "You interview" in a
    assert a != b and first.name not in c.split("live-clock", 1)[1].split("live-time")[0]


def test_a_new_exercise_with_an_old_ones_id_is_shown_as_itself(app, room, running):
    exercise, _boss, speaker, other = running
    speaker.name = "Stella Speaker-of-the-old-one"
    db.session.commit()
    assert speaker.name in device(app, other).get(clock_url(exercise.id), headers=HX).text
    exercise_id = exercise.id
    db.session.delete(exercise)
    db.session.commit()
    elsewhere = make_room(members=3)
    fresh = f.live_exercise(elsewhere.meeting, "presentation")
    press(device(app, elsewhere.facilitator), fresh, "start", 0)
    reader = elsewhere.members[0]
    response = device(app, reader).get(clock_url(fresh.id), headers=HX)
    assert response.status_code == 200
    assert speaker.name not in response.text
    assert elsewhere.everyone[0].name in response.text or fresh.id != exercise_id


def test_the_facilitators_fragment_with_its_controls_is_never_shared(app, room, running):
    exercise, boss, _speaker, other = running
    mine = boss.get(clock_url(exercise.id, "facilitator"), headers=HX).text
    second_device = device(app, room.facilitator)
    theirs = second_device.get(clock_url(exercise.id, "facilitator"), headers=HX).text
    assert csrf_of(mine) and csrf_of(theirs) and csrf_of(mine) != csrf_of(theirs)
    member = device(app, other).get(clock_url(exercise.id, "facilitator"), headers=HX).text
    assert "csrf_token" not in member  # a member asking for it gets no controls


def csrf_of(fragment: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', fragment).group(1)


def test_a_screen_waiting_for_another_ones_render_holds_no_database_connection(
        app, monkeypatch):
    """Fifteen tablets asking at once must not take the pool from the one that renders."""
    from netapp.live import sharing

    monkeypatch.setattr(sharing, "WAIT_SECONDS", 0.01)
    key = sharing.Key(1, "origin", "tablet", "0.1.running.0.0.1", "da", "Europe/Copenhagen", "")
    assert sharing.shelf.claim(key) is None  # another screen is rendering it
    try:
        with app.test_request_context("/live/exercise/1/clock"):
            db.session.execute(sa.select(sa.literal(1)))  # the one query
            assert db.session().in_transaction()
            assert sharing.shared_answer(key, "2026-12-01T10:00:00Z") is None  # not ready
            assert not db.session().in_transaction()  # its connection went back meanwhile
    finally:
        sharing.shelf.release(key)
