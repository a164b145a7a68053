"""The summary (opsamling) after a meeting, and the pages' reads of upcoming and past meetings."""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _  # messages are shown later, in a request

from netapp.database import prebuilt
from netapp.extensions import db
from netapp.meetings.models import Meeting, Task
from netapp.refusals import InvalidInput

MAX_SUMMARY = 20000


class SummaryError(InvalidInput):
    """Bad input for the summary."""


def save_summary(meeting: Meeting, text: str, notes: dict[int, str]) -> None:
    """Store the free summary and a note per agenda item; all or nothing."""
    too_long = [i for i, note in notes.items() if len(note) > MAX_SUMMARY]
    if len(text or "") > MAX_SUMMARY or too_long:
        raise SummaryError({"summary": _("The summary is too long.")})
    meeting.summary = (text or "").strip()
    for item in meeting.agenda:
        if item.id in notes:
            item.notes = notes[item.id].strip()
    db.session.flush()


def next_meeting(meeting: Meeting) -> Meeting | None:
    """The network's meeting after this one (for "next time" reminders)."""
    return db.session.scalar(
        _next_statement(), {"network_id": meeting.network_id, "starts_at": meeting.starts_at}
    )


@prebuilt
def _next_statement() -> sa.Select:
    return (
        sa.select(Meeting)
        .where(Meeting.network_id == sa.bindparam("network_id"),
               Meeting.starts_at > sa.bindparam("starts_at"), Meeting.cancelled_at.is_(None))
        .order_by(Meeting.starts_at)
        .limit(1)
    )


def meeting_page(meeting_id: int) -> Meeting | None:
    """A meeting with everything its page shows, loaded in a fixed number of queries."""
    return db.session.scalar(_meeting_page_statement(), {"meeting_id": meeting_id})


@prebuilt
def _meeting_page_statement() -> sa.Select:
    return (
        sa.select(Meeting)
        .where(Meeting.id == sa.bindparam("meeting_id"))
        .options(
            so.joinedload(Meeting.network),
            so.joinedload(Meeting.host),
            so.selectinload(Meeting.agenda),
            so.selectinload(Meeting.tasks).joinedload(Task.assignee),
        )
    )


def split_by_time(meetings: list[Meeting], now: datetime) -> tuple[list[Meeting], list[Meeting]]:
    """Upcoming (soonest first) and past (latest first)."""
    upcoming = [m for m in meetings if m.ends_at > now]
    past = [m for m in meetings if m.ends_at <= now]
    return upcoming, list(reversed(past))


def page_context(meeting: Meeting, membership, user_id: int, now: datetime) -> dict:
    """What the meeting page shows beyond the meeting itself, in a fixed number of queries."""
    from netapp.live import notes
    from netapp.meetings import agenda, attendance, goals, mailing, planning

    settings = planning.settings_for(meeting.network_id)
    rows = attendance.roster(meeting)
    mine = next((row for user, row in rows if user.id == user_id), None)
    return {
        "roster": rows,
        "counts": attendance.counts(rows),
        "mine": mine,
        "is_participant": any(user.id == user_id for user, _row in rows),
        "fit": agenda.fit(meeting),
        "follow_up": goals.follow_up_list(meeting),
        "following": next_meeting(meeting),
        "flipover": notes.flipover_points(meeting.id),
        "invitation_mail": mailing.invitation_delivery(meeting) if meeting.invited_at else {},
        "deadline": attendance.answer_deadline(meeting, settings.answer_deadline_days),
        "settings": settings,
        "is_over": meeting.ends_at <= now,
        "now": now,
    }
