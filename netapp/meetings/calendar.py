"""Calendar files: one meeting to download, an invitation (iTIP) for one member's e-mail,
or a member's private feed of all their meetings.

Every copy of a meeting, wherever it goes, carries the same UID (the meeting's id on this
installation's public host) and the meeting's SEQUENCE, so a calendar that holds it
replaces it on an update or a cancellation instead of adding a second entry.
"""

import secrets
from datetime import UTC, datetime
from email.utils import parseaddr
from urllib.parse import urlsplit

import icalendar
import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app

from netapp import access
from netapp.auth.models import User, hash_token, utcnow
from netapp.extensions import db
from netapp.hygiene import one_line
from netapp.meetings.models import Answer, CalendarFeed, Meeting
from netapp.meetings.vtimezone import vtimezone
from netapp.meetings.zones import to_local, zone_of
from netapp.networks.models import Membership

REQUEST, CANCEL = "REQUEST", "CANCEL"
# iTIP's participation status for each answer; no answer yet is NEEDS-ACTION.
PARTSTAT = {Answer.YES: "ACCEPTED", Answer.NO: "DECLINED", Answer.MAYBE: "TENTATIVE"}


def uid_of(meeting: Meeting) -> str:
    """meeting-<id>@<public host>: the same meeting id on two installations never collides."""
    base = urlsplit(current_app.config["PUBLIC_URL"])
    where = base.netloc.lower() + base.path.rstrip("/").replace("/", ".")
    return f"meeting-{meeting.id}@{where}"


def _title(meeting: Meeting) -> str:
    return meeting.network.name + (f": {meeting.topic}" if meeting.topic else "")


def _event(meeting: Meeting, url: str | None, zoned: set[str]) -> icalendar.Event:
    zone = zone_of(meeting.network)
    event = icalendar.Event()
    event.add("uid", uid_of(meeting))
    event.add("dtstamp", utcnow().replace(tzinfo=UTC))
    event.add("created", meeting.created_at.replace(tzinfo=UTC))
    event.add("sequence", meeting.sequence)
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    for name, utc in (("dtstart", meeting.starts_at), ("dtend", meeting.ends_at)):
        # Local time with the zone's VTIMEZONE where it has rules every reader expands the
        # same way; otherwise UTC, which no reader can get wrong.
        local = to_local(utc, zone)
        event.add(name, local if zone.key in zoned else local.astimezone(UTC))
    event.add("summary", _title(meeting))
    place = meeting.video_link or meeting.venue
    if place:
        event.add("location", place)
    lines = [meeting.description] if meeting.description else []
    lines += [f"{item.minutes} min · {item.title}" for item in meeting.agenda]
    if lines:
        event.add("description", "\n".join(lines))
    if url:
        event.add("url", url)
    return event


def _calendar(meetings: list[Meeting], name: str, method: str | None) -> tuple:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//netapp//meetings//EN")
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", name)
    zoned = set()
    zones = {zone_of(m.network).key: zone_of(m.network) for m in meetings}
    for key, zone in sorted(zones.items()):
        years = [to_local(m.starts_at, zone).year for m in meetings
                 if zone_of(m.network).key == key]
        component = vtimezone(zone, min(years), max(years) + 1)
        if component is not None:
            cal.add_component(component)
            zoned.add(key)
    return cal, zoned


def calendar_bytes(
    meetings: list[Meeting], urls: dict[int, str] | None = None, name: str = "netapp"
) -> bytes:
    """A calendar file (download or feed) of meetings, cancelled ones marked CANCELLED."""
    cal, zoned = _calendar(meetings, name, None)
    for meeting in meetings:
        cal.add_component(_event(meeting, (urls or {}).get(meeting.id), zoned))
    return cal.to_ical()


def organizer() -> tuple[str, str]:
    """The invitation's organizer: the sender's name and address."""
    name, address = parseaddr(current_app.config["MAIL_SENDER"])
    return name, address


def invitation_bytes(meeting: Meeting, person: User, answer: Answer | None,
                     method: str = REQUEST, url: str | None = None) -> bytes:
    """One member's copy of the invitation (REQUEST, also for updates) or cancellation
    (CANCEL), RFC 5546: the network as ORGANIZER with the sender's address, the member as
    ATTENDEE with their answer. Answers go through the app's links, so RSVP is FALSE."""
    cal, zoned = _calendar([meeting], meeting.network.name, method)
    event = _event(meeting, url, zoned)
    _name, address = organizer()
    # A name is one line: readers differ on RFC 6868's ^n in a parameter.
    event.add("organizer", f"mailto:{address}", parameters={"CN": one_line(meeting.network.name)})
    event.add("attendee", f"mailto:{person.email}", parameters={
        "CN": one_line(person.name), "ROLE": "REQ-PARTICIPANT", "CUTYPE": "INDIVIDUAL",
        "PARTSTAT": PARTSTAT.get(answer, "NEEDS-ACTION"), "RSVP": "FALSE"})
    if method == CANCEL:
        event["status"] = icalendar.vText("CANCELLED")
    cal.add_component(event)
    return cal.to_ical()


def feed_of(user_id: int) -> CalendarFeed | None:
    """The member's feed row, if they made one."""
    return db.session.get(CalendarFeed, user_id)


def reset_feed(user_id: int) -> str:
    """Make (or replace) the secret token and return it: the old URL stops working at once.
    Only its hash is stored, so this is the one moment the address can be shown."""
    token = secrets.token_urlsafe(32)
    feed = feed_of(user_id)
    if feed is None:
        feed = CalendarFeed(user_id=user_id, token_hash=hash_token(token))
        db.session.add(feed)
    feed.token_hash = hash_token(token)
    feed.created_at = utcnow()
    db.session.flush()
    return token


def feed_user(token: str) -> User | None:
    """The active member whose feed this token opens."""
    if not token:
        return None
    return db.session.scalar(
        sa.select(User)
        .join(CalendarFeed, CalendarFeed.user_id == User.id)
        .where(CalendarFeed.token_hash == hash_token(token), User.active.is_(True))
    )


def feed_meetings(user: User, since: datetime) -> list[Meeting]:
    """Meetings of the member's networks from `since` on; a guest facilitator's own only."""
    return list(
        db.session.scalars(
            sa.select(Meeting)
            .join(Membership, Membership.network_id == Meeting.network_id)
            .where(
                Membership.user_id == user.id,
                Meeting.starts_at >= since,
                access.readable(Membership.role, Meeting.id, user.id),
            )
            .options(so.joinedload(Meeting.network), so.selectinload(Meeting.agenda))
            .order_by(Meeting.starts_at)
        ).unique()
    )
