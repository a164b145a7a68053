"""A meeting's agenda: the seed templates, adding, moving and the running total."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from netapp import ordering
from netapp.extensions import db
from netapp.meetings.models import AgendaItem, AgendaKind, Meeting, MeetingKind
from netapp.refusals import InvalidInput

MAX_ITEM_MINUTES = 480  # a single item longer than a working day is a typo


class AgendaError(InvalidInput):
    """Bad input for an agenda item."""


def first_meeting_template(expected: int) -> list[tuple[AgendaKind, str, int]]:
    """The first meeting: a presentation round at 2 minutes per expected attendee (BFA guide)."""
    return [
        (AgendaKind.WELCOME, _("Welcome and the network's purpose"), 15),
        (
            AgendaKind.PRESENTATION_ROUND,
            _("Presentation round: name, type and size of practice, years as a leader"),
            max(2, 2 * expected),
        ),
        (AgendaKind.INTERVIEWS, _("Interviews in pairs or threes about expectations"), 20),
        (AgendaKind.OTHER, _("Gathering the points on the flipover"), 15),
        (AgendaKind.BREAK, _("Break"), 15),
        (AgendaKind.OTHER, _("Ground rules (spilleregler)"), 20),
        (AgendaKind.SPARRING, _("Sparring exercise, if there is time"), 40),
        (AgendaKind.PLANNING_YEAR,
         _("The planning year: dates and topics for the coming meetings"), 10),
    ]


def following_meeting_template(topic: str) -> list[tuple[AgendaKind, str, int]]:
    """Following meetings: follow-up, the topic, sparring, a short evaluation (BFA guide)."""
    return [
        (AgendaKind.GOAL_FOLLOW_UP, _("Follow-up on cases and goals from last time"), 20),
        (AgendaKind.TOPIC, topic or _("The topic"), 60),
        (AgendaKind.BREAK, _("Break"), 15),
        (AgendaKind.SPARRING, _("Sparring on current challenges"), 45),
        (AgendaKind.EVALUATION, _("Short evaluation: what was good today, what did we miss?"), 15),
    ]


def template_for(meeting: Meeting, which: str, expected: int) -> list[tuple[AgendaKind, str, int]]:
    """The template's items; lunch-to-lunch adds time together."""
    if which == "first":
        return first_meeting_template(expected)
    items = following_meeting_template(meeting.topic)
    if meeting.kind == MeetingKind.LUNCH_TO_LUNCH:
        items.append((AgendaKind.SOCIAL, _("Social activity and dinner"), 180))
    return items


def apply_template(meeting: Meeting, which: str, expected: int) -> list[AgendaItem]:
    """Append the template's items after what the agenda already holds."""
    start = len(meeting.agenda)
    items = [
        AgendaItem(kind=kind, title=title, minutes=minutes, position=start + i)
        for i, (kind, title, minutes) in enumerate(template_for(meeting, which, expected))
    ]
    meeting.agenda.extend(items)
    db.session.flush()
    return items


def check_item(title: str, minutes: int | None) -> None:
    """Refuse an empty title and a negative, zero or absurd length."""
    errors = {}
    if not (title or "").strip():
        errors["title"] = _l("Give the item a title.")
    if minutes is None or minutes < 1 or minutes > MAX_ITEM_MINUTES:
        errors["minutes"] = _l("Give a length between 1 and %(max)s minutes.", max=MAX_ITEM_MINUTES)
    if errors:
        raise AgendaError(errors)


def add_item(meeting: Meeting, kind: AgendaKind, title: str, minutes: int | None) -> AgendaItem:
    """Add an item at the end of the agenda."""
    check_item(title, minutes)
    item = AgendaItem(kind=kind, title=title.strip(), minutes=minutes, position=len(meeting.agenda))
    meeting.agenda.append(item)
    db.session.flush()
    return item


def update_item(item: AgendaItem, kind: AgendaKind, title: str, minutes: int | None) -> None:
    """Change an item's kind, title or length."""
    check_item(title, minutes)
    item.kind, item.title, item.minutes = kind, title.strip(), minutes
    db.session.flush()


def move_item(meeting: Meeting, item: AgendaItem, direction: str) -> None:
    """Swap the item with its neighbour above or below; the ends stay put."""
    ordering.move(list(meeting.agenda), item, direction)
    db.session.flush()
    meeting.agenda.sort(key=lambda each: each.position)


def delete_item(meeting: Meeting, item: AgendaItem) -> None:
    """Remove an item and close the gap."""
    meeting.agenda.remove(item)
    for position, each in enumerate(meeting.agenda):
        each.position = position
    db.session.flush()


def item_of(meeting: Meeting, item_id: int) -> AgendaItem | None:
    """The meeting's item with this id (another meeting's item is None)."""
    return next((item for item in meeting.agenda if item.id == item_id), None)


def fit(meeting: Meeting) -> dict:
    """The running total against the meeting's length."""
    total, length = meeting.agenda_minutes, meeting.minutes
    return {
        "total": total,
        "length": length,
        "over": max(0, total - length),
        "fits": total <= length,
    }
