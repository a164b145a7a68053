"""Every domain's refusals are one of the two shared kinds, so the web layer reads them alike."""

import pytest

from netapp.live import clock, exercises, grouping, notes
from netapp.meetings import agenda, attendance, goals, planning, summary, wishes
from netapp.refusals import InvalidInput, Refused


@pytest.mark.parametrize(
    "kind",
    [agenda.AgendaError, wishes.WishError, goals.GoalError, summary.SummaryError,
     planning.PlanningError],
)
def test_bad_input_maps_fields_to_messages(kind):
    error = kind({"text": "Write the goal."})
    assert isinstance(error, InvalidInput) and isinstance(error, ValueError)
    assert error.errors == {"text": "Write the goal."}
    assert str(error) == "text"  # the field names only: the messages stay lazy until shown


@pytest.mark.parametrize(
    "kind",
    [clock.ClockError, grouping.GroupingError, exercises.SetupError, notes.NoteRefused,
     attendance.AnswerLinkError],
)
def test_refusals_carry_a_stable_code(kind):
    error = kind("expired")
    assert isinstance(error, Refused) and isinstance(error, ValueError)
    assert error.code == "expired" and str(error) == "expired"


def test_domains_stay_apart():
    """A view that catches one domain's refusal does not swallow another's."""
    assert not issubclass(planning.PlanningError, goals.GoalError)
    assert not issubclass(clock.ClockError, grouping.GroupingError)
    assert attendance.AnswerLinkError("expired").reason == "expired"
