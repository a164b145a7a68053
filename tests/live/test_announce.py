"""What the room's screen readers hear: each clock states its step, its state and who has
the word (or the phase) in data-announce, which a11y.js reads out in a polite live region."""

import html

import sqlalchemy as sa

from netapp.extensions import db
from netapp.live.models import SparringGroup
from tests import factories as f
from tests.live.helpers import HX, attr, version_in


def _control(client, url, action, version):
    return client.post(f"{url}/control/{action}", data={"version": version}, headers=HX)


def test_the_presentation_clock_says_the_speaker_and_the_state(room, client, login_as):
    room.members[0].name = 'Anna "<b>" Holm'  # a name is text, never markup
    db.session.commit()
    exercise = f.live_exercise(room.meeting, "presentation")
    login_as(room.facilitator)
    page = client.get(f"/live/exercise/{exercise.id}/facilitate").text
    assert 'id="announcer"' in page and 'aria-live="polite"' in page
    assert html.unescape(attr(page, "data-announce")).startswith(
        "Speaker 1 of 8. Waiting for the start. Speaking now: ")
    url = f"/live/exercise/{exercise.id}"
    said = _control(client, url, "start", 0).text
    speaker = html.unescape(attr(said, "data-announce"))
    assert speaker.startswith("Speaker 1 of 8. Running. Speaking now: ")
    while "Anna" not in speaker:
        said = _control(client, url, "next", version_in(said)).text
        speaker = html.unescape(attr(said, "data-announce"))
    assert speaker.endswith('Speaking now: Anna "<b>" Holm')
    assert "<b>" not in said and "&lt;b&gt;" in said
    paused = html.unescape(attr(_control(client, url, "pause", version_in(said)).text,
                                "data-announce"))
    assert "Paused" in paused and "Anna" in paused


def test_a_sparring_group_clock_says_the_round_the_phase_and_the_case_giver(room, client,
                                                                             login_as):
    exercise = f.live_exercise(room.meeting, "sparring")
    group = db.session.scalars(sa.select(SparringGroup).where(
        SparringGroup.exercise_id == exercise.id)).first()
    login_as(room.facilitator)
    said = client.post(f"/live/group/{group.id}/control/start", data={"version": 0},
                       headers=HX).text
    sentence = html.unescape(attr(said, "data-announce"))
    assert sentence.startswith("Round 1 of ")
    assert ". Running. The challenge. Case-giver: " in sentence
