"""Home shows the network's facilitator every coming meeting, and a guest facilitator only
the meetings they facilitate (my next meetings, my networks' next meeting, today's live)."""

from datetime import datetime, timedelta

from netapp.auth.models import utcnow
from netapp.meetings.models import TaskKind
from tests import factories as f


def _two_meetings(world):
    soon = (utcnow() + timedelta(days=7)).replace(microsecond=0)
    first = f.meeting(world.net, starts_at=soon, topic="Not the guest's meeting")
    theirs = f.meeting(world.net, starts_at=soon + timedelta(days=30), topic="Guest meeting")
    f.task(theirs, TaskKind.FACILITATION.value, world.guest)
    return first, theirs


def test_a_guest_facilitator_sees_only_their_meeting_on_home(client, login_as, world):
    first, theirs = _two_meetings(world)
    login_as(world.guest)
    home = client.get("/home").text
    assert f"/meetings/{theirs.id}" in home and "Guest meeting" in home
    assert f"/meetings/{first.id}" not in home and "Not the guest" not in home
    assert client.get(f"/meetings/{first.id}").status_code == 403


def test_the_network_facilitator_sees_every_coming_meeting_without_an_answer(client, login_as,
                                                                             world):
    first, theirs = _two_meetings(world)
    login_as(world.facilitator)
    home = client.get("/home").text
    assert f"/meetings/{first.id}" in home and f"/meetings/{theirs.id}" in home
    assert "Not answered" not in home  # facilitators run the meeting; they give no answer
    page = client.get(f"/meetings/{first.id}")
    assert page.status_code == 200 and "Check-in list" in page.text
    assert client.get(f"/meetings/{first.id}/checkin").status_code == 200


def test_a_guest_facilitator_runs_only_their_meeting(client, login_as, world):
    mtg = f.meeting(world.net)
    f.task(mtg, TaskKind.FACILITATION.value, world.guest)
    f.answer(f.meeting(world.net, starts_at=datetime(2020, 1, 1, 12)), world.members[0], "yes")
    login_as(world.guest)
    assert client.get(f"/meetings/{mtg.id}").status_code == 200
    assert client.get(f"/meetings/{mtg.id}/checkin").status_code == 200
    assert client.post(f"/meetings/{mtg.id}/checkin/{world.members[0].id}").status_code == 302
    assert client.get(f"/meetings/{mtg.id}/agenda").status_code == 403
    assert client.post(f"/meetings/{mtg.id}/answer", data={"answer": "yes"}).status_code == 403
    listing = client.get(f"/meetings/network/{world.net.id}")
    assert listing.text.count("meeting-row") == 1  # only the meeting they facilitate
