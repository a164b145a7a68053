"""The kiosk lock is kept with the device's login on the server: no cookie of that login, put
back, dropped or remembered, gets the tablet out of the kiosk; only the PIN or the end of the
login does, and another device of the same account is never locked."""

import html
import re

import pytest
import sqlalchemy as sa

from netapp.auth.models import DeviceSession
from netapp.evaluations import kiosk as kiosk_mode
from netapp.extensions import db
from netapp.live.views import POLLED
from netapp.meetings.models import Meeting
from tests import factories as f
from tests.live.conftest import make_room
from tests.live.helpers import HX

pytestmark = pytest.mark.usefixtures("frozen_clock")

PIN = "2468"


def kiosk_of(room) -> str:
    return f"/evaluations/meeting/{room.meeting.id}/kiosk"


def lock(client, room) -> None:
    response = client.post(f"/evaluations/meeting/{room.meeting.id}/kiosk/start",
                           data={"pin": PIN})
    assert response.headers["Location"] == kiosk_of(room)


def unlock(client, room):
    return client.post(f"/evaluations/meeting/{room.meeting.id}/kiosk/leave", data={"pin": PIN})


def session_cookie(client) -> str:
    return client.get_cookie("session", domain="netapp.test").value


def put_back(client, cookie: str) -> None:
    client.set_cookie("session", cookie, domain="netapp.test")


def device(app, user):
    """Another logged-in device of `user` (a client of its own)."""
    other = app.test_client()
    token = f.device_token(user)
    with other.session_transaction() as session:
        session["_user_id"] = token
    return other


def locks() -> list:
    """Each device session's lock, in the database."""
    found = db.session.scalars(sa.select(DeviceSession.kiosk_meeting_id)
                               .order_by(DeviceSession.id)).all()
    db.session.commit()
    return found


@pytest.fixture
def room(app):
    room = make_room()
    f.evaluation(room.meeting)
    return room


def test_an_earlier_cookie_of_the_login_put_back_is_still_in_the_kiosk(room, client, login_as):
    login_as(room.facilitator)
    assert client.get("/home").status_code == 200
    before = session_cookie(client)  # the facilitator's cookie before locking
    lock(client, room)
    put_back(client, before)
    home = client.get("/home")
    assert home.status_code == 302 and home.headers.get("Location") == kiosk_of(room)
    assert client.get(f"/evaluations/meeting/{room.meeting.id}/round").headers["Location"] \
        == kiosk_of(room)
    assert client.post("/auth/logout").headers["Location"] == kiosk_of(room)
    assert client.post("/auth/profile", data={"name": "Taken over"}).headers["Location"] \
        == kiosk_of(room)
    page = client.get(kiosk_of(room))
    assert page.status_code == 200 and "Evaluation on the shared tablet" in page.text
    assert locks() == [room.meeting.id]


def test_the_pin_unlocks_every_cookie_of_the_login(room, client, login_as):
    login_as(room.facilitator)
    client.get("/home")
    before = session_cookie(client)
    lock(client, room)
    locked = session_cookie(client)
    assert unlock(client, room).headers["Location"].endswith("/round")
    assert locks() == [None]
    for cookie in (before, locked):
        put_back(client, cookie)
        assert client.get("/home").status_code == 200


def test_a_second_tab_and_its_htmx_requests_get_the_kiosk(room, client, login_as):
    login_as(room.facilitator)
    lock(client, room)
    # a second tab is the same browser: the same cookie, the same login
    answer = client.get(f"/meetings/{room.meeting.id}", headers=HX)
    assert answer.status_code == 200 and answer.headers["HX-Redirect"] == kiosk_of(room)
    assert answer.data == b""
    answer = client.post(f"/evaluations/meeting/{room.meeting.id}/close", headers=HX)
    assert answer.headers["HX-Redirect"] == kiosk_of(room)
    assert client.get("/no/such/page").headers["Location"] == kiosk_of(room)


def test_dropping_the_session_cookie_leaves_no_login_on_the_tablet(room, client, login_as):
    login_as(room.facilitator)
    lock(client, room)
    client.delete_cookie("session", domain="netapp.test")
    assert client.get("/home").headers["Location"].startswith("/auth/login")
    assert client.get(kiosk_of(room)).headers["Location"].startswith("/auth/login")
    assert locks() == [room.meeting.id]  # the login stays locked for any cookie of it


def test_a_second_device_of_the_same_account_is_not_locked(app, room, client, login_as):
    login_as(room.facilitator)
    lock(client, room)
    phone = device(app, room.facilitator)
    assert phone.get("/home").status_code == 200
    results = phone.get(f"/evaluations/meeting/{room.meeting.id}/round")
    assert results.status_code == 200 and "kiosk-mode" not in results.text
    assert client.get("/home").headers["Location"] == kiosk_of(room)
    assert locks() == [room.meeting.id, None]


