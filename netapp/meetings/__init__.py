"""Meetings: planning, agenda, invitations and answers, tasks, topic wishes, goals, summary.

The blueprint, its template helpers for local time, and its CLI command.
"""

from datetime import UTC, datetime, timedelta

from babel.dates import format_date, format_datetime, format_time, get_timezone_location
from flask import Blueprint
from flask_babel import get_locale

from netapp.i18n import date_pattern, datetime_pattern
from netapp.meetings import cli
from netapp.meetings.zones import zone_of

bp = Blueprint("meetings", __name__, url_prefix="/meetings")


@bp.record_once
def _setup(state) -> None:
    """Register `flask send-reminders` and the labels every meetings template uses."""
    from netapp.access import MeetingCancelled
    from netapp.meetings import changes, forms, wishes

    cli.register(state.app)
    state.app.register_error_handler(MeetingCancelled, changes.refuse_cancelled)
    state.app.jinja_env.globals.update(
        KIND_LABELS=forms.KIND_LABELS,
        AGENDA_LABELS=forms.AGENDA_LABELS,
        TASK_LABELS=forms.TASK_LABELS,
        GOAL_STATUS_LABELS=forms.STATUS_LABELS,
        WISH_KINDS=wishes.WISH_KINDS,
        MailForm=forms.MailForm,
        timedelta_minutes=lambda n: timedelta(minutes=n),
    )


def _aware(utc: datetime) -> datetime:
    return utc.replace(tzinfo=UTC)


@bp.app_template_global()
def meeting_date(utc: datetime, network, fmt: str = "full") -> str:
    """A stored UTC time as a date in the network's zone and the reader's language."""
    locale = get_locale()
    return format_date(_aware(utc).astimezone(zone_of(network)), date_pattern(fmt, locale),
                       locale=locale)


@bp.app_template_global()
def zone_label(network) -> str:
    """The network's time zone as its readers say it ("Norge-tid", "Norway Time")."""
    return get_timezone_location(zone_of(network), locale=get_locale())


@bp.app_template_global()
def meeting_time(utc: datetime, network) -> str:
    """A stored UTC time as HH:mm in the network's zone."""
    return format_time(_aware(utc), "HH:mm", tzinfo=zone_of(network), locale=get_locale())


@bp.app_template_global()
def meeting_when(meeting) -> str:
    """ "Tuesday 5 March 2026, 13:00–16:30" (the end's date too when it is another day)."""
    zone = zone_of(meeting.network)
    start, end = (
        _aware(meeting.starts_at).astimezone(zone),
        _aware(meeting.ends_at).astimezone(zone),
    )
    locale = get_locale()
    day = format_date(start, date_pattern("full", locale), locale=locale)
    if start.date() == end.date():
        return f"{day}, {start:%H:%M}–{end:%H:%M}"
    until = format_datetime(end, datetime_pattern("full", locale), locale=locale)
    return f"{day}, {start:%H:%M} – {until}"
