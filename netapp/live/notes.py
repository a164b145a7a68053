"""Case notes (private to their author and the case-giver), goals from them, the flipover.

A note is written by a note-taker of one round for that round's case-giver. Who the
case-giver is comes from the group's role rotation, never from the form. Nobody else — not
the coordinator, the facilitator or the organisation — can read a note: every query here is
bounded by the reader's own id.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa

from netapp.database import prebuilt
from netapp.extensions import db
from netapp.live import grouping
from netapp.live.clock import Status
from netapp.live.models import CaseNote, Exercise, FlipoverPoint, SparringGroup
from netapp.live.services import View, view_of
from netapp.meetings.models import Goal, Meeting
from netapp.networks.models import Network, Organisation
from netapp.refusals import Refused


class NoteRefused(Refused):
    """The reader may not write this note (not a note-taker of that round, or a future one)."""


@dataclass
class NotesPanel:
    """What one person sees under a group's clock: a note form, own notes, notes for them."""

    write_round: int | None = None  # the round this person takes notes in now
    case_giver_id: int | None = None
    mine: list[CaseNote] = field(default_factory=list)
    for_me: list[CaseNote] = field(default_factory=list)
    waiting_for_me: int = 0  # notes for me in a round still running (shown after it)


def round_is_over(view: View, round_index: int) -> bool:
    """A round is over once its group has moved past it or finished."""
    return view.round_index > round_index or view.state.status == Status.FINISHED


def visible_to(note: CaseNote, user_id: int, view: View) -> bool:
    """Who may read a note now: its author always, its case-giver once the round is over.

    The one rule for every path that shows a note (the panel, turning it into a goal, the
    member's data export), with `view` the clock of the note's group at the moment asked.
    """
    if note.author_id == user_id:
        return True
    return note.case_giver_id == user_id and round_is_over(view, note.round_index)


def withheld_from(user_id: int, now: datetime) -> set[int]:
    """Ids of the notes for `user_id` that `visible_to` does not show yet at `now`."""
    notes = db.session.scalars(
        sa.select(CaseNote).where(CaseNote.case_giver_id == user_id,
                                  CaseNote.author_id != user_id)
    ).all()
    views: dict[int, View] = {}
    for note in notes:
        if note.group_id not in views:
            views[note.group_id] = view_of(db.session.get(SparringGroup, note.group_id), now)
    return {n.id for n in notes if not visible_to(n, user_id, views[n.group_id])}


def note_taker_round(group: SparringGroup, user_id: int, round_index: int, view: View) -> int:
    """The case-giver of `round_index` if `user_id` takes notes in it; else NoteRefused."""
    if not 0 <= round_index < view.rounds or round_index > view.round_index:
        raise NoteRefused("round")
    if view.state.status == Status.READY:
        raise NoteRefused("not_started")
    roles = grouping.rotate_roles(group.member_ids, round_index)
    if user_id not in roles.note_takers:
        raise NoteRefused("not_note_taker")
    return roles.case_giver


def add_note(group: SparringGroup, author_id: int, round_index: int, text: str, view: View):
    """Store a note for the round's case-giver."""
    case_giver_id = note_taker_round(group, author_id, round_index, view)
    note = CaseNote(
        group_id=group.id,
        round_index=round_index,
        network_id=group.exercise.network_id,
        author_id=author_id,
        case_giver_id=case_giver_id,
        text=text.strip(),
    )
    db.session.add(note)
    db.session.flush()
    return note


def panel_for(group: SparringGroup, user_id: int, view: View) -> NotesPanel:
    """The notes panel of one person in one group (one query)."""
    panel = NotesPanel()
    if user_id in group.member_ids and view.state.status in (Status.RUNNING, Status.PAUSED):
        roles = grouping.rotate_roles(group.member_ids, view.round_index)
        if user_id in roles.note_takers:
            panel.write_round, panel.case_giver_id = view.round_index, roles.case_giver
    notes = db.session.scalars(
        sa.select(CaseNote)
        .where(
            CaseNote.group_id == group.id,
            sa.or_(CaseNote.author_id == user_id, CaseNote.case_giver_id == user_id),
        )
        .order_by(CaseNote.round_index, CaseNote.created_at, CaseNote.id)
    ).all()
    for note in notes:
        if note.author_id == user_id:
            panel.mine.append(note)
        elif visible_to(note, user_id, view):
            panel.for_me.append(note)
        else:
            panel.waiting_for_me += 1
    return panel


def note_for_case_giver(note_id: int, user_id: int, now: datetime) -> CaseNote | None:
    """A note, only when `user_id` is its case-giver and its round is over at `now`."""
    note = db.session.scalar(
        sa.select(CaseNote).where(CaseNote.id == note_id, CaseNote.case_giver_id == user_id)
    )
    if note is None:
        return None
    view = view_of(db.session.get(SparringGroup, note.group_id), now)
    return note if visible_to(note, user_id, view) else None


def make_goal(note: CaseNote, text: str) -> Goal:
    """The case-giver turns a note into a goal the network knows about."""
    exercise = db.session.scalar(
        sa.select(Exercise)
        .join(SparringGroup, SparringGroup.exercise_id == Exercise.id)
        .where(SparringGroup.id == note.group_id)
    )
    goal = Goal(
        network_id=note.network_id,
        owner_id=note.case_giver_id,
        text=text.strip(),
        set_at_meeting_id=exercise.meeting_id,
    )
    db.session.add(goal)
    db.session.flush()
    return goal


def purge_expired(now: datetime) -> int:
    """Delete case notes older than their organisation's retention period; returns how many.

    Cut-offs are computed here per organisation (there are few), which avoids date arithmetic
    in SQL that SQLite and PostgreSQL spell differently.
    """
    total = 0
    retention = db.session.execute(sa.select(Organisation.id, Organisation.note_retention_days))
    for org_id, days in retention.all():
        in_org = sa.select(Network.id).where(Network.organisation_id == org_id)
        result = db.session.execute(
            sa.delete(CaseNote).where(
                CaseNote.network_id.in_(in_org), CaseNote.created_at < now - timedelta(days=days)
            )
        )
        total += result.rowcount or 0
    return total


# --- flipover --------------------------------------------------------------------------------


def flipover_points(meeting_id: int) -> list[FlipoverPoint]:
    """A meeting's flipover points, oldest first (templates call this as a global)."""
    return list(db.session.scalars(_flipover_statement(), {"meeting_id": meeting_id}))


@prebuilt
def _flipover_statement() -> sa.Select:
    return (
        sa.select(FlipoverPoint)
        .where(FlipoverPoint.meeting_id == sa.bindparam("meeting_id"))
        .order_by(FlipoverPoint.created_at, FlipoverPoint.id)
    )


def add_point(meeting: Meeting, author_id: int, text: str) -> FlipoverPoint:
    """A pair's point on the shared flipover."""
    point = FlipoverPoint(meeting_id=meeting.id, author_id=author_id, text=text.strip())
    db.session.add(point)
    db.session.flush()
    return point
