"""Reads and writes of the evaluation round: who may answer, saving answers, the results."""

from dataclasses import dataclass, field

import sqlalchemy as sa
import sqlalchemy.orm  # noqa: F401  (sa.orm.aliased)
from sqlalchemy.exc import IntegrityError

from netapp.access import readable
from netapp.auth.models import User, utcnow
from netapp.database import prebuilt
from netapp.evaluations.models import (
    DEFAULT_ANONYMOUS,
    DEFAULT_CHECK_EVERY,
    SCALE,
    EvaluationAnswer,
    EvaluationSettings,
    MeetingEvaluation,
)
from netapp.extensions import db
from netapp.meetings.models import Answer, Attendance, Meeting
from netapp.networks.models import Membership, Network
from netapp.once import insert_once

CHECK_FIELDS = ("check_benefit", "check_goal", "check_track")


def present_clause():
    """An attendance that counts as being at the meeting: checked in; or, where nobody was
    checked in at that meeting, said yes. The same rule as who takes part in the exercises
    (live.exercises.attendees), so "present" matches the check-in list."""
    other = sa.orm.aliased(Attendance)
    anyone_checked_in = sa.exists().where(other.meeting_id == Attendance.meeting_id,
                                          other.checked_in.is_(True))
    return sa.or_(Attendance.checked_in.is_(True),
                  sa.and_(Attendance.answer == Answer.YES, ~anyone_checked_in))


def settings_for(network_id: int) -> EvaluationSettings:
    """The network's settings, or unsaved defaults (reading never creates the row)."""
    found = db.session.get(EvaluationSettings, network_id)
    return found or EvaluationSettings(
        network_id=network_id, anonymous_text=DEFAULT_ANONYMOUS, check_every=DEFAULT_CHECK_EVERY
    )


def save_settings(network_id: int, anonymous_text: bool, check_every: int) -> None:
    """Store the network's choices (creating its row the first time)."""
    found = db.session.get(EvaluationSettings, network_id)
    if found is None:
        found = EvaluationSettings(network_id=network_id)
        db.session.add(found)
    found.anonymous_text, found.check_every = anonymous_text, check_every
    db.session.flush()


def evaluation_of(meeting_id: int) -> MeetingEvaluation | None:
    """The meeting's round, if it was ever opened."""
    return db.session.scalar(_evaluation_statement(), {"meeting_id": meeting_id})


@prebuilt
def _evaluation_statement() -> sa.Select:
    return sa.select(MeetingEvaluation).where(
        MeetingEvaluation.meeting_id == sa.bindparam("meeting_id")
    )


def check_is_due(meeting: Meeting, every: int) -> bool:
    """True when this is the network's Nth, 2Nth ... meeting: its round carries the check."""
    ordinal = db.session.scalar(
        sa.select(sa.func.count(Meeting.id)).where(
            Meeting.network_id == meeting.network_id, Meeting.starts_at <= meeting.starts_at
        )
    )
    return ordinal % every == 0


def open_round(meeting: Meeting, include_check: bool) -> MeetingEvaluation:
    """Open the meeting's evaluation, or reopen it; anonymity is fixed at the first opening."""
    settings = settings_for(meeting.network_id)
    if not insert_once(MeetingEvaluation, {
        "meeting_id": meeting.id, "network_id": meeting.network_id,
        "anonymous": settings.anonymous_text, "includes_check": include_check,
    }, ["meeting_id"]):
        evaluation = evaluation_of(meeting.id)
        if evaluation.closed_at is not None:
            # a reopening: answers given before it were shown closed and are final now
            evaluation.opened_at, evaluation.closed_at = utcnow(), None
    db.session.flush()
    return evaluation_of(meeting.id)


def is_final(evaluation: MeetingEvaluation, answer: EvaluationAnswer) -> bool:
    """An answer given before the round was last reopened stays as it is.

    The room saw it when the round closed; a change after a reopening would show which
    text is whose to anyone comparing the two results.
    """
    return answer.created_at < evaluation.opened_at


