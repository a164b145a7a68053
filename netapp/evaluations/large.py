"""The evaluations' share of `flask seed-large`: closed rounds with answers, one open round."""

import sqlalchemy as sa

from netapp.auth.models import utcnow
from netapp.evaluations.models import EvaluationAnswer, MeetingEvaluation
from netapp.extensions import db
from netapp.meetings.models import Meeting


def seed_large(world) -> None:
    """Every past meeting gets a closed round answered by all its members (~36,000 answers)."""
    now = utcnow()
    past = db.session.execute(
        sa.select(Meeting.id, Meeting.network_id).where(
            Meeting.starts_at < now, Meeting.id != world.room_meeting
        )
    ).all()
    db.session.execute(sa.insert(MeetingEvaluation), [
        {"meeting_id": m, "network_id": n, "anonymous": True, "includes_check": False,
         "opened_at": now, "closed_at": now} for m, n in past
    ])
    rounds = db.session.execute(sa.select(MeetingEvaluation.id, MeetingEvaluation.network_id))
    rng = world.rng
    answers = [
        {"evaluation_id": e, "user_id": u, "good": "Gode spørgsmål", "missed": "Mere tid",
         "energy": rng.randint(2, 5), "rating": rng.randint(2, 5), "comment": "",
         "created_at": now, "updated_at": now}
        for e, n in rounds for u in world.members[n]
    ]
    db.session.execute(sa.insert(EvaluationAnswer), answers)
    db.session.add(MeetingEvaluation(meeting_id=world.room_meeting,
                                     network_id=world.network_ids[0], anonymous=True))
    db.session.flush()
    network = world.network_ids[0]
    last_past = world.meetings[network][-3]
    world.ids.update(
        evaluation_form=f"/evaluations/meeting/{world.room_meeting}",
        evaluation_results=f"/evaluations/meeting/{last_past}/round",
        health=f"/evaluations/network/{network}/health",
    )
