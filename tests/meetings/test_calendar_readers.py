"""The same calendar files read by python-icalendar, vobject and ical.js: all three give
the same UTC times, in winter and summer time and on the days right after both clock
changes, in Copenhagen and Oslo; one UID whose SEQUENCE rises from invitation to update
to cancellation; the feed marks a cancelled meeting CANCELLED."""

from datetime import date, datetime, time

import pytest

from netapp.meetings.calendar import CANCEL, calendar_bytes, invitation_bytes
from netapp.meetings.models import Answer
from netapp.meetings.vtimezone import vtimezone
from netapp.meetings.zones import to_utc
from tests import factories as f
from tests.calendar_readers import read_by_all

# Local 13:00-16:30 on: a winter day, a summer day, the Mondays right after the spring
# and the autumn change of 2027, and the two change days themselves.
DAYS = [date(2027, 1, 18), date(2027, 8, 2), date(2027, 3, 29), date(2027, 11, 1),
        date(2027, 3, 28), date(2027, 10, 31)]
SUMMER = {date(2027, 8, 2), date(2027, 3, 29), date(2027, 3, 28)}


def _expected(day: date) -> tuple[datetime, datetime]:
    shift = 2 if day in SUMMER else 1
    return (datetime.combine(day, time(13 - shift, 0)),
            datetime.combine(day, time(16 - shift, 30)))


@pytest.mark.parametrize("zone", ["Europe/Copenhagen", "Europe/Oslo"])
def test_all_three_readers_give_the_same_utc_times_across_both_clock_changes(world, zone):
    from zoneinfo import ZoneInfo

    world.net.timezone = zone
    meetings = []
    for day in DAYS:
        starts = to_utc(day, time(13, 0), ZoneInfo(zone))
        meetings.append(f.meeting(world.net, starts_at=starts, hours=3.5))
    feed, = read_by_all(calendar_bytes(meetings))
    assert [(e.start, e.end) for e in feed.events] == [_expected(d) for d in DAYS]
    invitations = read_by_all(*(invitation_bytes(m, world.members[0], None) for m in meetings))
    assert [(r.events[0].start, r.events[0].end) for r in invitations] == [
        _expected(d) for d in DAYS]
    assert {r.method for r in invitations} == {"REQUEST"}


def test_the_vtimezone_is_yearly_rules_not_a_list_of_dates():
    from zoneinfo import ZoneInfo

    text = vtimezone(ZoneInfo("Europe/Oslo"), 2026, 2040).to_ical().decode()
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in text
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in text
    assert "RDATE" not in text


def test_meetings_years_apart_share_one_rule_all_readers_expand(world):
    summer_2026 = f.meeting(world.net, starts_at=datetime(2026, 8, 3, 11, 0))  # 13:00 CEST
    winter_2034 = f.meeting(world.net, starts_at=datetime(2034, 12, 5, 12, 0))  # 13:00 CET
    feed, = read_by_all(calendar_bytes([summer_2026, winter_2034]))
    assert [e.start for e in feed.events] == [datetime(2026, 8, 3, 11), datetime(2034, 12, 5, 12)]


def test_a_zone_without_a_yearly_rule_is_written_in_utc(world):
    world.net.timezone = "Africa/Casablanca"  # moves its clock around Ramadan, no yearly rule
    mtg = f.meeting(world.net, starts_at=datetime(2027, 4, 5, 10, 0))
    raw = calendar_bytes([mtg]).decode()
    assert "BEGIN:VTIMEZONE" not in raw and "DTSTART:20270405T100000Z" in raw
    feed, = read_by_all(raw.encode())
    assert feed.events[0].start == datetime(2027, 4, 5, 10, 0)


