"""Health figures in SQL: four grouped queries give every past meeting's figures for any
number of networks, so a page costs the same few queries at 5 or 500 meetings."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

import sqlalchemy as sa

from netapp.auth.models import User, utcnow
from netapp.database import prebuilt
from netapp.evaluations.health import MeetingFigures, Signal, warning_codes, warnings
from netapp.evaluations.models import EvaluationAnswer, MeetingEvaluation
from netapp.extensions import db
from netapp.meetings.models import Answer, Attendance, Goal, Meeting, TopicWish
from netapp.networks.models import Membership, Network, Role


def _count_if(condition):
    return sa.func.sum(sa.case((condition, 1), else_=0))


class FigureStatements(NamedTuple):
    """The past meetings of a scope, and each kind of figure grouped by meeting.

    The figures are separate queries, joined by meeting id in Python: joined in SQL to the
    meetings, a planner that has not yet counted freshly written rows expects one row from
    each grouping and rescans every grouping once per meeting (600 meetings took 0.3 s, and
    a loaded server's statement timeout). Each of these four is linear whatever it expects.
    """

    meetings: sa.Select
    attendance: sa.Select
    answers: sa.Select
    goals: sa.Select


def _figure_statements(meetings_where) -> FigureStatements:
    chosen = sa.select(Meeting.id).where(meetings_where)
    return FigureStatements(
        meetings=sa.select(Meeting.id, Meeting.network_id, Meeting.starts_at, Meeting.topic)
        .where(meetings_where)
        .order_by(Meeting.network_id, Meeting.starts_at),
        attendance=sa.select(
            Attendance.meeting_id,
            sa.func.count(Attendance.id).label("invited"),
            _count_if(sa.or_(Attendance.checked_in.is_(True), Attendance.answer == Answer.YES))
            .label("present"),
            _count_if(sa.and_(Attendance.answer == Answer.NO, Attendance.checked_in.is_(False)))
            .label("afbud"),
        )
        .where(Attendance.meeting_id.in_(chosen))
        .group_by(Attendance.meeting_id),
        answers=sa.select(
            MeetingEvaluation.meeting_id,
            sa.func.count(EvaluationAnswer.id).label("answers"),
            sa.func.avg(EvaluationAnswer.energy).label("energy"),
            sa.func.avg(EvaluationAnswer.rating).label("rating"),
            sa.func.avg(EvaluationAnswer.check_benefit).label("check_benefit"),
            sa.func.avg(EvaluationAnswer.check_goal).label("check_goal"),
            sa.func.avg(EvaluationAnswer.check_track).label("check_track"),
        )
        .join(EvaluationAnswer, EvaluationAnswer.evaluation_id == MeetingEvaluation.id)
        .where(MeetingEvaluation.meeting_id.in_(chosen))
        .group_by(MeetingEvaluation.meeting_id),
        goals=sa.select(
            Goal.set_at_meeting_id.label("meeting_id"),
            sa.func.count(Goal.id).label("goals_set"),
            _count_if(Goal.followed_up_at.is_not(None)).label("goals_followed"),
        )
        .where(Goal.set_at_meeting_id.in_(chosen))
        .group_by(Goal.set_at_meeting_id),
    )


def _as_figures(meeting, attendance, answers, goals) -> MeetingFigures:
    """One meeting's figures from its rows; a kind with no row (nobody invited, no answer,
    no goal) keeps the figures' defaults."""
    def num(value):
        return None if value is None else float(value)

    counted = {}
    if attendance is not None:
        counted.update(invited=int(attendance.invited), present=int(attendance.present),
                       afbud=int(attendance.afbud))
    if answers is not None:
        counted.update(answers=int(answers.answers), energy=num(answers.energy),
                       rating=num(answers.rating), check_benefit=num(answers.check_benefit),
                       check_goal=num(answers.check_goal), check_track=num(answers.check_track))
    if goals is not None:
        counted.update(goals_set=int(goals.goals_set), goals_followed=int(goals.goals_followed))
    return MeetingFigures(meeting_id=meeting.id, starts_at=meeting.starts_at,
                          topic=meeting.topic, **counted)


NETWORK, ORGANISATION = "network", "organisation"  # the scopes of the figures


def _networks_in(scope: str) -> sa.ColumnElement[bool]:
    """One network, or every network of an organisation: the id is bound when run."""
    column = Network.id if scope == NETWORK else Network.organisation_id
    return column == sa.bindparam("scope_id")


@prebuilt
def _histories_statements(scope: str) -> FigureStatements:
    if scope == NETWORK:
        meetings = Meeting.network_id == sa.bindparam("scope_id")
    else:
        meetings = Meeting.network_id.in_(sa.select(Network.id).where(_networks_in(scope)))
    return _figure_statements(sa.and_(Meeting.starts_at <= sa.bindparam("now"), meetings))


@prebuilt
def _wishes_statement(scope: str) -> sa.Select:
    return (
        sa.select(TopicWish.network_id, sa.func.count(TopicWish.id))
        .join(Network, Network.id == TopicWish.network_id)
        .where(TopicWish.meeting_id.is_(None), _networks_in(scope))
        .group_by(TopicWish.network_id)
    )


