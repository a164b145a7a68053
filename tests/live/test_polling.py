"""Conditional polling: a tablet whose clock is current gets 204; any change brings it anew."""

import html
import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from netapp.auth.models import utcnow
from netapp.extensions import db
from netapp.live.clock import ClockState, Status
from netapp.live.models import Exercise, SparringGroup
from netapp.live.polling import REFRESH_SECONDS, SERVER_NOW, fingerprint
from tests import factories as f
from tests.live.helpers import HX

# A fragment's fingerprint names the 30-second window it was made in: on a running clock a
# poll a moment later may fall in the next window. The clock stands still in these tests,
# so a window changes only where a test moves the clock.
pytestmark = pytest.mark.usefixtures("frozen_clock")


def next_poll(fragment: str) -> str:
    """The URL the fragment polls next, as htmx reads it from hx-get."""
    return html.unescape(re.search(r'hx-get="([^"]+)"', fragment).group(1))


def control(client, exercise, action, version):
    return client.post(f"/live/exercise/{exercise.id}/control/{action}",
                       data={"version": version}, headers=HX)


# --- the fingerprint, a pure function --------------------------------------------------------


def test_the_fingerprint_changes_with_the_clock_the_set_up_time_up_and_the_window():
    now = datetime(2026, 11, 22, 9, 0, 0)
    running = ClockState(status=Status.RUNNING, step_index=2, started_at=now, version=5)
    same = fingerprint(running, False, 3, now)
    assert fingerprint(running, False, 3, now + timedelta(seconds=REFRESH_SECONDS - 1)) == same
    assert fingerprint(running, False, 3, now + timedelta(seconds=REFRESH_SECONDS)) != same
    assert fingerprint(running, False, 4, now) != same  # the set-up changed
    assert fingerprint(ClockState(status=Status.RUNNING, step_index=3, started_at=now,
                                  version=5), False, 3, now) != same  # auto-advance moved on
    assert fingerprint(ClockState(status=Status.PAUSED, step_index=2, started_at=now,
                                  version=6), False, 3, now) != same
    assert fingerprint(running, True, 3, now) != same  # its time is up


# --- over the web ------------------------------------------------------------------------------


def test_a_current_tablet_gets_204_with_the_servers_time_in_one_query(
    room, client, login_as, count_queries
):
    exercise = f.live_exercise(room.meeting, "presentation")
    login_as(room.facilitator)
    control(client, exercise, "start", 0)
    login_as(room.members[0])
    fragment = client.get(f"/live/exercise/{exercise.id}/clock", headers=HX)
    assert fragment.status_code == 200 and "Speaker 1 of 8" in fragment.text
    poll = next_poll(fragment.text)
    assert "seen=" in poll
    db.session.expire_all()
    with count_queries() as n:
        response = client.get(poll, headers=HX)
    assert response.status_code == 204 and response.data == b""
    assert n() == 1  # the exercise, with the login token and the membership checked in it
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    sent = datetime.fromisoformat(response.headers[SERVER_NOW].removesuffix("Z"))
    assert abs((sent - utcnow()).total_seconds()) < 5


def test_a_control_brings_the_new_state_to_a_polling_tablet(room, client, login_as):
    exercise = f.live_exercise(room.meeting, "presentation")
    login_as(room.facilitator)
    control(client, exercise, "start", 0)
    login_as(room.members[0])
    poll = next_poll(client.get(f"/live/exercise/{exercise.id}/clock", headers=HX).text)
    login_as(room.facilitator)
    control(client, exercise, "next", 1)
    login_as(room.members[0])
    response = client.get(poll, headers=HX)
    assert response.status_code == 200 and "Speaker 2 of 8" in response.text
    assert next_poll(response.text) != poll
    assert client.get(next_poll(response.text), headers=HX).status_code == 204


def test_a_new_speaking_order_reaches_tablets_before_the_start(room, client, login_as):
    exercise = f.live_exercise(room.meeting, "presentation")
    login_as(room.members[0])
    fragment = client.get(f"/live/exercise/{exercise.id}/clock", headers=HX)
    poll = next_poll(fragment.text)
    first = re.search(r"data-speaker>([^<]*)<", fragment.text).group(1)
    login_as(room.facilitator)
    client.post(f"/live/exercise/{exercise.id}/order", data={"action": "down", "index": 0})
    db.session.expire_all()
    assert db.session.get(Exercise, exercise.id).revision == 1
    login_as(room.members[0])
    response = client.get(poll, headers=HX)
    assert response.status_code == 200
    assert re.search(r"data-speaker>([^<]*)<", response.text).group(1) != first


