"""The health figures of a network and the early warnings, as pure rules (no Flask, no DB).

The rules read a list of per-meeting figures, oldest first, and return the signals that
have turned, each with the BFA leader-network guide's words and advice
(docs/sources.md). They are unit-tested on
constructed histories in tests/evaluations/test_health_rules.py.
"""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l

MANY_AFBUD = 0.25  # a quarter of the invited sent afbud ...
RUNNING = 2  # ... at this many meetings running
RISING_AFBUD_FLOOR = 0.2  # afbud rising three times running counts from this share
LOW_SCALE = 2.5  # an average at or below this on a 1-5 scale has turned


@dataclass(frozen=True)
class MeetingFigures:
    """What one past meeting tells about the network's health (figures only, no names)."""

    meeting_id: int
    starts_at: datetime
    topic: str = ""
    invited: int = 0  # attendance rows
    present: int = 0  # checked in, or said yes
    afbud: int = 0
    answers: int = 0
    energy: float | None = None
    rating: float | None = None
    check_benefit: float | None = None
    check_goal: float | None = None
    check_track: float | None = None
    goals_set: int = 0
    goals_followed: int = 0

    @property
    def afbud_share(self) -> float:
        return self.afbud / self.invited if self.invited else 0.0


@dataclass(frozen=True)
class Signal:
    """A warning that has turned: a code, a headline, the seed's words and its advice."""

    code: str
    title: object  # lazy strings: translated when rendered, in the reader's language
    words: object
    advice: object


TEXTS = {
    "afbud": (
        _l("Many cancellations at the last meetings"),
        _l("Many cancellations are a sign that you are off track."),
        _l("Evaluate the network's progress regularly and judge whether you are on the right "
           "track and keeping focus. It is important that you agree on what you want with "
           "the network."),
    ),
    "energy": (
        _l("Falling energy"),
        _l("You should leave a network meeting feeling that you have gained energy."),
        _l("It is important that you get something out of the meetings and good energy from "
           "them if the network is to be viable. End with a short evaluation: what was "
           "especially good today, what did we miss today."),
    ),
    "goals": (
        _l("Goals are not followed up"),
        _l("It is simply easier to get something done when we know that the others will ask "
           "about it and are interested in how it is going."),
        _l("Start each meeting with a short follow-up on the cases or goals from the last "
           "meeting."),
    ),
    "benefit": (
        _l("Not everyone gets something personal out of it"),
        _l("Everyone must get something out of being in a network. If some feel that they "
           "'work' more for others than for themselves, they will pull out."),
        _l("Make clear beforehand what you yourself expect to get out of taking part."),
    ),
    "goal": (
        _l("You do not agree on the goal"),
        _l("It is important that everyone agrees on the purpose, which can be written down "
           "in a 'contract'."),
        _l("The purpose must always be more than social. Then again, a network only survives "
           "if the relationships work."),
    ),
    "track": (
        _l("Off track or losing focus"),
        _l("You should evaluate the network's progress regularly and judge whether you are "
           "on the right track and keeping focus."),
        _l("New ideas and goals may come up, but it is important that you agree on what you "
           "want with the network."),
    ),
}


def _signal(code: str) -> Signal:
    title, words, advice = TEXTS[code]
    return Signal(code, title, words, advice)


def many_afbud(history: list[MeetingFigures]) -> bool:
    """Many afbud at the last meetings running, or afbud rising three meetings running."""
    last = history[-RUNNING:]
    if len(last) == RUNNING and all(m.afbud_share >= MANY_AFBUD for m in last):
        return True
    three = history[-3:]
    return (
        len(three) == 3
        and three[0].afbud < three[1].afbud < three[2].afbud
        and three[2].afbud_share >= RISING_AFBUD_FLOOR
    )


def falling_energy(history: list[MeetingFigures]) -> bool:
    """Energy fell at each of the last three evaluated meetings, or the latest is low."""
    energies = [m.energy for m in history if m.energy is not None]
    if not energies:
        return False
    last = energies[-3:]
    falling = len(last) == 3 and last[0] > last[1] > last[2]
    return falling or energies[-1] <= LOW_SCALE


def goals_not_followed(history: list[MeetingFigures]) -> bool:
    """Goals were set at earlier meetings and not one has been followed up since."""
    earlier = history[:-1]
    return sum(m.goals_set for m in earlier) > 0 and sum(m.goals_followed for m in earlier) == 0


def _latest_check(history: list[MeetingFigures], field: str) -> float | None:
    values = [getattr(m, field) for m in history if getattr(m, field) is not None]
    return values[-1] if values else None


def low_check(history: list[MeetingFigures], field: str) -> bool:
    """The latest network check scored low on one of the three requirements."""
    value = _latest_check(history, field)
    return value is not None and value <= LOW_SCALE


def warning_codes(history: list[MeetingFigures]) -> list[str]:
    """The codes of the signals that have turned in this history (oldest meeting first)."""
    rules = [
        ("afbud", many_afbud(history)),
        ("energy", falling_energy(history)),
        ("goals", goals_not_followed(history)),
        ("benefit", low_check(history, "check_benefit")),
        ("goal", low_check(history, "check_goal")),
        ("track", low_check(history, "check_track")),
    ]
    return [code for code, turned in rules if turned]


def warnings(history: list[MeetingFigures]) -> list[Signal]:
    """The signals that have turned, with the seed's words and advice."""
    return [_signal(code) for code in warning_codes(history)]


def average(values: list[float | None]) -> float | None:
    """The mean of the values that exist, or None."""
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None
