"""Wall-clock time in a network's zone, stored as naive UTC: the one place that converts."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Europe/Copenhagen"


def zone_of(network) -> ZoneInfo:
    """The network's time zone; a broken name falls back to Copenhagen rather than a 500."""
    try:
        return ZoneInfo(network.timezone or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """Local day and time to naive UTC; a time skipped by the clock change raises ValueError."""
    local = datetime.combine(day, at, tzinfo=zone)
    utc = local.astimezone(UTC)
    if utc.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise ValueError("nonexistent local time")
    return utc.replace(tzinfo=None)


def to_local(utc: datetime, zone: ZoneInfo) -> datetime:
    """Naive UTC from the database to an aware local datetime."""
    return utc.replace(tzinfo=UTC).astimezone(zone)
