"""From the demo: the coordinator invites, moves and then cancels the coming meeting. At
each step every e-mail's calendar part and a member's feed are read by python-icalendar,
vobject and ical.js: the right local time, one entry (one UID), updated, then cancelled."""

from datetime import datetime
from email.message import EmailMessage

import sqlalchemy as sa

from netapp import demo
from netapp.auth.models import User
from netapp.extensions import db
from netapp.meetings.calendar import reset_feed
from netapp.meetings.models import Meeting
from netapp.networks.models import Network
from tests import factories as f
from tests.calendar_readers import Reading, read_by_all, require_node
from tests.submits import once

# FROZEN_NOW is 22 Nov 2026; the demo's coming meeting is 14 days on, 13:00-16:30 local.
WINTER_START = datetime(2026, 12, 6, 12, 0)  # 13:00 CET
MOVED_START = datetime(2027, 3, 29, 12, 0)  # 14:00 CEST, the Monday after the spring change


def _calendar_parts(mails: list[EmailMessage]) -> list[bytes]:
    parts = []
    for mail in mails:
        part = next(p for p in mail.iter_attachments() if p.get_content_type() == "text/calendar")
        assert part.get_param("charset") == "utf-8"
        parts.append((part.get_param("method"), part.get_content().encode()))
    assert len({method for method, _ics in parts}) == 1
    return [ics for _method, ics in parts]


def _step(client, outbox, seen: int, feed_path: str) -> tuple[list[Reading], Reading]:
    mails = outbox()[seen:]
    assert mails, "this step e-mailed nobody"
    readings = read_by_all(*_calendar_parts(mails))
    feed, = read_by_all(client.get(feed_path).data)
    return readings, feed


def test_invite_move_cancel_read_by_three_readers(app, client, frozen_clock, outbox):
    require_node()
    assert demo.seed()
    db.session.commit()
    coming = db.session.scalar(
        sa.select(Meeting).join(Network).where(Network.name == "Ledernetværk Østjylland",
                                               Meeting.starts_at > frozen_clock.now)
        .order_by(Meeting.starts_at))
    assert coming.starts_at == WINTER_START
    member = db.session.scalar(sa.select(User).where(User.email == "medlem@example.com"))
    feed_path = f"/meetings/feed/{reset_feed(member.id)}.ics"
    db.session.commit()
    login = client.post("/auth/login", data={"email": "tovholder@example.com",
                                             "password": demo.PASSWORD})
    assert login.status_code == 302

    # 1. The invitation: METHOD:REQUEST at SEQUENCE 0, 13:00 Copenhagen = 12:00Z.
    client.post(f"/meetings/{coming.id}/invite", data={"once": once()})
    mails, feed = _step(client, outbox, 0, feed_path)
    uid = mails[0].events[0].uid
    assert {(r.method, e.uid, e.sequence, e.status, e.start) for r in mails for e in r.events} == {
        ("REQUEST", uid, 0, "CONFIRMED", WINTER_START)}
    ours = [e for e in feed.events if e.uid == uid]
    assert [(e.sequence, e.status, e.start) for e in ours] == [(0, "CONFIRMED", WINTER_START)]
    seen = len(outbox())

    # 2. Moved to the Monday after the spring change at 14:00 local (CEST, 12:00Z), told.
    page = client.get(f"/meetings/{coming.id}/edit").text
    assert "Send the invitation" not in page
    moved = client.post(f"/meetings/{coming.id}/edit", data={
        "kind": "following", "day": "2027-03-29", "start": "14:00", "end": "17:30",
        "venue": coming.venue, "video_link": "", "host_id": "", "topic": coming.topic,
        "description": "", "sequence": "0", "tell_invitees": "y", "once": once()})
    assert moved.status_code == 302
    mails, feed = _step(client, outbox, seen, feed_path)
    assert {(r.method, e.uid, e.sequence, e.status, e.start) for r in mails for e in r.events} == {
        ("REQUEST", uid, 1, "CONFIRMED", MOVED_START)}
    to_member = next(m for m in outbox()[seen:] if f.to(m) == "medlem@example.com")
    assert to_member["Subject"] == "Flyttet: Ledernetværk Østjylland, nu 29. mar. 2027"
    assert ("Mødet er flyttet fra søndag 6. december 2026, 13:00–16:30 "
            "til mandag 29. marts 2027, 14:00–17:30.") in to_member.get_body(
                ("plain",)).get_content()
    ours = [e for e in feed.events if e.uid == uid]
    assert [(e.sequence, e.status, e.start) for e in ours] == [(1, "CONFIRMED", MOVED_START)]
    seen = len(outbox())

    # 3. Cancelled: METHOD:CANCEL at SEQUENCE 2; the feed keeps one entry, CANCELLED.
    client.post(f"/meetings/{coming.id}/cancel", data={"once": once()})
    mails, feed = _step(client, outbox, seen, feed_path)
    assert {(r.method, e.uid, e.sequence, e.status, e.start) for r in mails for e in r.events} == {
        ("CANCEL", uid, 2, "CANCELLED", MOVED_START)}
    ours = [e for e in feed.events if e.uid == uid]
    assert [(e.sequence, e.status, e.start) for e in ours] == [(2, "CANCELLED", MOVED_START)]
    assert len(outbox()) - seen == len(mails)  # one cancellation per invitee, no more
