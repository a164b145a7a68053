"""Planning meetings: one at a time or a series in one step, in the network's local time."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import lazy_gettext as _  # messages are shown later, in a request

from netapp.extensions import db
from netapp.hygiene import MAX_YEAR
from netapp.meetings.models import Meeting, MeetingKind, MeetingSettings
from netapp.meetings.zones import to_local, to_utc, zone_of
from netapp.once import insert_once
from netapp.refusals import InvalidInput

LUNCH_TO_LUNCH_HOURS = 24


class PlanningError(InvalidInput):
    """Bad input for a meeting."""


@dataclass
class Slot:
    """What the forms give: a local day, start and end time, and the meeting's details."""

    day: date
    start: time
    end: time | None
    kind: MeetingKind = MeetingKind.FOLLOWING
    venue: str = ""
    video_link: str = ""
    topic: str = ""
    description: str = ""
    host_id: int | None = None
    budget_per_person: int | None = None


def settings_for(network_id: int) -> MeetingSettings:
    """The network's settings, or unsaved defaults: reading never writes."""
    found = db.session.get(MeetingSettings, network_id)
    if found is not None:
        return found
    return MeetingSettings(
        network_id=network_id, reminder_days_before=3, answer_deadline_days=7, lunch_budget=3500
    )


def save_settings(network_id: int, **values) -> MeetingSettings:
    """Create the settings row on the first save, then update it."""
    insert_once(MeetingSettings, {"network_id": network_id}, ["network_id"])
    row = db.session.get(MeetingSettings, network_id)
    for key, value in values.items():
        setattr(row, key, value)
    db.session.flush()
    return row


def series_days(first: date, count: int, every_months: int) -> list[date]:
    """The same weekday in the same week of the month, every `every_months` months.

    The 2nd Tuesday stays the 2nd Tuesday; a 5th weekday that a month lacks becomes its last.
    A series may not run past MAX_YEAR (beyond year 9999 there are no dates at all).
    """
    nth = (first.day - 1) // 7
    days = []
    for i in range(count):
        month_index = first.month - 1 + i * every_months
        year, month = first.year + month_index // 12, month_index % 12 + 1
        if year > MAX_YEAR:
            raise PlanningError({"count": _(
                "The series would run past the year %(year)s. Plan fewer meetings.",
                year=MAX_YEAR)})
        first_weekday, length = calendar.monthrange(year, month)
        day = 1 + (first.weekday() - first_weekday) % 7 + 7 * nth
        while day > length:
            day -= 7
        days.append(date(year, month, day))
    return days


def times_of(slot: Slot, network) -> tuple[datetime, datetime]:
    """The slot's start and end as naive UTC; lunch-to-lunch always lasts 24 hours."""
    zone = zone_of(network)
    try:
        starts = to_utc(slot.day, slot.start, zone)
    except ValueError as exc:
        raise PlanningError(
            {"start": _("That time does not exist on this day (clock change).")}
        ) from exc
    if slot.kind == MeetingKind.LUNCH_TO_LUNCH:
        return starts, starts + timedelta(hours=LUNCH_TO_LUNCH_HOURS)
    if slot.end is None:
        raise PlanningError({"end": _("Give the time the meeting ends.")})
    if slot.end <= slot.start:
        raise PlanningError({"end": _("The meeting must end after it starts.")})
    try:
        return starts, to_utc(slot.day, slot.end, zone)
    except ValueError as exc:
        raise PlanningError(
            {"end": _("That time does not exist on this day (clock change).")}
        ) from exc


def overlapping(network_id: int, spans: list[tuple[datetime, datetime]], exclude_id=None):
    """The network's meetings that overlap any of the spans (one query)."""
    if not spans:
        return []
    clauses = [sa.and_(Meeting.starts_at < end, Meeting.ends_at > start) for start, end in spans]
    # A cancelled meeting frees its time.
    query = sa.select(Meeting).where(Meeting.network_id == network_id, sa.or_(*clauses),
                                     Meeting.cancelled_at.is_(None))
    if exclude_id is not None:
        query = query.where(Meeting.id != exclude_id)
    return list(db.session.scalars(query.order_by(Meeting.starts_at)))


def _check(network, spans, now: datetime, exclude_id=None, allow_past=False) -> None:
    if not allow_past and any(start <= now for start, _end in spans):
        raise PlanningError({"day": _("A meeting cannot be moved into the past.")
                             if exclude_id is not None
                             else _("A new meeting cannot start in the past.")})
    for (_s1, e1), (s2, _e2) in zip(spans, spans[1:], strict=False):
        if s2 < e1:
            raise PlanningError({"every_months": _("The meetings of the series overlap.")})
    clash = overlapping(network.id, spans, exclude_id)
    if clash:
        raise PlanningError(
            {
                "start": _(
                    "It overlaps another meeting of the network (%(topic)s).",
                    topic=clash[0].topic or _("no topic yet"),
                )
            }
        )


