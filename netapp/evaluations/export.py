"""A network's evaluations as CSV; anonymous rounds carry neither names nor times."""

import csv
import io

import sqlalchemy as sa

from netapp.auth.models import User
from netapp.evaluations.models import EvaluationAnswer, MeetingEvaluation
from netapp.extensions import db
from netapp.meetings.models import Meeting
from netapp.meetings.zones import to_local, zone_of
from netapp.networks.models import Network

COLUMNS = ["meeting_date", "meeting_topic", "anonymous", "name", "answered_at", "energy",
           "rating", "check_benefit", "check_goal", "check_track", "good", "missed", "comment"]


def _safe(value):
    """Stop a spreadsheet from running text that starts like a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def evaluations_csv(network_id: int) -> str:
    """Every answer of the network's rounds, by meeting; anonymous rows sorted by content."""
    anonymous = MeetingEvaluation.anonymous.is_(True)
    rows = db.session.execute(
        sa.select(
            Meeting.starts_at, Meeting.topic, MeetingEvaluation.anonymous,
            sa.case((anonymous, sa.null()), else_=User.name).label("name"),
            sa.case((anonymous, sa.null()), else_=EvaluationAnswer.updated_at).label("at"),
            EvaluationAnswer.energy, EvaluationAnswer.rating, EvaluationAnswer.check_benefit,
            EvaluationAnswer.check_goal, EvaluationAnswer.check_track,
            EvaluationAnswer.good, EvaluationAnswer.missed, EvaluationAnswer.comment,
        )
        .join(MeetingEvaluation, MeetingEvaluation.id == EvaluationAnswer.evaluation_id)
        .join(Meeting, Meeting.id == MeetingEvaluation.meeting_id)
        .join(User, User.id == EvaluationAnswer.user_id)
        .where(MeetingEvaluation.network_id == network_id)
        # Never by answer id or time: in an anonymous round the order could point to a person.
        # Every exported column takes part, so rows only differ in order if they differ.
        .order_by(Meeting.starts_at, EvaluationAnswer.good, EvaluationAnswer.missed,
                  EvaluationAnswer.comment, EvaluationAnswer.energy, EvaluationAnswer.rating,
                  EvaluationAnswer.check_benefit, EvaluationAnswer.check_goal,
                  EvaluationAnswer.check_track, "name", "at")
    )
    # Dates and times as the network's members saw them on the wall: a meeting at 00:30 in
    # Copenhagen is on that day, not on the day before as in UTC; times carry their offset.
    zone = zone_of(db.session.get(Network, network_id))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        values = list(row)
        values[0] = to_local(row.starts_at, zone).date().isoformat()
        values[2] = "yes" if row.anonymous else "no"
        values[4] = to_local(row.at, zone).isoformat(timespec="minutes") if row.at else ""
        writer.writerow([_safe("" if v is None else v) for v in values])
    return out.getvalue()
