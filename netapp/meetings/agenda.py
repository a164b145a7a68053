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
    """The first meeting (BFA guide): a presentation round at 2 minutes per expected attendee,
    interviews about expectations, the points gathered, ground rules, sparring if there is
    time, the agreements, and a short evaluation round to close (the Norwegian handbook)."""
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
        # Seed 004: "lav klare aftaler om roller, opgaver, mødefrekvens og øvrig praktik ...
        # inden I slutter med aftaler om det næste møde – herunder evt. tema"; the start-up
        # meeting fills the planning year's dates and topics here.
        (AgendaKind.PLANNING_YEAR,
         _("Agreements: roles, tasks, how often we meet, dates and topics of the coming "
           "meetings"), 15),
        (AgendaKind.EVALUATION, _("Short evaluation: what was good today, what did we miss?"), 10),
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


def lunch_to_lunch_template(topic: str) -> list[tuple[AgendaKind, str, int]]:
    """Lunch to lunch: 24 hours together, a social activity, depth on one topic (the
    Norwegian handbook); the items add up to exactly 24 hours from a noon start."""
    topic = topic or _("The topic")
    return [
        (AgendaKind.SOCIAL, _("Lunch together"), 60),
        (AgendaKind.WELCOME, _("Welcome: the programme and goals for the two days"), 15),
        (AgendaKind.TOPIC, _("%(topic)s – in depth", topic=topic), 105),
        (AgendaKind.BREAK, _("Break"), 15),
        (AgendaKind.SPARRING, _("Sparring on current challenges"), 60),
        (AgendaKind.SOCIAL, _("Social activity"), 165),
        (AgendaKind.SOCIAL, _("Dinner (one glass per course)"), 120),
        (AgendaKind.SOCIAL, _("The evening together"), 120),
        (AgendaKind.BREAK, _("Night"), 480),
        (AgendaKind.BREAK, _("Breakfast"), 60),
        (AgendaKind.TOPIC, _("%(topic)s – reflection and what we take home", topic=topic), 120),
        (AgendaKind.BREAK, _("Break"), 15),
        (AgendaKind.SPARRING, _("Sparring round"), 60),
        (AgendaKind.OTHER, _("Agreeing the next meeting and its topic"), 15),
        (AgendaKind.EVALUATION, _("Evaluation: what was good, what did we miss?"), 15),
        (AgendaKind.SOCIAL, _("Lunch and goodbye"), 15),
    ]


def template_for(meeting: Meeting, which: str, expected: int) -> list[tuple[AgendaKind, str, int]]:
    """The template's items."""
    if which == "first":
        return first_meeting_template(expected)
    if which == "lunch":
        return lunch_to_lunch_template(meeting.topic)
    return following_meeting_template(meeting.topic)


def default_template(meeting: Meeting) -> str:
    """The template that fits the meeting's kind."""
    if meeting.kind == MeetingKind.FIRST:
        return "first"
    return "lunch" if meeting.kind == MeetingKind.LUNCH_TO_LUNCH else "following"


def has_started(meeting: Meeting) -> bool:
    """Whether the room has begun running the agenda."""
    return any(item.status != "ready" for item in meeting.agenda)


def apply_template(meeting: Meeting, which: str, expected: int,
                   replace: bool = False) -> list[AgendaItem]:
    """Put the template's items after what the agenda already holds, or in its place.

    Replacing an agenda the room has begun running is refused (AgendaError on "mode"):
    what was done and said under those items stays."""
    if replace and has_started(meeting):
        raise AgendaError({"mode": _l("The meeting is running this agenda: add the template "
                                      "after it instead.")})
    if replace:
        meeting.agenda.clear()
        db.session.flush()
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