def histories(scope: str, scope_id: int) -> dict[int, list[MeetingFigures]]:
    """Per network of the scope, its past meetings' figures, oldest first (four queries)."""
    statements = _histories_statements(scope)
    params = {"scope_id": scope_id, "now": utcnow()}

    def by_meeting(statement):
        return {row.meeting_id: row for row in db.session.execute(statement, params)}

    attendance = by_meeting(statements.attendance)
    answers = by_meeting(statements.answers)
    goals = by_meeting(statements.goals)
    result: dict[int, list[MeetingFigures]] = defaultdict(list)
    for meeting in db.session.execute(statements.meetings, params):
        result[meeting.network_id].append(_as_figures(
            meeting, attendance.get(meeting.id), answers.get(meeting.id), goals.get(meeting.id)))
    return result


def wishes_waiting(scope: str, scope_id: int) -> dict[int, int]:
    """Per network of the scope, topic wishes not yet given a meeting."""
    return dict(db.session.execute(_wishes_statement(scope), {"scope_id": scope_id}).all())


@dataclass
class NetworkHealth:
    """One network's health page: history, warnings, what waits, and the comments."""

    history: list[MeetingFigures]
    signals: list[Signal]
    wishes_waiting: int
    comments: list[tuple[object, str, str | None]] = field(default_factory=list)


def comments_to_coordinator(network_id: int, limit: int = 60) -> list[tuple]:
    """(meeting start, comment, name or None): anonymous rounds never load the name."""
    rows = db.session.execute(_comments_statement(), {"network_id": network_id, "limit": limit})
    return [tuple(r) for r in rows]


@prebuilt
def _comments_statement() -> sa.Select:
    name = sa.case((MeetingEvaluation.anonymous.is_(True), sa.null()), else_=User.name)
    return (
        sa.select(Meeting.starts_at, EvaluationAnswer.comment, name.label("name"))
        .join(MeetingEvaluation, MeetingEvaluation.id == EvaluationAnswer.evaluation_id)
        .join(Meeting, Meeting.id == MeetingEvaluation.meeting_id)
        .join(User, User.id == EvaluationAnswer.user_id)
        .where(MeetingEvaluation.network_id == sa.bindparam("network_id"),
               EvaluationAnswer.comment != "")
        # by meeting, then by the text itself: the order of answering tells nothing
        .order_by(Meeting.starts_at.desc(), EvaluationAnswer.comment)
        .limit(sa.bindparam("limit"))
    )


def network_health(network_id: int) -> NetworkHealth:
    """The coordinator's health page data, in six queries."""
    history = histories(NETWORK, network_id).get(network_id, [])
    waiting = wishes_waiting(NETWORK, network_id).get(network_id, 0)
    return NetworkHealth(history, warnings(history), waiting, comments_to_coordinator(network_id))


@dataclass
class NetworkRow:
    """One network in the organisation overview: figures only, never names or text."""

    id: int
    name: str
    members: int
    meetings: int
    present_share: float | None
    afbud_share: float | None
    energy: float | None
    rating: float | None
    goals_set: int
    goals_followed: int
    wishes_waiting: int
    warnings: list[str]


SORT_KEYS = ("name", "members", "meetings", "present", "afbud", "energy", "rating",
             "goals", "wishes", "warnings")


def organisation_overview(org_id: int, sort: str = "name") -> list[NetworkRow]:
    """Every network of the organisation side by side, in six queries whatever their number."""
    members = (
        sa.select(sa.func.count(Membership.id))
        .where(Membership.network_id == Network.id)
        .scalar_subquery()
    )
    coordinators = (
        sa.select(sa.func.count(Membership.id))
        .where(Membership.network_id == Network.id, Membership.role == Role.COORDINATOR)
        .scalar_subquery()
    )
    networks = db.session.execute(
        sa.select(Network.id, Network.name, members.label("members"),
                  coordinators.label("coordinators"))
        .where(Network.organisation_id == org_id)
    ).all()
    all_histories = histories(ORGANISATION, org_id)
    waiting = wishes_waiting(ORGANISATION, org_id)
    rows = [_row(n, all_histories.get(n.id, []), waiting.get(n.id, 0)) for n in networks]
    return sort_rows(rows, sort)


def _row(network, history: list[MeetingFigures], waiting: int) -> NetworkRow:
    latest = history[-1] if history else None
    last_energy = [m.energy for m in history if m.energy is not None]
    last_rating = [m.rating for m in history if m.rating is not None]
    return NetworkRow(
        id=network.id, name=network.name, members=network.members, meetings=len(history),
        present_share=latest.present / latest.invited if latest and latest.invited else None,
        afbud_share=latest.afbud_share if latest else None,
        energy=last_energy[-1] if last_energy else None,
        rating=last_rating[-1] if last_rating else None,
        goals_set=sum(m.goals_set for m in history),
        goals_followed=sum(m.goals_followed for m in history),
        wishes_waiting=waiting,
        # Nobody to run the network is the first thing the organisation must know.
        warnings=(["no_coordinator"] if not network.coordinators else []) + warning_codes(history),
    )


def sort_rows(rows: list[NetworkRow], sort: str) -> list[NetworkRow]:
    """Sort by a key from the query string ("-energy" sorts descending); unknown keys by name."""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORT_KEYS:
        key, descending = "name", False
    getters = {
        "name": lambda r: r.name.casefold(), "members": lambda r: r.members,
        "meetings": lambda r: r.meetings, "present": lambda r: r.present_share,
        "afbud": lambda r: r.afbud_share, "energy": lambda r: r.energy,
        "rating": lambda r: r.rating, "goals": lambda r: r.goals_followed,
        "wishes": lambda r: r.wishes_waiting, "warnings": lambda r: len(r.warnings),
    }
    present = [r for r in rows if getters[key](r) is not None]
    missing = [r for r in rows if getters[key](r) is None]  # no figures yet: always last
    return sorted(present, key=getters[key], reverse=descending) + missing