def test_request_update_cancel_keep_one_uid_with_a_rising_sequence(world):
    mtg = f.meeting(world.net, starts_at=datetime(2027, 2, 1, 12, 0), venue="Klinikken")
    member = world.members[0]
    first = invitation_bytes(mtg, member, None)
    mtg.starts_at, mtg.ends_at, mtg.sequence = (datetime(2027, 2, 2, 12, 0),
                                                datetime(2027, 2, 2, 15, 0), 1)
    update = invitation_bytes(mtg, member, Answer.YES)
    mtg.cancelled_at, mtg.sequence = datetime(2027, 1, 20), 2
    cancel = invitation_bytes(mtg, member, Answer.YES, CANCEL)
    readings = read_by_all(first, update, cancel)
    assert [r.method for r in readings] == ["REQUEST", "REQUEST", "CANCEL"]
    events = [r.events[0] for r in readings]
    assert len({e.uid for e in events}) == 1
    assert events[0].uid == f"meeting-{mtg.id}@netapp.test"
    assert [e.sequence for e in events] == [0, 1, 2]
    assert [e.status for e in events] == ["CONFIRMED", "CONFIRMED", "CANCELLED"]
    assert events[1].start == datetime(2027, 2, 2, 12, 0)


def test_the_feed_shows_a_cancelled_meeting_as_cancelled(world):
    kept = f.meeting(world.net, starts_at=datetime(2027, 2, 1, 12, 0))
    called_off = f.meeting(world.net, starts_at=datetime(2027, 3, 1, 12, 0),
                           cancelled_at=datetime(2027, 1, 10), sequence=1)
    feed, = read_by_all(calendar_bytes([kept, called_off]))
    assert [(e.status, e.sequence) for e in feed.events] == [("CONFIRMED", 0), ("CANCELLED", 1)]
    assert feed.method is None  # a feed is no iTIP message


def test_the_attendee_carries_the_members_answer_and_the_organizer_the_sender(app, world):
    import icalendar

    mtg = f.meeting(world.net, starts_at=datetime(2027, 2, 1, 12, 0))
    for answer, partstat in [(None, "NEEDS-ACTION"), (Answer.YES, "ACCEPTED"),
                             (Answer.NO, "DECLINED"), (Answer.MAYBE, "TENTATIVE")]:
        event = icalendar.Calendar.from_ical(
            invitation_bytes(mtg, world.members[1], answer)).walk("VEVENT")[0]
        attendee = event["ATTENDEE"]
        assert str(attendee) == f"mailto:{world.members[1].email}"
        assert attendee.params["PARTSTAT"] == partstat
        assert attendee.params["CN"] == world.members[1].name
        assert str(event["ORGANIZER"]) == "mailto:noreply@netapp.invalid"
        assert event["ORGANIZER"].params["CN"] == "Ledere Øst"


HOSTILE = 'Ledere "Øst"; Nord, Syd \\ Vest æøå ÆØÅ 🎉'


def test_hostile_names_and_places_are_escaped_and_folded_for_every_reader(world):
    world.net.name = HOSTILE
    world.members[0].name = 'Ann "Bo"\r\nX-INJECTED:1; æ'
    venue = "Kælderen; bag døren, \\ til venstre 🚪 " * 4  # long: folded over several lines
    mtg = f.meeting(world.net, starts_at=datetime(2027, 2, 1, 12, 0),
                    topic="Line one\r\nLine two", venue=venue.strip())
    for data in (calendar_bytes([mtg]), invitation_bytes(mtg, world.members[0], None)):
        assert all(len(line) <= 75 for line in data.split(b"\r\n"))  # octets, RFC 5545 3.1
        assert b"X-INJECTED" not in b"".join(
            line for line in data.split(b"\r\n") if line.startswith(b"X-INJECTED"))
        reading, = read_by_all(data)
        event = reading.events[0]
        assert event.summary == f"{HOSTILE}: Line one\nLine two"
        assert event.location == venue.strip()


@pytest.mark.parametrize("zone", ["America/New_York", "Australia/Sydney", "Asia/Tokyo"])
def test_the_rules_derived_for_other_zones_are_read_alike_too(world, zone):
    """Not only the EU rule: nth-Sunday rules, the southern summer, a zone without one."""
    from zoneinfo import ZoneInfo

    world.net.timezone = zone
    days = [date(2027, m, d) for m, d in ((1, 18), (3, 15), (4, 5), (7, 5), (10, 4), (11, 8))]
    starts = [to_utc(day, time(13, 0), ZoneInfo(zone)) for day in days]
    meetings = [f.meeting(world.net, starts_at=s) for s in starts]
    feed, = read_by_all(calendar_bytes(meetings))
    assert [e.start for e in feed.events] == starts