def test_the_pin_of_another_round_does_not_unlock_the_tablet(room, client, login_as):
    other = f.meeting(room.net)
    f.evaluation(other)
    login_as(room.facilitator)
    lock(client, room)
    leave = client.post(f"/evaluations/meeting/{other.id}/kiosk/leave", data={"pin": PIN})
    assert leave.headers["Location"] == kiosk_of(room)
    assert client.get(f"/evaluations/meeting/{other.id}/kiosk").headers["Location"] \
        == kiosk_of(room)
    assert client.get("/home").headers["Location"] == kiosk_of(room)
    assert locks() == [room.meeting.id]


def test_log_out_everywhere_from_the_phone_ends_the_tablets_kiosk(app, room, client, login_as):
    login_as(room.facilitator)
    before = session_cookie(client)
    lock(client, room)
    phone = device(app, room.facilitator)
    assert phone.post("/auth/logout/everywhere").status_code == 302
    assert locks() == []
    for cookie in (session_cookie(client), before):
        put_back(client, cookie)
        page = client.get(kiosk_of(room), follow_redirects=True)
        assert "/auth/login" in page.request.path  # logged out, not sent round in circles
    login_as(room.facilitator)  # the tablet's next login starts unlocked
    assert client.get("/home").status_code == 200


def test_a_deleted_meeting_takes_its_kiosk_locks_with_it(room, client, login_as):
    login_as(room.facilitator)
    lock(client, room)
    db.session.delete(db.session.get(Meeting, room.meeting.id))
    db.session.commit()
    assert locks() == [None]  # ON DELETE SET NULL, on SQLite and PostgreSQL
    assert client.get("/home").status_code == 200


# --- the live clocks' polls, answered before the user is loaded ---------------------------


def next_poll(fragment: str) -> str:
    return html.unescape(re.search(r'hx-get="([^"]+)"', fragment).group(1))


def clock_polls(client, room) -> list[str]:
    """A presentation clock's and a sparring group's next polls, as a tablet holds them."""
    exercise = f.live_exercise(room.meeting, "presentation")
    sparring = f.live_exercise(room.meeting, "sparring")
    return [next_poll(client.get(f"/live/exercise/{exercise.id}/clock", headers=HX).text),
            next_poll(client.get(f"/live/group/{sparring.groups[0].id}/clock",
                                 headers=HX).text),
            f"/live/exercise/{exercise.id}/clock"]  # a first ask: the shared fragment


def test_a_locked_tablets_clock_polls_get_the_kiosk_never_a_fragment(
        app, room, client, login_as):
    login_as(room.facilitator)
    polls = clock_polls(client, room)
    assert [client.get(poll, headers=HX).status_code for poll in polls[:2]] == [204, 204]
    device(app, room.members[0]).get(polls[2], headers=HX)  # a fragment others may share
    lock(client, room)
    for poll in polls:
        answer = client.get(poll, headers=HX)
        assert answer.status_code == 200 and answer.data == b"", poll
        assert answer.headers["HX-Redirect"] == kiosk_of(room), poll
        assert answer.headers["Cache-Control"] == "no-store"  # the other hooks' headers stay
        assert "Content-Security-Policy" in answer.headers
        plain = client.get(poll)
        assert plain.status_code == 302 and plain.headers["Location"] == kiosk_of(room)
        assert plain.data == b""
    exercise_id = polls[2].split("/")[3]
    for stream in (f"/live/exercise/{exercise_id}/events",
                   f"/live/meeting/{room.meeting.id}/events"):  # push streams: no stream
        answer = client.get(stream, headers={"Accept": "text/event-stream"})
        assert answer.status_code == 302 and answer.headers["Location"] == kiosk_of(room)


def test_a_remembered_login_without_its_session_cookie_polls_into_the_kiosk(
        room, client, login_as):
    login_as(room.facilitator, remember=True)
    polls = clock_polls(client, room)
    lock(client, room)
    client.delete_cookie("session", domain="netapp.test")
    for poll in polls:
        answer = client.get(poll, headers=HX)
        assert answer.headers.get("HX-Redirect") == kiosk_of(room) and answer.data == b"", poll


def test_an_unlocked_tablets_current_poll_stays_one_query(
        app, room, client, login_as, count_queries):
    login_as(room.facilitator)
    polls = clock_polls(client, room)
    lock(client, room)
    unlock(client, room)
    db.session.expire_all()
    for poll in polls[:2]:
        with count_queries() as n:
            answer = client.get(poll, headers=HX)
        assert answer.status_code == 204 and n() == 1, poll


def test_the_polls_checked_after_the_view_are_the_live_fast_paths():
    """The kiosk leaves alone before the view exactly the polls the live blueprint answers
    before loading the user; those answer no locked device (netapp.live.polling)."""
    assert kiosk_mode.POLLED_BEFORE_LOGIN == set(POLLED)