def test_auto_advance_brings_the_next_speaker_without_a_control(room, client, login_as):
    exercise = f.live_exercise(room.meeting, "presentation", auto_advance=True)
    login_as(room.facilitator)
    control(client, exercise, "start", 0)
    login_as(room.members[0])
    poll = next_poll(client.get(f"/live/exercise/{exercise.id}/clock", headers=HX).text)
    db.session.execute(sa.update(Exercise).where(Exercise.id == exercise.id)
                       .values(started_at=utcnow() - timedelta(seconds=130)))
    db.session.commit()
    response = client.get(poll, headers=HX)
    assert response.status_code == 200 and "Speaker 2 of 8" in response.text


def test_someone_elses_fingerprint_does_not_open_another_networks_clock(
    room, client, login_as
):
    exercise = f.live_exercise(room.meeting, "presentation")
    login_as(room.members[0])
    poll = next_poll(client.get(f"/live/exercise/{exercise.id}/clock", headers=HX).text)
    login_as(room.outsider)
    assert client.get(poll, headers=HX).status_code == 404
    client.post("/auth/logout")
    assert client.get(poll, headers=HX).status_code == 401  # htmx: HX-Redirect to the login


def test_a_guest_facilitator_of_another_meeting_gets_no_204_from_a_current_fingerprint(
    room, client, login_as
):
    from netapp.networks.models import Role

    guest = f.member(room.net, Role.GUEST, name="Gitte Guest")
    f.task(f.meeting(room.net), "facilitation", guest)
    exercise = f.live_exercise(room.meeting, "presentation")
    sparring = f.live_exercise(room.meeting, "sparring")
    login_as(room.members[0])
    polls = [next_poll(client.get(f"/live/exercise/{exercise.id}/clock", headers=HX).text),
             next_poll(client.get(f"/live/group/{sparring.groups[0].id}/clock",
                                  headers=HX).text)]
    assert [client.get(poll, headers=HX).status_code for poll in polls] == [204, 204]
    login_as(guest)
    assert [client.get(poll, headers=HX).status_code for poll in polls] == [403, 403]


def test_a_poll_after_the_login_ended_or_the_account_closed_gets_the_login(
    room, client, login_as
):
    exercise = f.live_exercise(room.meeting, "presentation")
    reader = room.members[0]
    login_as(reader)
    poll = next_poll(client.get(f"/live/exercise/{exercise.id}/clock", headers=HX).text)
    assert client.get(poll, headers=HX).status_code == 204
    reader.end_sessions()  # a password change elsewhere, or "log out everywhere"
    db.session.commit()
    response = client.get(poll, headers=HX)
    assert response.status_code == 401 and response.headers["HX-Redirect"].startswith("/auth/login")
    login_as(reader)
    poll = next_poll(client.get(f"/live/exercise/{exercise.id}/clock", headers=HX).text)
    reader.active = False
    db.session.commit()
    assert client.get(poll, headers=HX).status_code == 401


def test_a_group_tablet_polls_its_own_clock_and_sees_a_move_at_once(room, client, login_as):
    exercise = f.live_exercise(room.meeting, "sparring")
    group = exercise.groups[0]
    reader = next(p for p in room.everyone if p.id in group.member_ids)
    login_as(reader)
    fragment = client.get(f"/live/group/{group.id}/clock", headers=HX)
    poll = next_poll(fragment.text)
    assert client.get(poll, headers=HX).status_code == 204
    moved = next(i for i in group.member_ids if i != reader.id)
    login_as(room.facilitator)
    client.post(f"/live/exercise/{exercise.id}/move",
                data={"person": moved, "group": exercise.groups[1].number})
    db.session.expire_all()
    assert moved not in db.session.get(SparringGroup, group.id).member_ids
    login_as(reader)
    response = client.get(poll, headers=HX)
    assert response.status_code == 200
    assert client.get(next_poll(response.text), headers=HX).status_code == 204


def test_a_made_up_fingerprint_gets_the_whole_fragment(room, client, login_as):
    exercise = f.live_exercise(room.meeting, "presentation")
    login_as(room.members[0])
    response = client.get(f"/live/exercise/{exercise.id}/clock?seen=0.0.ready.0.1", headers=HX)
    assert response.status_code == 200 and "Speaker 1 of 8" in response.text


