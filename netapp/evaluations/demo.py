"""Demo evaluations: the east network's three past meetings, with energy falling as the
afbud (made by netapp.demo) rise, so the health page shows the seed's warning."""

import sqlalchemy as sa

from netapp.evaluations.models import EvaluationAnswer, EvaluationSettings, MeetingEvaluation
from netapp.extensions import db
from netapp.meetings.models import Answer, Attendance, Meeting

# Per past meeting, oldest first: (energy, rating, good, missed) per answering member.
ROUNDS = [
    [(5, 5, "Præsentationsrunden gav et godt billede af hinanden", ""),
     (5, 4, "Trygt rum fra starten", "Mere tid til spilleregler"),
     (4, 5, "Interviewene to og to", ""),
     (5, 5, "", "Lidt mere struktur på dagsordenen"),
     (4, 4, "Gode spørgsmål fra de andre", "")],
    [(4, 4, "Sparringsøvelsen om delegering", "Tid til at runde af"),
     (4, 3, "Konkrete erfaringer med at give opgaver fra sig", ""),
     (3, 4, "", "Opfølgning på målene fra sidst"),
     (4, 4, "Godt oplæg", "")],
    [(3, 3, "Feedback-modellen var brugbar", "Flere var gået før tid"),
     (2, 3, "", "Vi kom væk fra emnet"),
     (3, 2, "Casen om den svære samtale", "Energi i rummet"),
     (2, 3, "", "Opfølgning på målene fra sidst")],
]
# The second round carries the network check (every 2nd meeting in the demo).
CHECKS = [None, [(4, 4, 3), (3, 4, 3), (4, 3, 3), (3, 3, 2)], None]


def seed(world) -> None:
    """Closed evaluation rounds for the east network's past meetings."""
    db.session.add(EvaluationSettings(network_id=world.east.id, anonymous_text=True,
                                      check_every=2))
    past = db.session.scalars(
        sa.select(Meeting).where(Meeting.network_id == world.east.id)
        .order_by(Meeting.starts_at)
    ).all()[:3]
    for meeting, answers, checks in zip(past, ROUNDS, CHECKS, strict=True):
        evaluation = MeetingEvaluation(
            meeting_id=meeting.id, network_id=meeting.network_id, anonymous=True,
            includes_check=checks is not None, opened_at=meeting.ends_at,
            closed_at=meeting.ends_at,
        )
        db.session.add(evaluation)
        db.session.flush()
        present = db.session.scalars(
            sa.select(Attendance.user_id).where(Attendance.meeting_id == meeting.id,
                                                Attendance.answer == Answer.YES)
            .order_by(Attendance.user_id)
        ).all()
        for index, (user_id, (energy, rating, good, missed)) in enumerate(
                zip(present, answers, strict=False)):
            check = checks[index] if checks else (None, None, None)
            db.session.add(EvaluationAnswer(
                evaluation_id=evaluation.id, user_id=user_id, energy=energy, rating=rating,
                good=good, missed=missed, check_benefit=check[0], check_goal=check[1],
                check_track=check[2], created_at=meeting.ends_at, updated_at=meeting.ends_at,
            ))
