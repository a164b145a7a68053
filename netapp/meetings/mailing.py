"""E-mails about meetings: invitations with the agenda, reminders, and the summary."""

from datetime import datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app, has_request_context

from netapp import mail
from netapp.auth.models import User
from netapp.extensions import db
from netapp.links import public_url_for
from netapp.live.notes import flipover_points
from netapp.meetings import attendance
from netapp.meetings.calendar import CANCEL, REQUEST, invitation_bytes
from netapp.meetings.changes import Before
from netapp.meetings.models import (
    Answer,
    Attendance,
    Goal,
    Meeting,
    MeetingSettings,
    Reminder,
)
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


def invitation_topic(meeting: Meeting) -> str:
    """How the outbox names a meeting's invitation e-mails."""
    return f"meeting-invitation:{meeting.id}"


def invitation_delivery(meeting: Meeting) -> dict[int, str]:
    """Per invited user id: was the latest invitation e-mail sent, is it waiting, or failed."""
    return mail.delivery_by_user(invitation_topic(meeting))


def _send(meeting: Meeting, user: User, template: str, answer: Answer | None = None,
          method: str = REQUEST, **context) -> None:
    """One member's mail with their own iTIP copy of the meeting (REQUEST or CANCEL): inline
    beside the text, where mail clients offer accept/decline, and as meeting.ics for
    the clients and people that open or save the file."""
    zone = zone_of(meeting.network)
    page = public_url_for("meetings.meeting", meeting_id=meeting.id)
    ics = invitation_bytes(meeting, user, answer, method, page)
    mail.send_template(
        user,
        f"meetings/email/{template}",
        calendar=(ics, method),
        attachments=[("meeting.ics", ics, f"text/calendar; charset=utf-8; method={method}")],
        meeting=meeting,
        starts=to_local(meeting.starts_at, zone),
        ends=to_local(meeting.ends_at, zone),
        links=_links(meeting, user),
        **context,
    )


def _answer(row: Attendance | None) -> Answer | None:
    return row.answer if row is not None else None


def send_invitations(meeting: Meeting, now: datetime) -> int:
    """E-mail every participant the invitation, agenda, calendar file and answer links."""
    settings = settings_for(meeting.network_id)
    deadline = attendance.answer_deadline(meeting, settings.answer_deadline_days)
    rows = attendance.roster(meeting)
    for person, row in rows:
        _send(meeting, person, "invitation", _answer(row), deadline=deadline,
              topic=invitation_topic(meeting))
    meeting.invited_at = now
    db.session.flush()
    return len(rows)


def send_update(meeting: Meeting, old: Before, changed: list[str]) -> int:
    """Tell every participant that the meeting moved or its place changed: the same UID
    with the raised SEQUENCE replaces the entry in their calendars."""
    rows = attendance.roster(meeting)
    for person, row in rows:
        _send(meeting, person, "update", _answer(row), before=old, changed=changed,
              topic=f"meeting-update:{meeting.id}")
    return len(rows)


def send_cancellation(meeting: Meeting) -> int:
    """Tell every participant the meeting is cancelled (iTIP CANCEL removes it)."""
    rows = attendance.roster(meeting)
    for person, row in rows:
        _send(meeting, person, "cancelled", _answer(row), CANCEL,
              topic=f"meeting-cancel:{meeting.id}")
    return len(rows)


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
        .where(Meeting.starts_at > now, Meeting.starts_at <= horizon,
               Meeting.cancelled_at.is_(None))
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
    """Queue the due reminders, each recipient in a transaction of its own: the record that
    a person was reminded of a meeting and the queued mail are committed together, so a
    second run finds the record, and a second process at the same moment collides on its
    unique key and queues nothing. Delivery (and a refused address) is the outbox's job:
    one recipient's failure never touches another's reminder."""
    due = [(meeting.id, user.id) for meeting, user in due_reminders(now)]
    db.session.rollback()  # nothing of the reading holds a lock or a snapshot
    queued = 0
    for meeting_id, user_id in due:
        meeting, user = db.session.get(Meeting, meeting_id), db.session.get(User, user_id)
        if meeting is None or user is None:
            continue
        try:
            db.session.add(Reminder(meeting_id=meeting_id, user_id=user_id, sent_at=now))
            db.session.flush()  # another process reminding this person now stops here
            answer = db.session.scalar(sa.select(Attendance.answer).where(
                Attendance.meeting_id == meeting_id, Attendance.user_id == user_id))
            _send(meeting, user, "reminder", answer, auto_submitted=True,
                  topic=f"meeting-reminder:{meeting_id}")
            db.session.commit()
            queued += 1
        except sa.exc.IntegrityError:
            db.session.rollback()
    return queued


def goals_set_at(meeting: Meeting) -> list[Goal]:
    """The goals members set at the meeting, with their owners, in the order they were set."""
    return list(db.session.scalars(
        sa.select(Goal)
        .where(Goal.set_at_meeting_id == meeting.id)
        .options(so.joinedload(Goal.owner))
        .order_by(Goal.created_at, Goal.id)
    ))


def send_summary(meeting: Meeting, now: datetime) -> int:
    """E-mail the summary (opsamling) to every participant, with the next meeting's topic."""
    from netapp.meetings.summary import next_meeting

    following = next_meeting(meeting)
    people = attendance.invitees(meeting)
    zone = zone_of(meeting.network)
    flipover, goals = flipover_points(meeting.id), goals_set_at(meeting)
    for person in people:
        mail.send_template(
            person,
            "meetings/email/summary",
            topic=f"meeting-summary:{meeting.id}",
            meeting=meeting,
            flipover=flipover,
            goals=goals,
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
