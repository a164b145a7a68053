"""The early-warning rules, on constructed histories (pure functions: no app, no database)."""

from datetime import datetime, timedelta

from netapp.evaluations.health import MeetingFigures, average, warning_codes


def history(*rows: dict) -> list[MeetingFigures]:
    """Meetings a month apart, oldest first; each dict overrides the defaults."""
    start = datetime(2026, 1, 10, 13)
    base = {"invited": 12, "present": 12, "afbud": 0}
    return [MeetingFigures(meeting_id=i + 1, starts_at=start + timedelta(days=30 * i),
                           **(base | row)) for i, row in enumerate(rows)]


def test_a_healthy_network_has_no_warnings():
    assert warning_codes(history({"energy": 4.5}, {"energy": 4.4, "afbud": 1},
                                 {"energy": 4.6})) == []


def test_an_empty_history_has_no_warnings():
    assert warning_codes([]) == []


def test_many_afbud_two_meetings_running_warns():
    assert "afbud" in warning_codes(history({}, {"afbud": 3}, {"afbud": 4}))


def test_many_afbud_once_does_not_warn():
    assert "afbud" not in warning_codes(history({"afbud": 5}, {"afbud": 1}))
    assert "afbud" not in warning_codes(history({}, {"afbud": 5}))


def test_afbud_rising_three_times_running_warns():
    # the demo's pattern: 0, 2, 4 of 12
    assert "afbud" in warning_codes(history({"afbud": 0}, {"afbud": 2}, {"afbud": 4}))


def test_afbud_rising_but_still_few_does_not_warn():
    assert "afbud" not in warning_codes(history({"afbud": 0}, {"afbud": 1}, {"afbud": 2}))


def test_afbud_share_uses_the_invited():
    small = history({"invited": 6, "afbud": 2}, {"invited": 6, "afbud": 2})
    assert "afbud" in warning_codes(small)
    assert MeetingFigures(1, datetime(2026, 1, 1)).afbud_share == 0.0


def test_energy_falling_three_rounds_running_warns():
    assert "energy" in warning_codes(history({"energy": 4.6}, {"energy": 3.8}, {"energy": 3.0}))


def test_energy_that_dips_and_recovers_does_not_warn():
    assert "energy" not in warning_codes(history({"energy": 4.6}, {"energy": 3.8},
                                                 {"energy": 4.2}))


def test_meetings_without_an_evaluation_are_skipped_for_energy():
    rows = history({"energy": 4.5}, {}, {"energy": 4.0}, {}, {"energy": 3.5})
    assert "energy" in warning_codes(rows)


def test_low_energy_at_the_latest_meeting_warns():
    assert "energy" in warning_codes(history({"energy": 2.4}))


def test_goals_never_followed_up_warn():
    rows = history({"goals_set": 4}, {"goals_set": 2}, {})
    assert "goals" in warning_codes(rows)


def test_goals_followed_up_once_do_not_warn():
    rows = history({"goals_set": 4, "goals_followed": 1}, {"goals_set": 2}, {})
    assert "goals" not in warning_codes(rows)


def test_goals_set_at_the_latest_meeting_are_not_due_yet():
    assert "goals" not in warning_codes(history({}, {"goals_set": 5}))


def test_low_network_check_warns_on_each_requirement():
    rows = history({"check_benefit": 2.0, "check_goal": 4.0, "check_track": 2.5})
    assert warning_codes(rows) == ["benefit", "track"]


def test_only_the_latest_network_check_counts():
    rows = history({"check_goal": 2.0}, {}, {"check_goal": 4.0})
    assert "goal" not in warning_codes(rows)


def test_the_warning_carries_the_seeds_words_in_danish(app):
    from flask_babel import force_locale

    from netapp.evaluations.health import warnings

    with app.test_request_context(), force_locale("da"):
        [signal] = warnings(history({"afbud": 4}, {"afbud": 4}))
        assert str(signal.words) == "Mange afbud er et tegn på, at I er på vildspor."
        assert "rette spor og holder fokus" in str(signal.advice)


def test_average_ignores_missing_values():
    assert average([None, 2, 4]) == 3
    assert average([None]) is None