def test_time_running_out_reaches_a_polling_tablet(room, client, login_as):
    exercise = f.live_exercise(room.meeting, "presentation")
    login_as(room.facilitator)
    control(client, exercise, "start", 0)
    login_as(room.members[0])
    poll = next_poll(client.get(f"/live/exercise/{exercise.id}/clock", headers=HX).text)
    db.session.execute(sa.update(Exercise).where(Exercise.id == exercise.id)
                       .values(started_at=utcnow() - timedelta(seconds=121)))
    db.session.commit()
    response = client.get(poll, headers=HX)
    assert response.status_code == 200 and "Time is up" in response.text


def test_a_poll_in_the_next_window_gets_the_whole_fragment(room, client, login_as, frozen_clock):
    exercise = f.live_exercise(room.meeting, "presentation")
    login_as(room.members[0])
    poll = next_poll(client.get(f"/live/exercise/{exercise.id}/clock", headers=HX).text)
    frozen_clock.advance(seconds=REFRESH_SECONDS - 11)  # the clock froze 10 s into a window
    assert client.get(poll, headers=HX).status_code == 204
    frozen_clock.advance(seconds=1)
    response = client.get(poll, headers=HX)
    assert response.status_code == 200 and "Speaker 1 of 8" in response.text
    assert client.get(next_poll(response.text), headers=HX).status_code == 204


def test_an_expired_session_on_a_poll_answers_hx_redirect(app, client, room):
    exercise = f.live_exercise(room.meeting, "presentation")
    response = client.get(f"/live/exercise/{exercise.id}/clock", headers={"HX-Request": "true"})
    assert response.status_code == 401 and "/auth/login" in response.headers["HX-Redirect"]


# --- a clock's fragment only reads ----------------------------------------------------------


def _statements_of(request_fn) -> list[tuple[str, bool]]:
    """Each statement a request ran, with whether its connection was in autocommit."""
    seen: list[tuple[str, bool]] = []

    def before(conn, _cursor, statement, _params, _context, _many):
        dbapi = conn.connection.dbapi_connection
        seen.append((statement, bool(getattr(dbapi, "autocommit", False))))

    sa.event.listen(db.engine, "before_cursor_execute", before)
    try:
        request_fn()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", before)
    return seen


@pytest.mark.parametrize("kind", ["presentation", "interviews", "sparring"])
def test_a_rendered_clock_fragment_runs_outside_a_transaction_and_asks_for_groups_of_sparring_only(
    room, client, login_as, kind
):
    """On a database server no BEGIN and ROLLBACK go with it; every kind reads the same."""
    exercise = f.live_exercise(room.meeting, kind)
    login_as(room.members[0])
    url = f"/live/exercise/{exercise.id}/clock?mode=projector&seen=stale"
    shown: list = []
    statements = _statements_of(lambda: shown.append(client.get(url, headers=HX)))
    screen = "live-overview" if kind == "sparring" else "live-clock"
    assert shown[0].status_code == 200 and f'id="{screen}"' in shown[0].text
    asked_groups = any(s.startswith("SELECT sparring_group.") for s, _a in statements)
    assert asked_groups is (kind == "sparring")
    on_server = db.engine.dialect.name == "postgresql"
    assert [s[:60] for s, autocommit in statements if autocommit is not on_server] == []


def test_a_press_writes_in_a_transaction_and_renders_its_answer_outside_one(
    room, client, login_as
):
    """The answer's reads after the commit end in no ROLLBACK (which would make psycopg
    deallocate its prepared statements); the write itself is one transaction."""
    exercise = f.live_exercise(room.meeting, "presentation")
    login_as(room.facilitator)
    url = f"/live/exercise/{exercise.id}/control/start"
    shown: list = []
    statements = _statements_of(lambda: shown.append(
        client.post(url, data={"version": 0}, headers=HX)))
    assert shown[0].status_code == 200 and "Speaker 1 of 8" in shown[0].text
    update = next(i for i, (s, _a) in enumerate(statements) if s.startswith("UPDATE exercise"))
    on_server = db.engine.dialect.name == "postgresql"
    assert statements[update][1] is False
    rendered = statements[update + 1:]
    assert rendered and all(autocommit is on_server for s, autocommit in rendered
                            if not s.startswith("SELECT pg_notify")), rendered