def _phase_ids(network, spans) -> list[int | None]:
    """The phase of each meeting; once the network has phases, each must fall in one."""
    from netapp.networks.phases import phase_for_day, phases_of

    phases = phases_of(network.id)
    if not phases:
        return [None] * len(spans)
    zone = zone_of(network)
    found = []
    for starts, _ends in spans:
        day = to_local(starts, zone).date()
        phase = phase_for_day(phases, day)
        if phase is None:
            raise PlanningError({"day": _(
                "%(day)s lies outside every phase of the network's plan. Choose a day in a "
                "phase, or change the phase plan first.", day=format_date(day, "medium"))})
        found.append(phase.id)
    return found


def _fill(meeting: Meeting, slot: Slot, starts: datetime, ends: datetime) -> None:
    meeting.kind, meeting.starts_at, meeting.ends_at = slot.kind, starts, ends
    meeting.venue, meeting.video_link = slot.venue.strip(), slot.video_link.strip()
    meeting.topic, meeting.description = slot.topic.strip(), slot.description.strip()
    meeting.host_id = slot.host_id
    meeting.budget_per_person = (
        slot.budget_per_person if slot.kind == MeetingKind.LUNCH_TO_LUNCH else None
    )


def _check_kind(slot: Slot) -> None:
    if slot.kind == MeetingKind.VIRTUAL and not slot.video_link.strip():
        raise PlanningError({"video_link": _("A virtual meeting needs a video link.")})


def create_meeting(network, slot: Slot, now: datetime) -> Meeting:
    """Plan one meeting; nothing is saved if the times are wrong or clash."""
    _check_kind(slot)
    starts, ends = times_of(slot, network)
    _check(network, [(starts, ends)], now)
    (phase_id,) = _phase_ids(network, [(starts, ends)])
    meeting = Meeting(network_id=network.id, phase_id=phase_id)
    _fill(meeting, slot, starts, ends)
    db.session.add(meeting)
    db.session.flush()
    return meeting


def update_meeting(meeting: Meeting, slot: Slot, now: datetime) -> Meeting:
    """Change a meeting; a meeting already held may be corrected, a coming one not moved back."""
    _check_kind(slot)
    starts, ends = times_of(slot, meeting.network)
    was_past = meeting.starts_at <= now
    _check(meeting.network, [(starts, ends)], now, exclude_id=meeting.id, allow_past=was_past)
    (meeting.phase_id,) = _phase_ids(meeting.network, [(starts, ends)])
    _fill(meeting, slot, starts, ends)
    db.session.flush()
    return meeting


def topic_lines(text: str) -> list[str]:
    """The series' topics, one per line, blank lines left out."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def plan_series(network, slot: Slot, count: int, every_months: int, now: datetime,
                topics: list[str] = ()) -> list[Meeting]:
    """Plan `count` meetings every `every_months` months at the same local weekday and time;
    the n-th topic (if given) is the n-th meeting's, the others take the slot's topic."""
    _check_kind(slot)
    if len(topics) > count:
        raise PlanningError({"topics": _(
            "%(topics)d topics for %(count)d dates: plan more meetings, or remove topics.",
            topics=len(topics), count=count)})
    if any(len(t) > 200 for t in topics):
        raise PlanningError({"topics": _("A topic may be at most 200 characters.")})
    spans = []
    for day in series_days(slot.day, count, every_months):
        spans.append(times_of(Slot(**{**slot.__dict__, "day": day}), network))
    _check(network, spans, now)
    phase_ids = _phase_ids(network, spans)
    meetings = []
    for i, (starts, ends) in enumerate(spans):
        meeting = Meeting(network_id=network.id, phase_id=phase_ids[i])
        topic = topics[i] if i < len(topics) else slot.topic
        _fill(meeting, Slot(**{**slot.__dict__, "topic": topic}), starts, ends)
        meetings.append(meeting)
    db.session.add_all(meetings)
    db.session.flush()
    return meetings


def coming_meetings(network_id: int, now: datetime) -> list[Meeting]:
    """The network's coming meetings in time order: the planning year."""
    return list(db.session.scalars(
        network_meetings(network_id).where(Meeting.starts_at >= now)))


def set_topics(meetings: list[Meeting], topics: dict[int, str]) -> int:
    """Give each coming meeting its topic from the table; returns how many changed."""
    changed = 0
    for meeting in meetings:
        topic = topics.get(meeting.id)
        if topic is None:
            continue
        if len(topic.strip()) > 200:
            raise PlanningError({f"topic_{meeting.id}": _(
                "A topic may be at most 200 characters.")})
        if topic.strip() != meeting.topic:
            meeting.topic = topic.strip()
            changed += 1
    db.session.flush()
    return changed


def network_meetings(network_id: int) -> sa.Select:
    """The network's meetings in time order."""
    return sa.select(Meeting).where(Meeting.network_id == network_id).order_by(Meeting.starts_at)


def visible_meetings(network_id: int, user_id: int, role) -> list[Meeting]:
    """The meetings a member sees; a guest facilitator only those they facilitate."""
    from netapp import access

    query = network_meetings(network_id).where(access.readable(role, Meeting.id, user_id))
    return list(db.session.scalars(query))
