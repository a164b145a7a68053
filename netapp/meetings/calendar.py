"""Calendar files: one meeting for an e-mail, or a member's private feed of all their meetings."""

import secrets
from datetime import UTC, datetime

import icalendar
import sqlalchemy as sa
import sqlalchemy.orm as so

from netapp import access
from netapp.auth.models import User, hash_token, utcnow
from netapp.extensions import db
from netapp.meetings.models import CalendarFeed, Meeting
from netapp.meetings.zones import to_local, zone_of
from netapp.networks.models import Membership


def _event(meeting: Meeting, url: str | None) -> icalendar.Event:
    zone = zone_of(meeting.network)
    event = icalendar.Event()
    event.add("uid", f"meeting-{meeting.id}@netapp")
    event.add("dtstamp", utcnow().replace(tzinfo=UTC))
    event.add("dtstart", to_local(meeting.starts_at, zone))
    event.add("dtend", to_local(meeting.ends_at, zone))
    title = meeting.network.name + (f": {meeting.topic}" if meeting.topic else "")
    event.add("summary", title)
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


def calendar_bytes(
    meetings: list[Meeting], urls: dict[int, str] | None = None, name: str = "netapp"
) -> bytes:
    """An iCalendar file with a VTIMEZONE for every zone its meetings use."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//netapp//meetings//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    for meeting in meetings:
        cal.add_component(_event(meeting, (urls or {}).get(meeting.id)))
    cal.add_missing_timezones()
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