def close_round(evaluation: MeetingEvaluation) -> None:
    """Close the round: no more answers, the room's view stops polling."""
    if evaluation.closed_at is None:
        evaluation.closed_at = utcnow()
        db.session.flush()


def is_present(meeting_id: int, user_id: int) -> bool:
    """Was the user at the meeting (checked in, or said yes)?"""
    return bool(db.session.scalar(
        sa.select(sa.func.count(Attendance.id)).where(
            Attendance.meeting_id == meeting_id, Attendance.user_id == user_id, present_clause()
        )
    ))


def attendees(meeting: Meeting) -> list[tuple[Attendance, User, bool]]:
    """Those at the meeting who are members of its network, with whether they answered."""
    answered = (
        sa.select(EvaluationAnswer.id)
        .join(MeetingEvaluation, MeetingEvaluation.id == EvaluationAnswer.evaluation_id)
        .where(MeetingEvaluation.meeting_id == meeting.id,
               EvaluationAnswer.user_id == Attendance.user_id)
        .exists()
    )
    rows = db.session.execute(
        sa.select(Attendance, User, answered)
        .join(User, User.id == Attendance.user_id)
        .join(Membership, sa.and_(Membership.user_id == User.id,
                                  Membership.network_id == meeting.network_id))
        .where(Attendance.meeting_id == meeting.id, present_clause())
        .order_by(User.name)
    )
    return [tuple(r) for r in rows]


def answer_of(evaluation_id: int, user_id: int) -> EvaluationAnswer | None:
    """This member's answer to the round, if any."""
    return db.session.scalar(
        sa.select(EvaluationAnswer).where(
            EvaluationAnswer.evaluation_id == evaluation_id, EvaluationAnswer.user_id == user_id
        )
    )


def save_answer(evaluation_id: int, user_id: int, data: dict) -> bool:
    """Store the member's answer, or update it; True when it is their first.

    A double tap, or two devices at once, race to insert: the unique pair refuses the
    second insert, which then updates the row the first one stored. The session holds
    nothing else to lose when it rolls back (the request has only read before this).
    """
    answer = answer_of(evaluation_id, user_id)
    if answer is None:
        db.session.add(EvaluationAnswer(evaluation_id=evaluation_id, user_id=user_id, **data))
        try:
            db.session.flush()
            return True
        except IntegrityError:
            db.session.rollback()
            answer = answer_of(evaluation_id, user_id)
            if answer is None:
                raise
    for name, value in data.items():
        setattr(answer, name, value)
    db.session.flush()
    return False


def add_answer(evaluation_id: int, user_id: int, data: dict) -> bool:
    """Store the member's first answer; False (storing nothing) when they already answered.

    The shared tablet uses this: an answer given there, on a phone or in an earlier
    opening of the round is never replaced by whoever holds the tablet. Two taps at once
    race to insert; the unique pair refuses the second.
    """
    if answer_of(evaluation_id, user_id) is not None:
        return False
    db.session.add(EvaluationAnswer(evaluation_id=evaluation_id, user_id=user_id, **data))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


@dataclass
class RoundResults:
    """What the room sees: how many answered, the scales, the points (names only if allowed)."""

    answers: int
    present: int
    scales: dict[str, dict[int, int]] = field(default_factory=dict)
    averages: dict[str, float | None] = field(default_factory=dict)
    good: list[tuple[str, str | None]] = field(default_factory=list)
    missed: list[tuple[str, str | None]] = field(default_factory=list)


def _points(rows, column: str, anonymous: bool) -> list[tuple[str, str | None]]:
    """Non-empty texts; anonymous ones carry no name and are sorted by text, so neither
    a name nor the order of answering points to the author. The text itself breaks ties
    ("ja" and "Ja"), so the order is the same however the rows come back."""
    points = [(getattr(r, column).strip(), None if anonymous else r.name) for r in rows]
    return sorted([p for p in points if p[0]], key=lambda p: (p[0].casefold(), p[0], p[1] or ""))


