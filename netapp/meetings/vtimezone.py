"""VTIMEZONE components that every calendar reader expands the same way.

A zone's clock changes are written as yearly RRULE rules (`BYMONTH=3;BYDAY=-1SU`), the
form Outlook, Google, Apple, Thunderbird (ical.js) and vobject all read. The rule is
derived from the zone database for the years the calendar's meetings span and used only
when every one of those years follows it; a zone whose changes fit no yearly rule gets no
VTIMEZONE, and its meetings are written in UTC instead, which no reader can get wrong.
Pure: no Flask, no database.
"""

import calendar
import functools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

# Checking more years than this adds nothing: beyond 2037 the zone database repeats one rule.
MAX_YEARS = 40


@dataclass(frozen=True)
class Change:
    """One clock change: when (UTC), the offsets before and after, and whether summer time."""

    at: datetime
    before: timedelta
    after: timedelta
    summer: bool

    @property
    def local(self) -> datetime:
        """The wall-clock time of the change, read on the clock before it (RFC 5545 3.6.5)."""
        return self.at + self.before


def _offset(zone: ZoneInfo, utc: datetime) -> timedelta:
    return utc.replace(tzinfo=UTC).astimezone(zone).utcoffset()


@functools.lru_cache(maxsize=512)
def changes_in(zone: ZoneInfo, year: int) -> tuple[Change, ...]:
    """The zone's clock changes in a year, each to the minute: weekly probes, then halving
    (no zone changes its clock twice within a week). Cached: the zone database is fixed
    for the life of the process."""
    found = []
    day, end = datetime(year, 1, 1), datetime(year + 1, 1, 1)
    while day < end:
        following = min(day + timedelta(days=7), end)
        if _offset(zone, day) != _offset(zone, following):
            low, high = day, following
            while high - low > timedelta(minutes=1):
                middle = (low + (high - low) / 2).replace(second=0, microsecond=0)
                if middle <= low:
                    break
                if _offset(zone, middle) == _offset(zone, low):
                    low = middle
                else:
                    high = middle
            aware = high.replace(tzinfo=UTC).astimezone(zone)
            found.append(Change(high, _offset(zone, low), _offset(zone, high),
                                bool(aware.dst())))
        day = following
    return tuple(found)


def _weekday_rules(local: datetime) -> set[str]:
    """The BYDAY values that name this date in its month: the nth weekday, and -1 if last."""
    code = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[local.weekday()]
    rules = {f"{(local.day - 1) // 7 + 1}{code}"}
    if local.day + 7 > calendar.monthrange(local.year, local.month)[1]:
        rules.add(f"-1{code}")
    return rules


def _rule(changes: list[Change]) -> str | None:
    """The one BYDAY that fits the change in every year, if there is one (last wins ties)."""
    first = changes[0]
    fitting = set.intersection(*(_weekday_rules(c.local) for c in changes))
    same = all(
        (c.local.month, c.local.time(), c.before, c.after, c.summer)
        == (first.local.month, first.local.time(), first.before, first.after, first.summer)
        for c in changes
    )
    if not same or not fitting:
        return None
    return sorted(fitting)[0]  # "-1SU" sorts before "4SU"


def _observance(change: Change, byday: str | None, name: str) -> icalendar.cal.Component:
    part = icalendar.TimezoneDaylight() if change.summer else icalendar.TimezoneStandard()
    part.add("dtstart", change.local)
    part.add("tzoffsetfrom", change.before)
    part.add("tzoffsetto", change.after)
    part.add("tzname", name)
    if byday is not None:
        part.add("rrule", {"freq": "yearly", "bymonth": change.local.month, "byday": byday})
    return part


def vtimezone(zone: ZoneInfo, first_year: int, last_year: int) -> icalendar.Timezone | None:
    """The zone as RRULE rules valid from the year before `first_year` to `last_year`,
    or None when its changes in those years do not follow one yearly rule."""
    start = first_year - 1  # a meeting in January lies after the rules' first change
    years = range(start, min(last_year, start + MAX_YEARS) + 1)
    by_year = [changes_in(zone, year) for year in years]
    tz = icalendar.Timezone()
    tz.add("tzid", zone.key)
    if all(not found for found in by_year):  # no summer time: one fixed offset
        base = datetime(start, 1, 1)
        offset = _offset(zone, base)
        if any(_offset(zone, datetime(year, 7, 1)) != offset for year in years):
            return None
        name = base.replace(tzinfo=UTC).astimezone(zone).tzname()
        tz.add_component(_observance(Change(base - offset, offset, offset, False), None, name))
        return tz
    if any(len(found) != 2 for found in by_year):
        return None
    for index in (0, 1):
        changes = [found[index] for found in by_year]
        byday = _rule(changes)
        if byday is None:
            return None
        after = changes[0].at.replace(tzinfo=UTC).astimezone(zone)
        tz.add_component(_observance(changes[0], byday, after.tzname()))
    return tz
