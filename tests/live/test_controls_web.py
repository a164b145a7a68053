"""The facilitator's controls over the web: start, pause, next, stale versions, bad input."""

from datetime import timedelta

import sqlalchemy as sa

from netapp.auth.models import utcnow
from netapp.extensions import db
from netapp.live.models import Exercise
from tests import factories as f
from tests.live.helpers import HX, attr, version_in
from tests.submits import once


def control(client, exercise, action, version, htmx=True):
    return client.post(
        f"/live/exercise/{exercise.id}/control/{action}",
        data={"version": version},
        headers=HX if htmx else {},
    )


def stored(exercise_id: int) -> Exercise:
    db.session.expire_all()
    return db.session.get(Exercise, exercise_id)


def test_start_pause_resume_next_end(room, client, login_as):
    exercise = f.live_exercise(room.meeting, "presentation")
    login_as(room.facilitator)
    page = client.get(f"/live/exercise/{exercise.id}/facilitate")
    assert page.status_code == 200 and "Start" in page.text
    response = control(client, exercise, "start", 0)
    assert response.status_code == 200
    assert "Speaker 1 of 8" in response.text and 'data-ends-at="20' in response.text
    assert stored(exercise.id).status == "running"
    response = control(client, exercise, "pause", 1)
    assert attr(response.text, "data-ends-at") == ""  # paused: the tablets show a still time
    assert float(attr(response.text, "data-remaining")) > 119
    control(client, exercise, "resume", 2)
    response = control(client, exercise, "next", 3)
    assert "Speaker 2 of 8" in response.text
    assert (stored(exercise.id).step_index, stored(exercise.id).version) == (1, 4)
    response = control(client, exercise, "end", 4)
    assert stored(exercise.id).status == "finished"
    assert "The round is finished" in response.text


def test_a_stale_next_gets_the_current_state_and_changes_nothing(room, client, login_as):
    exercise = f.live_exercise(room.meeting, "presentation")
    login_as(room.facilitator)
    control(client, exercise, "start", 0)
    control(client, exercise, "next", 1)  # the other facilitator was quicker
    response = control(client, exercise, "next", 1)
    assert response.status_code == 200
    assert "The exercise had already moved on" in response.text
    assert version_in(response.text) == 2 and "Speaker 2 of 8" in response.text
    assert stored(exercise.id).step_index == 1


def test_plain_form_posts_redirect_back_to_the_facilitator_view(room, client, login_as):
    exercise = f.live_exercise(room.meeting, "presentation")
    login_as(room.facilitator)
    response = control(client, exercise, "start", 0, htmx=False)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/live/exercise/{exercise.id}/facilitate")
    assert stored(exercise.id).status == "running"


def test_a_control_without_a_usable_version_changes_nothing(room, client, login_as):
    exercise = f.live_exercise(room.meeting, "presentation")
    login_as(room.facilitator)
    for data in ({}, {"version": "abc"}, {"version": "-1"}):
        response = client.post(f"/live/exercise/{exercise.id}/control/start", data=data,
                               headers=HX)
        assert response.status_code == 200
        assert stored(exercise.id).status == "ready"
    assert client.post(f"/live/exercise/{exercise.id}/control/explode",
                       data={"version": 0}).status_code == 404


def test_refused_controls_show_the_current_state(room, client, login_as):
    exercise = f.live_exercise(room.meeting, "presentation")
    login_as(room.facilitator)
    response = control(client, exercise, "pause", 0)  # not running yet
    assert response.status_code == 200 and "The clock is not running" in response.text


def test_members_follow_without_controls_and_cannot_press_them(room, client, login_as):
    exercise = f.live_exercise(room.meeting, "presentation")
    login_as(room.members[0])
    page = client.get(f"/live/exercise/{exercise.id}")
    assert page.status_code == 200
    assert 'hx-trigger="every 2s, sse:changed, live-refresh"' in page.text
    assert "data-server-now" in page.text
    assert "/control/" not in page.text
    fragment = client.get(f"/live/exercise/{exercise.id}/clock?mode=facilitator", headers=HX)
    assert "/control/" not in fragment.text  # asking for the facilitator's mode is not enough
    assert control(client, exercise, "start", 0).status_code == 403
    assert stored(exercise.id).status == "ready"


