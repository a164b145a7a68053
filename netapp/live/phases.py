"""The four phases of a sparring round: the challenge, questions, the others'
experiences, close and thanks; plans for rounds of 15-20 minutes and a facilitator's own plan.
"""

from collections.abc import Sequence

from netapp.live.clock import ClockError, Step, not_int

PHASES = ("challenge", "questions", "experiences", "close")

# Minutes per phase by round length. 15 and 20 are the seed's own plans (2·8·4·1, 3·10·5·2);
# between them each phase grows linearly and is rounded to whole minutes (largest remainder,
# ties to experiences, then challenge, then close), which keeps questions the longest and
# every phase non-decreasing as the round gets longer. Whole minutes read well on a clock.
_PHASE_MINUTES: dict[int, tuple[int, int, int, int]] = {
    15: (2, 8, 4, 1),
    16: (2, 9, 4, 1),
    17: (2, 9, 5, 1),
    18: (3, 9, 5, 1),
    19: (3, 9, 5, 2),
    20: (3, 10, 5, 2),
}
MIN_PHASE_SECONDS = 60


def sparring_phases(round_minutes: int) -> tuple[Step, ...]:
    """The four phases of a sparring round of 15-20 minutes; they add up exactly."""
    _check_round(round_minutes)
    minutes = _PHASE_MINUTES[round_minutes]
    return tuple(Step(key, m * 60) for key, m in zip(PHASES, minutes, strict=True))


def validate_phases(seconds: Sequence[int], round_minutes: int) -> tuple[Step, ...]:
    """Check a facilitator's own phase plan and return it as steps.

    Codes: "round_length" (not 15-20 minutes), "phase_count" (not four phases),
    "phase_too_short" (a phase under a minute), "phase_sum" (not the round's length).
    """
    _check_round(round_minutes)
    if len(seconds) != len(PHASES):
        raise ClockError("phase_count")
    if any(not_int(s) or s < MIN_PHASE_SECONDS for s in seconds):
        raise ClockError("phase_too_short")
    if sum(seconds) != round_minutes * 60:
        raise ClockError("phase_sum")
    return tuple(Step(key, s) for key, s in zip(PHASES, seconds, strict=True))


def _check_round(round_minutes: int) -> None:
    if not_int(round_minutes) or round_minutes not in _PHASE_MINUTES:
        raise ClockError("round_length")
