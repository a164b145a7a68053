"""Calendar files: they parse, carry the zone's VTIMEZONE and the local wall-clock times."""

import hashlib
import re
from datetime import datetime

import icalendar
import sqlalchemy as sa

from netapp.extensions import db
from netapp.meetings.calendar import calendar_bytes
from netapp.meetings.models import CalendarFeed, TaskKind
from tests import factories as f

AGAIN = {"password": f.PASSWORD}  # a new address asks for the password again


def test_ics_has_tzid_and_local_times_on_both_sides_of_the_clock_change(world):
    summer = f.meeting(world.net, starts_at=datetime(2030, 9, 24, 15, 0), topic="Delegering")
    winter = f.meeting(world.net, starts_at=datetime(2030, 11, 26, 16, 0))
    cal = icalendar.Calendar.from_ical(calendar_bytes([summer, winter]))
    zones = [c for c in cal.walk("VTIMEZONE")]
    assert [str(z["TZID"]) for z in zones] == ["Europe/Copenhagen"]
    events = cal.walk("VEVENT")
    starts = [e["DTSTART"].dt for e in events]
    assert [(s.hour, s.minute) for s in starts] == [(17, 0), (17, 0)]
    assert all(str(s.tzinfo) == "Europe/Copenhagen" for s in starts)
    assert events[0]["DTSTART"].params["TZID"] == "Europe/Copenhagen"
    assert str(events[0]["SUMMARY"]) == "Ledere Øst: Delegering"


def test_ics_follows_the_networks_zone(world):
    world.net.timezone = "Europe/Oslo"
    mtg = f.meeting(world.net, starts_at=datetime(2030, 9, 24, 15, 0))
    raw = calendar_bytes([mtg]).decode()
    assert "TZID:Europe/Oslo" in raw and "DTSTART;TZID=Europe/Oslo:20300924T170000" in raw


def test_meeting_ics_download(client, login_as, world):
    mtg = f.meeting(world.net)
    login_as(world.members[0])
    response = client.get(f"/meetings/{mtg.id}/meeting.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    icalendar.Calendar.from_ical(response.data)


def _feed_path(page_text: str) -> str:
    return re.search(r"http://netapp\.test(/meetings/feed/[^<\s]+\.ics)", page_text).group(1)


def test_feed_is_made_on_post_and_reset_stops_the_old_address(client, login_as, world):
    mine = f.meeting(world.net, topic="Vores møde")
    f.meeting(world.other_net, topic="Andres møde")
    login_as(world.members[0])
    page = client.get("/meetings/calendar")
    assert "Make my calendar address" in page.text
    assert db.session.scalar(sa.select(sa.func.count(CalendarFeed.user_id))) == 0
    old = _feed_path(client.post("/meetings/calendar/reset", data=AGAIN,
                                 follow_redirects=True).text)
    client.post("/auth/logout")
    feed = client.get(old)
    assert feed.status_code == 200
    text = feed.data.decode()
    assert "Vores møde" in text and "Andres møde" not in text and f"meeting-{mine.id}@" in text
    login_as(world.members[0])
    new = _feed_path(client.post("/meetings/calendar/reset", data=AGAIN,
                                 follow_redirects=True).text)
    assert new != old
    assert client.get(old).status_code == 404 and client.get(new).status_code == 200


def test_feed_token_is_stored_only_as_its_hash_and_shown_once(client, login_as, world):
    login_as(world.members[0])
    path = _feed_path(client.post("/meetings/calendar/reset", data=AGAIN,
                                 follow_redirects=True).text)
    token = path.removeprefix("/meetings/feed/").removesuffix(".ics")
    row = db.session.execute(sa.select(CalendarFeed.__table__)).one()
    assert token not in [str(value) for value in row]
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    again = client.get("/meetings/calendar")
    assert token not in again.text and "Make a new address" in again.text
    assert client.get(path).status_code == 200


def test_the_first_address_is_told_as_made_and_a_new_one_as_new(client, login_as, world):
    login_as(world.members[0])
    first = client.post("/meetings/calendar/reset", data={"password": f.PASSWORD},
                        follow_redirects=True).text
    assert "Your calendar address is made." in first and "Subscribe again" not in first
    second = client.post("/meetings/calendar/reset", data={"password": f.PASSWORD},
                         follow_redirects=True).text
    assert "Your calendar address is new. Subscribe again with it." in second


def test_a_guest_facilitator_feed_holds_only_their_meetings(client, login_as, world):
    from netapp.meetings.calendar import feed_meetings

    theirs = f.meeting(world.net, topic="Facilitated")
    f.meeting(world.net, starts_at=datetime(2031, 1, 1, 12), topic="Not theirs")
    f.task(theirs, TaskKind.FACILITATION.value, world.guest)
    topics = [m.topic for m in feed_meetings(world.guest, datetime(2000, 1, 1))]
    assert topics == ["Facilitated"]


def test_the_network_facilitator_feed_holds_every_meeting(client, login_as, world,
                                                          frozen_clock):
    from netapp.meetings.calendar import feed_meetings

    f.meeting(world.net, topic="First")
    f.meeting(world.net, starts_at=datetime(2031, 1, 1, 12), topic="Second")
    topics = [m.topic for m in feed_meetings(world.facilitator, datetime(2000, 1, 1))]
    assert topics == ["First", "Second"]


def test_a_borrowed_tablet_cannot_make_an_address_that_outlives_logging_out(
        app, client, login_as, world):
    f.meeting(world.net, topic="Vores møde")
    login_as(world.members[0])  # a stranger holds the member's logged-in tablet
    for data in ({}, {"password": "a guess of mine"}):
        page = client.post("/meetings/calendar/reset", data=data)
        assert page.status_code == 200 and "/meetings/feed/" not in page.text
    assert "Det er ikke din adgangskode." in page.text or "That is not your password." in page.text
    assert db.session.scalar(sa.select(sa.func.count(CalendarFeed.user_id))) == 0
    made = client.post("/meetings/calendar/reset", data=AGAIN, follow_redirects=True)
    assert "/meetings/feed/" in made.text  # the member, who knows it, still can
