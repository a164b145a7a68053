"""Answers (yes, afbud, maybe), the signed one-click links, and the check-in at the meeting."""

from datetime import datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from netapp.auth.models import User
from netapp.database import prebuilt
from netapp.extensions import db
from netapp.meetings.models import Answer, Attendance, Meeting
from netapp.networks.models import Membership, Role
from netapp.once import insert_once
from netapp.refusals import Refused

PARTICIPANT_ROLES = (Role.COORDINATOR, Role.MEMBER)  # who is invited; guests facilitate


class AnswerLinkError(Refused):
    """An answer link that is tampered with, for another meeting, or expired."""

    @property
    def reason(self) -> str:
        """"invalid", "expired" or "cancelled", what the answer page says."""
        return self.code


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="meetings.answer")


def answer_token(meeting: Meeting, user: User) -> str:
    """A signed token naming the meeting and the member; it stops working when the meeting ends."""
    return _serializer().dumps([meeting.id, user.id])


def read_answer_token(token: str, meeting: Meeting | None, now: datetime) -> User:
    """The member a link was made for, if it is genuine, for this meeting, and not expired."""
    try:
        meeting_id, user_id = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError) as exc:
        raise AnswerLinkError("invalid") from exc
    if meeting is None or meeting_id != meeting.id:
        raise AnswerLinkError("invalid")
    if now >= meeting.ends_at:
        raise AnswerLinkError("expired")
    if meeting.is_cancelled:
        raise AnswerLinkError("cancelled")
    row = db.session.execute(
        sa.select(User, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(User.id == user_id, Membership.network_id == meeting.network_id)
    ).first()
    if row is None or not row[0].active:
        raise AnswerLinkError("invalid")
    from netapp import access

    if access.outside_their_phases(meeting.id, user_id):  # moved out of their phases since
        raise AnswerLinkError("invalid")
    return row[0]


def participants(network_id: int) -> list[User]:
    """The network's coordinators and members, by name."""
    return list(db.session.scalars(Membership.people(network_id, PARTICIPANT_ROLES)))


def invitees(meeting: Meeting) -> list[User]:
    """Those the meeting is for: the participants, less those per phase of other phases."""
    from netapp import access

    return list(db.session.scalars(
        Membership.people(meeting.network_id, PARTICIPANT_ROLES)
        .where(access.readable(Membership.role, meeting.id, User.id))))


def attendance_of(meeting_id: int, user_id: int) -> Attendance | None:
    """The member's answer row for the meeting, if any."""
    return db.session.scalar(
        sa.select(Attendance).where(
            Attendance.meeting_id == meeting_id, Attendance.user_id == user_id
        )
    )


def record_answer(
    meeting: Meeting, user: User, answer: Answer, reason: str, now: datetime
) -> Attendance:
    """Store the member's answer; a yes or maybe clears an old afbud reason."""
    key = {"meeting_id": meeting.id, "user_id": user.id}
    insert_once(Attendance, key, list(key))
    row = attendance_of(meeting.id, user.id)
    row.answer = answer
    row.reason = (reason or "").strip()[:500] if answer == Answer.NO else ""
    row.answered_at = now
    db.session.flush()
    return row


def roster(meeting: Meeting) -> list[tuple[User, Attendance | None]]:
    """Every participant with their answer (or None), in one query."""
    rows = db.session.execute(
        _roster_statement(), {"meeting_id": meeting.id, "network_id": meeting.network_id}
    ).all()
    return [(user, attendance) for user, attendance in rows]


@prebuilt
def _roster_statement() -> sa.Select:
    from netapp import access

    return (
        sa.select(User, Attendance)
        .join(Membership, Membership.user_id == User.id)
        .outerjoin(Attendance, sa.and_(Attendance.user_id == User.id,
                                       Attendance.meeting_id == sa.bindparam("meeting_id")))
        .where(Membership.network_id == sa.bindparam("network_id"),
               Membership.role.in_(PARTICIPANT_ROLES),
               access.readable(Membership.role, sa.bindparam("meeting_id"), User.id))
        .order_by(User.name)
    )


def counts(rows: list[tuple[User, Attendance | None]]) -> dict[str, int]:
    """How many said yes, no, maybe, and have not answered."""
    result = {"yes": 0, "no": 0, "maybe": 0, "none": 0, "came": 0}
    for _user, attendance in rows:
        key = attendance.answer.value if attendance and attendance.answer else "none"
        result[key] += 1
        result["came"] += bool(attendance and attendance.checked_in)
    return result


def toggle_check_in(meeting: Meeting, user_id: int) -> tuple[User, Attendance]:
    """Mark a participant as come (or not); someone who came without answering counts as yes."""
    user = db.session.scalar(
        sa.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            User.id == user_id,
            Membership.network_id == meeting.network_id,
            Membership.role.in_(PARTICIPANT_ROLES),
        )
    )
    if user is None:
        raise LookupError(user_id)
    row = attendance_of(meeting.id, user_id)
    if row is None:
        row = Attendance(meeting_id=meeting.id, user_id=user_id)
        db.session.add(row)
    row.checked_in = not row.checked_in
    db.session.flush()
    return user, row


def answer_deadline(meeting: Meeting, deadline_days: int) -> datetime:
    """When answers are due (naive UTC)."""
    return meeting.starts_at - timedelta(days=deadline_days)


def expected_attendees(meeting: Meeting) -> int:
    """Those who said yes, or every participant while nobody has answered yet."""
    yes = db.session.scalar(
        sa.select(sa.func.count(Attendance.id)).where(
            Attendance.meeting_id == meeting.id, Attendance.answer == Answer.YES
        )
    )
    if yes:
        return yes
    return db.session.scalar(
        sa.select(sa.func.count(Membership.id)).where(
            Membership.network_id == meeting.network_id, Membership.role.in_(PARTICIPANT_ROLES)
        )
    )


def my_answers(user_id: int, meeting_ids: list[int]) -> dict[int, Attendance]:
    """The user's answers to these meetings, keyed by meeting id (one query)."""
    if not meeting_ids:
        return {}
    rows = db.session.scalars(
        sa.select(Attendance).where(
            Attendance.user_id == user_id, Attendance.meeting_id.in_(meeting_ids)
        )
    )
    return {row.meeting_id: row for row in rows}


def load_with_network() -> so.Load:
    """Loader option: a meeting's network with it."""
    return so.joinedload(Meeting.network)
