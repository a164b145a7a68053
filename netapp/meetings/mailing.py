"""E-mails about meetings: invitations with the agenda, reminders, and the summary."""

from datetime import datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app, has_request_context

from netapp import mail
from netapp.auth.models import User
from netapp.extensions import db
from netapp.links import public_url_for
from netapp.meetings import attendance
from netapp.meetings.calendar import calendar_bytes
from netapp.meetings.models import Answer, Attendance, Meeting, MeetingSettings, Reminder
from netapp.meetings.planning import settings_for
from netapp.meetings.zones import to_local, zone_of


def _links(meeting: Meeting, user: User) -> dict[str, str]:
    token = attendance.answer_token(meeting, user)
    links = {
        a.value: public_url_for(
            "meetings.rsvp", meeting_id=meeting.id, token=token, a=a.value)
        for a in Answer
    }
    links["page"] = public_url_for("meetings.meeting", meeting_id=meeting.id)
    return links


def _send(meeting: Meeting, user: User, template: str, **context) -> None:
    zone = zone_of(meeting.network)
    ics = calendar_bytes(
        [meeting],
        {meeting.id: public_url_for("meetings.meeting", meeting_id=meeting.id)},
        meeting.network.name,
    )
    mail.send_template(
        user,
        f"meetings/email/{template}",
        attachments=[("meeting.ics", ics, "text/calendar")],
        meeting=meeting,
        starts=to_local(meeting.starts_at, zone),
        ends=to_local(meeting.ends_at, zone),
        links=_links(meeting, user),
        **context,
    )


def send_invitations(meeting: Meeting, now: datetime) -> int:
    """E-mail every participant the invitation, agenda, calendar file and answer links."""
    settings = settings_for(meeting.network_id)
    deadline = attendance.answer_deadline(meeting, settings.answer_deadline_days)
    people = attendance.invitees(meeting)
    for person in people:
        _send(meeting, person, "invitation", deadline=deadline)
    meeting.invited_at = now
    db.session.flush()
    return len(people)


def remind_unanswered(meeting: Meeting) -> int:
    """The coordinator's nudge: e-mail those who have not answered yet."""
    rows = attendance.roster(meeting)
    people = [user for user, row in rows if row is None or row.answer is None]
    for person in people:
        _send(meeting, person, "reminder")
    return len(people)


def due_reminders(now: datetime) -> list[tuple[Meeting, User]]:
    """Who gets a reminder now: no answer yet or yes, N days before, not reminded before."""
    horizon = now + timedelta(days=60)
    meetings = db.session.execute(
        sa.select(Meeting, MeetingSettings.reminder_days_before)
        .outerjoin(MeetingSettings, MeetingSettings.network_id == Meeting.network_id)
        .where(Meeting.starts_at > now, Meeting.starts_at <= horizon)
        .options(so.joinedload(Meeting.network))
    ).all()
    due = [
        m
        for m, days in meetings
        if m.starts_at - timedelta(days=3 if days is None else days) <= now
    ]
    if not due:
        return []
    sent = {
        tuple(row)
        for row in db.session.execute(
            sa.select(Reminder.meeting_id, Reminder.user_id).where(
                Reminder.meeting_id.in_([m.id for m in due])
            )
        )
    }
    result = []
    for meeting in due:
        for user, row in attendance.roster(meeting):
            answered = row is not None and row.answer is not None
            if (meeting.id, user.id) in sent or (answered and row.answer != Answer.YES):
                continue
            result.append((meeting, user))
    return result


def send_reminders(now: datetime) -> int:
    """Send the due reminders and remember each, so a second run sends nothing."""
    due = due_reminders(now)
    for meeting, user in due:
        _send(meeting, user, "reminder")
        db.session.add(Reminder(meeting_id=meeting.id, user_id=user.id, sent_at=now))
        db.session.flush()
    return len(due)


def send_summary(meeting: Meeting, now: datetime) -> int:
    """E-mail the summary (opsamling) to every participant, with the next meeting's topic."""
    from netapp.meetings.summary import next_meeting

    following = next_meeting(meeting)
    people = attendance.invitees(meeting)
    zone = zone_of(meeting.network)
    for person in people:
        mail.send_template(
            person,
            "meetings/email/summary",
            meeting=meeting,
            starts=to_local(meeting.starts_at, zone),
            following=following,
            following_starts=to_local(following.starts_at, zone) if following else None,
            page=public_url_for("meetings.meeting", meeting_id=meeting.id),
        )
    meeting.summary_sent_at = now
    db.session.flush()
    return len(people)


def outside_request(func, *args):
    """Run a mailer from the CLI in a request for PUBLIC_URL, as the mail templates expect."""
    if has_request_context():
        return func(*args)
    base = current_app.config["PUBLIC_URL"]
    with current_app.test_request_context(base_url=base):
        return func(*args)


__all__ = ["Attendance", "send_invitations", "send_reminders", "send_summary"]