def test_auto_advance_is_shown_on_read_and_written_only_by_the_next_control(
    room, client, login_as
):
    exercise = f.live_exercise(room.meeting, "presentation", auto_advance=True)
    login_as(room.facilitator)
    control(client, exercise, "start", 0)
    db.session.execute(
        sa.update(Exercise)
        .where(Exercise.id == exercise.id)
        .values(started_at=utcnow() - timedelta(seconds=3 * 120 + 30))
    )
    db.session.commit()
    fragment = client.get(f"/live/exercise/{exercise.id}/clock?mode=facilitator", headers=HX)
    assert "Speaker 4 of 8" in fragment.text
    assert stored(exercise.id).step_index == 0  # GET wrote nothing
    response = control(client, exercise, "next", version_in(fragment.text))
    assert "Speaker 5 of 8" in response.text
    assert stored(exercise.id).step_index == 4


def test_turning_auto_advance_off_keeps_the_step_the_room_sees(room, client, login_as):
    exercise = f.live_exercise(room.meeting, "presentation", auto_advance=True)
    login_as(room.facilitator)
    control(client, exercise, "start", 0)
    db.session.execute(sa.update(Exercise).where(Exercise.id == exercise.id)
                       .values(started_at=utcnow() - timedelta(seconds=250)))
    db.session.commit()
    client.post(f"/live/exercise/{exercise.id}/options", data={"sound": "y"})
    after = stored(exercise.id)
    assert (after.step_index, after.auto_advance, after.sound) == (2, False, True)


def test_too_few_attendees_is_a_clear_message_and_nothing_is_saved(app, client, login_as):
    from tests.live.conftest import make_room

    room = make_room(members=0, checked_in=False)  # a coordinator and a facilitator said yes
    login_as(room.facilitator)
    response = client.post(f"/live/meeting/{room.meeting.id}/exercises/sparring",
                           data={"sparring-once": once(),
                                 "sparring-round_minutes": 20, "sparring-rounds": 2})
    assert response.status_code == 200
    assert "Too few attendees" in response.text
    assert db.session.scalar(sa.select(sa.func.count(Exercise.id))) == 0


def test_round_length_outside_15_to_20_is_refused_at_the_field(room, client, login_as):
    login_as(room.facilitator)
    response = client.post(f"/live/meeting/{room.meeting.id}/exercises/sparring",
                           data={"sparring-once": once(),
                                 "sparring-round_minutes": 25, "sparring-rounds": 2})
    assert response.status_code == 200
    assert "A round lasts 15 to 20 minutes." in response.text
    assert 'value="25"' in response.text  # what was typed stays
    assert db.session.scalar(sa.select(sa.func.count(Exercise.id))) == 0


def test_phases_that_do_not_add_up_are_refused(room, client, login_as):
    login_as(room.facilitator)
    data = {"sparring-once": once(),
            "sparring-round_minutes": 20, "sparring-rounds": 2, "sparring-challenge": 3,
            "sparring-questions": 10, "sparring-experiences": 5, "sparring-close": 1}
    response = client.post(f"/live/meeting/{room.meeting.id}/exercises/sparring", data=data)
    assert "The phases must add up to the round" in response.text
    data["sparring-close"] = 2
    response = client.post(f"/live/meeting/{room.meeting.id}/exercises/sparring", data=data)
    assert response.status_code == 303
    assert db.session.scalar(sa.select(Exercise)).durations == [180, 600, 300, 120]


def test_unknown_kind_is_404(room, client, login_as):
    login_as(room.facilitator)
    assert client.post(f"/live/meeting/{room.meeting.id}/exercises/yoga").status_code == 404
