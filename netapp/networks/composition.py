"""The composition rules of a network: pure functions, no Flask, no database.

The BFA leader-network guide (docs/sources.md): "sørg for, at der både er fællestræk og
forskellighed i gruppen" — it is "mellem det fælles og det forskellige" that leaders learn
from each other. Danske Fysioterapeuter's start-up guide: a small network has 8-20
participants, a large one more than 20.

Albertslund's guide (seed 001): core participants (kernedeltagere) take part in every phase
and make "et hold der brænder" — "Hav ca. 4-6 kernedeltagere"; the others are brought in
per phase. Each participant brings a faglig, personlig or metodisk kompetence (seed 002),
and the guide asks you to "finde de kompetencer og aktører, du mangler": the gaps are named
"I mangler …". Gender and age are counted only for those who consented, and shown only as
totals once at least DEMOGRAPHICS_MIN have answered, never as a figure that points at one
person (a category of one is pooled with the other small ones, and a pool of one is not
shown at all).

The rules, per dimension (practice type, experience as a leader, practice size, region)
with at least MIN_KNOWN answers:
- "all the same": everyone who answered gave the same answer;
- "all different": no two who answered gave the same answer.
The group lacks difference when every dimension judged is all the same, and lacks
common ground when every dimension judged is all different.
"""

from collections import Counter
from dataclasses import dataclass, field

SMALL_MIN, SMALL_MAX = 8, 20
CORE_MIN, CORE_MAX = 4, 6  # "Hav ca. 4-6 kernedeltagere"
DEMOGRAPHICS_MIN = 5  # gender and age totals only from this many answers
COMPETENCES = ("professional", "personal", "methodical")  # faglig, personlig, metodisk
OTHER_ANSWERS = "other_answers"  # the pooled small categories
MIN_KNOWN = 3  # below this, a dimension says too little to judge
DIMENSIONS = ("practice_type", "experience", "practice_size", "region")


@dataclass(frozen=True)
class Person:
    """What composition needs to know about one member (None: not answered)."""

    practice_type: str | None = None
    years_as_leader: int | None = None
    practice_size: str | None = None
    region: str | None = None
    core: bool = True  # a core participant; False: brought in per phase
    competences: frozenset[str] = frozenset()  # of COMPETENCES, those the person described
    gender: str | None = None  # only with consent
    age_band: str | None = None  # only with consent


def demographic_totals(answers: list[str | None]) -> dict[str, int] | None:
    """Counts per answer, or None when they could point at one person.

    Fewer than DEMOGRAPHICS_MIN answers show nothing; answers given by one person only are
    pooled under OTHER_ANSWERS, and a pool of one person shows nothing at all.
    """
    known = Counter(a for a in answers if a is not None)
    if sum(known.values()) < DEMOGRAPHICS_MIN:
        return None
    totals = {k: n for k, n in known.items() if n > 1}
    pooled = sum(n for n in known.values() if n == 1)
    if pooled == 1:
        return None
    if pooled:
        totals[OTHER_ANSWERS] = pooled
    return totals


def gaps(core: int, competences: Counter, stated: int) -> list[str]:
    """What the group lacks, as codes the page words "I mangler …" (seed 001)."""
    found = []
    if core < CORE_MIN:
        found.append("core_few")
    elif core > CORE_MAX:
        found.append("core_many")
    if stated >= MIN_KNOWN:  # enough have described their competences to judge
        found += [f"competence_{kind}" for kind in COMPETENCES if not competences[kind]]
    return found


def experience_band(years: int | None) -> str | None:
    """Years as a leader in bands: 0-2, 3-9, 10-19, 20+."""
    if years is None:
        return None
    if years < 3:
        return "0-2"
    if years < 10:
        return "3-9"
    if years < 20:
        return "10-19"
    return "20+"


@dataclass
class Composition:
    """The mix of a group and what the seeds would say about it."""

    count: int
    counts: dict[str, Counter] = field(default_factory=dict)
    unknown: dict[str, int] = field(default_factory=dict)
    same: list[str] = field(default_factory=list)  # dimensions where all are alike
    different: list[str] = field(default_factory=list)  # dimensions where no two are alike
    size_problem: str | None = None  # "below_small", "above_small", "below_large"
    lacks_difference: bool = False
    lacks_common_ground: bool = False
    core: int = 0
    per_phase: int = 0
    competences: Counter = field(default_factory=Counter)
    competences_stated: int = 0  # people who described at least one competence
    gender: dict[str, int] | None = None  # demographic_totals, or None: not shown
    age_band: dict[str, int] | None = None
    gaps: list[str] = field(default_factory=list)

    @property
    def judged(self) -> list[str]:
        return [d for d in DIMENSIONS if sum(self.counts[d].values()) >= MIN_KNOWN]


def size_problem(count: int, chosen: str | None) -> str | None:
    """Whether the group is outside the size it chose ("small" 8-20, "large" 20+)."""
    if chosen == "small":
        if count < SMALL_MIN:
            return "below_small"
        if count > SMALL_MAX:
            return "above_small"
    if chosen == "large" and count <= SMALL_MAX:
        return "below_large"
    return None


def compose(people: list[Person], chosen_size: str | None) -> Composition:
    """Count the mix per dimension and judge it by the rules above."""
    values = {
        "practice_type": [p.practice_type for p in people],
        "experience": [experience_band(p.years_as_leader) for p in people],
        "practice_size": [p.practice_size for p in people],
        "region": [p.region for p in people],
    }
    result = Composition(count=len(people), size_problem=size_problem(len(people), chosen_size))
    for dimension, answers in values.items():
        known = [a for a in answers if a is not None]
        result.counts[dimension] = Counter(known)
        result.unknown[dimension] = len(answers) - len(known)
    for dimension in result.judged:
        counter = result.counts[dimension]
        if len(counter) == 1:
            result.same.append(dimension)
        elif all(n == 1 for n in counter.values()):
            result.different.append(dimension)
    result.core = sum(1 for p in people if p.core)
    result.per_phase = len(people) - result.core
    for person in people:
        result.competences.update(person.competences)
    result.competences_stated = sum(1 for p in people if p.competences)
    result.gender = demographic_totals([p.gender for p in people])
    result.age_band = demographic_totals([p.age_band for p in people])
    result.gaps = gaps(result.core, result.competences, result.competences_stated)
    judged = result.judged
    result.lacks_difference = bool(judged) and len(result.same) == len(judged)
    result.lacks_common_ground = bool(judged) and len(result.different) == len(judged)
    return result
