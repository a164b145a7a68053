"""The live exercises' share of `flask seed-large`: a presentation round in the room."""

from netapp.extensions import db
from netapp.live import exercises
from netapp.live.models import ExerciseKind
from netapp.meetings.models import Meeting


def seed_large(world) -> None:
    """A presentation round for the meeting happening now in network 1."""
    meeting = db.session.get(Meeting, world.room_meeting)
    exercise = exercises.create(meeting, ExerciseKind.PRESENTATION, [120])
    db.session.flush()
    world.ids.update(
        live_fragment=f"/live/exercise/{exercise.id}/clock",
        live_view=f"/live/exercise/{exercise.id}",
        live_control=f"/live/exercise/{exercise.id}/control/{{action}}",
    )
