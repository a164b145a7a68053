"""Changes invitees must hear of: a meeting moved, its place changed, or cancelled.

Every change of time, place or status raises the meeting's calendar SEQUENCE, whether
the invitees are told or not, so whichever copy a calendar gets next is the newer one.
The raise is one conditional UPDATE on the sequence the coordinator's form was made
from: of two saves of the same form, or a save while an update is still being sent,
one wins and the other is told to look again; nothing is half-saved.
"""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext
from flask_babel import lazy_gettext as _  # messages are shown later, in a request

from netapp import errors
from netapp.extensions import db
from netapp.meetings import planning
from netapp.meetings.models import Meeting
from netapp.networks.models import Network
from netapp.refusals import Refused

TIME, PLACE = "time", "place"


class ChangeRefused(Refused):
    """A change or cancellation that cannot be made; `message` says why, for the flash."""

    MESSAGES = {
        "stale": _("The meeting was changed meanwhile, perhaps while its update was being "
                   "sent. Look at it again and make your change once more."),
        "cancelled": _("The meeting is already cancelled."),
        "over": _("The meeting is over; it can no longer be cancelled."),
        "invited": _("The members are invited to this meeting: cancel it instead, so their "
                     "calendars are told."),
    }

    @property
    def message(self) -> str:
        """The refusal in the user's language."""
        return str(self.MESSAGES[self.code])


@dataclass(frozen=True)
class Before:
    """What a meeting looked like before a change: what the update mail compares with."""

    starts_at: datetime
    ends_at: datetime
    venue: str
    video_link: str
    network: Network

    @property
    def place(self) -> str:
        """Where the meeting is held: the video link, else the venue."""
        return self.video_link or self.venue


def before(meeting: Meeting) -> Before:
    """The meeting's time and place now."""
    return Before(meeting.starts_at, meeting.ends_at, meeting.venue, meeting.video_link,
                  meeting.network)


def what_changed(old: Before, meeting: Meeting) -> list[str]:
    """TIME and/or PLACE, for the parts that differ."""
    changed = []
    if (old.starts_at, old.ends_at) != (meeting.starts_at, meeting.ends_at):
        changed.append(TIME)
    if (old.venue, old.video_link) != (meeting.venue, meeting.video_link):
        changed.append(PLACE)
    return changed


def _claim(meeting: Meeting, seen: int, raise_by: int, **values) -> None:
    """Raise the sequence from `seen`, or refuse when someone else already did."""
    done = db.session.execute(
        sa.update(Meeting)
        .where(Meeting.id == meeting.id, Meeting.sequence == seen,
               Meeting.cancelled_at.is_(None))
        .values(sequence=seen + raise_by, **values)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        db.session.rollback()
        db.session.refresh(meeting)
        raise ChangeRefused("cancelled" if meeting.is_cancelled else "stale")
    meeting.sequence = seen + raise_by
    for key, value in values.items():
        setattr(meeting, key, value)


def change_meeting(meeting: Meeting, slot: planning.Slot, now: datetime,
                   seen: int | None) -> tuple[Before, list[str]]:
    """Save the form's change, made from the meeting at sequence `seen`; returns what the
    meeting was and what changed. PlanningError for bad input, ChangeRefused when stale."""
    seen = meeting.sequence if seen is None else seen
    if seen != meeting.sequence:
        raise ChangeRefused("stale")
    old = before(meeting)
    with db.session.no_autoflush:
        planning.update_meeting(meeting, slot, now)
        changed = what_changed(old, meeting)
    _claim(meeting, seen, 1 if changed else 0)
    db.session.flush()
    return old, changed


def cancel_meeting(meeting: Meeting, now: datetime) -> None:
    """Mark the meeting cancelled (aflyst/avlyst): kept, shown as cancelled, sequence raised."""
    if meeting.is_cancelled:
        raise ChangeRefused("cancelled")
    if meeting.ends_at <= now:
        raise ChangeRefused("over")
    _claim(meeting, meeting.sequence, 1, cancelled_at=now)
    db.session.flush()


def delete_meeting(meeting: Meeting) -> None:
    """Remove a meeting outright: only one nobody was invited to, whose calendars hold nothing."""
    if meeting.invited_at is not None:
        raise ChangeRefused("invited")
    db.session.delete(meeting)
    db.session.flush()


def refuse_cancelled(_error):
    """The page for a right a cancelled meeting no longer gives: 409, said plainly."""
    return errors._page(409, lambda: gettext(
        "The meeting is cancelled. It can still be read, but no longer answered, changed "
        "or run."))
