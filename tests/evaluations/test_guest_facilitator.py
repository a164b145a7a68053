"""A guest facilitator reads evaluation text only of the meetings they facilitated; the
network's own facilitator runs every meeting's round without holding its task."""

from datetime import timedelta

import sqlalchemy as sa

from netapp.auth.models import utcnow
from netapp.evaluations.models import MeetingEvaluation
from netapp.extensions import db
from netapp.networks.models import Role
from tests import factories as f

THEIRS, NOT_THEIRS = "Text of the guest own meeting", "Text of a meeting they did not run"


def _two_rounds(world):
    """The world's meeting (the guest facilitated it) and an earlier one they did not."""
    guest = f.member(world.net, Role.GUEST, name="Gitte Guest")
    f.task(world.meeting, "facilitation", guest)
    earlier = f.meeting(world.net, starts_at=(utcnow() - timedelta(days=30)).replace(
        microsecond=0), topic="Tidligere møde")
    for meeting, text in ((world.meeting, THEIRS), (earlier, NOT_THEIRS)):
        f.evaluation_answer(f.evaluation(meeting), world.members[0], good=text)
    return guest, earlier


def test_a_guest_reads_the_text_of_their_own_round_only(world, client, login_as):
    guest, earlier = _two_rounds(world)
    login_as(guest)
    own = client.get(f"/evaluations/meeting/{world.meeting.id}/round")
    assert own.status_code == 200 and THEIRS in own.text
    for path in (f"/evaluations/meeting/{earlier.id}/round",
                 f"/evaluations/meeting/{earlier.id}/kiosk",
                 f"/evaluations/meeting/{earlier.id}",
                 f"/evaluations/network/{world.net.id}/health",
                 f"/evaluations/network/{world.net.id}/export.csv"):
        page = client.get(path)
        assert page.status_code == 403 and NOT_THEIRS not in page.text, path
    listing = client.get(f"/evaluations/network/{world.net.id}").text
    assert "Delegering" in listing and "Tidligere møde" not in listing


def test_a_guest_cannot_close_or_reopen_another_meetings_round(world, client, login_as):
    guest, earlier = _two_rounds(world)
    login_as(guest)
    assert client.post(f"/evaluations/meeting/{earlier.id}/close").status_code == 403
    assert client.post(f"/evaluations/meeting/{earlier.id}/open").status_code == 403
    closed = db.session.scalar(sa.select(MeetingEvaluation.closed_at).where(
        MeetingEvaluation.meeting_id == earlier.id))
    assert closed is None


def test_the_network_facilitator_runs_every_round(world, client, login_as):
    _guest, earlier = _two_rounds(world)
    login_as(world.facilitator)  # holds no facilitation task
    for meeting, text in ((world.meeting, THEIRS), (earlier, NOT_THEIRS)):
        page = client.get(f"/evaluations/meeting/{meeting.id}/round")
        assert page.status_code == 200 and text in page.text
    listing = client.get(f"/evaluations/network/{world.net.id}").text
    assert listing.count("The evaluation round") == 2


def test_a_member_whose_turn_it_is_runs_that_meeting_only(world, client, login_as):
    """The facilitation task rotates among the members: its holder checks the room in and
    runs the round of that meeting, and of no other; another member runs neither."""
    turn, other = world.members[0], world.members[1]
    f.task(world.meeting, "facilitation", turn)
    earlier = f.meeting(world.net, starts_at=(utcnow() - timedelta(days=30)).replace(
        microsecond=0), topic="Tidligere møde")
    login_as(turn)
    for path in (f"/meetings/{world.meeting.id}/checkin",
                 f"/evaluations/meeting/{world.meeting.id}/round",
                 f"/evaluations/meeting/{world.meeting.id}/kiosk"):
        assert client.get(path).status_code == 200, path
    assert client.post(f"/evaluations/meeting/{world.meeting.id}/open",
                       data={"include_check": ""}).status_code == 302
    assert db.session.scalar(sa.select(MeetingEvaluation.meeting_id)) == world.meeting.id
    for path in (f"/meetings/{earlier.id}/checkin", f"/evaluations/meeting/{earlier.id}/round",
                 f"/meetings/{world.meeting.id}/edit"):
        assert client.get(path).status_code == 403, path
    login_as(other)
    for path in (f"/meetings/{world.meeting.id}/checkin",
                 f"/evaluations/meeting/{world.meeting.id}/round"):
        assert client.get(path).status_code == 403, path
