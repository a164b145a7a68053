"""Meetings: planning, agenda, invitations and answers, tasks, topic wishes, goals, summary."""

from netapp.meetings import panels, views, views_agenda, views_attendance, views_goals, views_work  # noqa: F401,I001
from netapp.meetings.blueprint import bp

__all__ = ["bp"]