@prebuilt
def _answers_statement(anonymous: bool) -> sa.Select:
    columns = [EvaluationAnswer.good, EvaluationAnswer.missed, EvaluationAnswer.energy,
               EvaluationAnswer.rating, *(getattr(EvaluationAnswer, c) for c in CHECK_FIELDS)]
    query = sa.select(*columns).where(
        EvaluationAnswer.evaluation_id == sa.bindparam("evaluation_id")
    )
    if not anonymous:  # an anonymous round never even loads the names
        query = query.add_columns(User.name).join(User, User.id == EvaluationAnswer.user_id)
    return query


@prebuilt
def _present_statement() -> sa.Select:
    return sa.select(sa.func.count(Attendance.id)).join(
        Meeting, Meeting.id == Attendance.meeting_id
    ).join(
        Membership, sa.and_(Membership.user_id == Attendance.user_id,
                            Membership.network_id == Meeting.network_id)
    ).where(
        Attendance.meeting_id == sa.bindparam("meeting_id"), present_clause()
    )


def round_results(evaluation: MeetingEvaluation) -> RoundResults:
    """The round's figures and points, in two queries."""
    rows = db.session.execute(
        _answers_statement(evaluation.anonymous), {"evaluation_id": evaluation.id}
    ).all()
    present = db.session.scalar(_present_statement(), {"meeting_id": evaluation.meeting_id})
    names = ["energy", "rating", *(CHECK_FIELDS if evaluation.includes_check else ())]
    results = RoundResults(answers=len(rows), present=max(present, len(rows)))
    for name in names:
        values = [getattr(r, name) for r in rows if getattr(r, name) is not None]
        results.scales[name] = {v: values.count(v) for v in SCALE}
        results.averages[name] = sum(values) / len(values) if values else None
    results.good = _points(rows, "good", evaluation.anonymous)
    results.missed = _points(rows, "missed", evaluation.anonymous)
    return results


def open_for_user(user_id: int) -> list[tuple[Meeting, str]]:
    """Meetings the user was at whose evaluation is open and which they have not answered."""
    return [tuple(r) for r in db.session.execute(_open_for_user_statement(), {"user_id": user_id})]


@prebuilt
def _open_for_user_statement() -> sa.Select:
    user_id = sa.bindparam("user_id")
    answered = (
        sa.select(EvaluationAnswer.id)
        .where(EvaluationAnswer.evaluation_id == MeetingEvaluation.id,
               EvaluationAnswer.user_id == user_id)
        .exists()
    )
    return (
        sa.select(Meeting, Network.name)
        .join(MeetingEvaluation, MeetingEvaluation.meeting_id == Meeting.id)
        .join(Network, Network.id == Meeting.network_id)
        .join(Membership, sa.and_(Membership.network_id == Network.id,
                                  Membership.user_id == user_id))
        .join(Attendance, sa.and_(Attendance.meeting_id == Meeting.id,
                                  Attendance.user_id == user_id))
        .where(MeetingEvaluation.closed_at.is_(None), present_clause(), ~answered)
        .order_by(Meeting.starts_at.desc())
    )


def meetings_with_rounds(
    network_id: int, membership: Membership
) -> list[tuple[Meeting, MeetingEvaluation | None, int]]:
    """The network's meetings the member may read (a guest: those they facilitate), newest
    first, each with its round and number of answers."""
    answers = (
        sa.select(sa.func.count(EvaluationAnswer.id))
        .where(EvaluationAnswer.evaluation_id == MeetingEvaluation.id)
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(Meeting, MeetingEvaluation, answers)
        .outerjoin(MeetingEvaluation, MeetingEvaluation.meeting_id == Meeting.id)
        .where(Meeting.network_id == network_id,
               readable(membership.role, Meeting.id, membership.user_id))
        .order_by(Meeting.starts_at.desc())
    )
    return [(m, e, n or 0) for m, e, n in rows]
