"""The composition rules on known data, and the page that shows them."""

from collections import Counter

import sqlalchemy as sa

from netapp.extensions import db
from netapp.networks.composition import Person, compose, experience_band, size_problem
from netapp.networks.models import Role
from netapp.networks.profiles import Gender, PracticeSize, PracticeType, Region
from tests import factories as f


def test_experience_bands():
    assert [experience_band(y) for y in (None, 0, 2, 3, 9, 10, 19, 20, 45)] == [
        None,
        "0-2",
        "0-2",
        "3-9",
        "3-9",
        "10-19",
        "10-19",
        "20+",
        "20+",
    ]


def test_size_against_the_chosen_size():
    assert size_problem(7, "small") == "below_small"
    assert size_problem(8, "small") is None and size_problem(20, "small") is None
    assert size_problem(21, "small") == "above_small"
    assert size_problem(20, "large") == "below_large"
    assert size_problem(21, "large") is None
    assert size_problem(3, None) is None


def test_counts_and_a_good_mix():
    people = [
        Person("PHYSIOTHERAPIST", 1, "ONE", "MIDTJYLLAND"),
        Person("PHYSIOTHERAPIST", 12, "TWO_TO_FIVE", "MIDTJYLLAND"),
        Person("DENTIST", 4, "TWO_TO_FIVE", "NORDJYLLAND"),
        Person("VET", 25, "SIX_TO_FIFTEEN", "MIDTJYLLAND"),
        Person(None, None, None, None),
    ]
    result = compose(people, "small")
    assert result.count == 5
    assert result.counts["practice_type"] == {"PHYSIOTHERAPIST": 2, "DENTIST": 1, "VET": 1}
    assert result.counts["experience"] == {"0-2": 1, "10-19": 1, "3-9": 1, "20+": 1}
    assert result.unknown["region"] == 1
    assert result.size_problem == "below_small"
    assert result.different == ["experience"] and result.same == []
    assert not result.lacks_difference and not result.lacks_common_ground


def test_everyone_alike_lacks_difference():
    people = [Person("DENTIST", 5, "TWO_TO_FIVE", "HOVEDSTADEN")] * 9
    result = compose(people, "small")
    assert result.lacks_difference and not result.lacks_common_ground
    assert result.same == ["practice_type", "experience", "practice_size", "region"]


def test_everyone_different_lacks_common_ground():
    people = [
        Person("DENTIST", 1, "ONE", "HOVEDSTADEN"),
        Person("VET", 5, "TWO_TO_FIVE", "SJAELLAND"),
        Person("PSYCHOLOGIST", 15, "SIX_TO_FIFTEEN", "NORDJYLLAND"),
    ]
    result = compose(people, None)
    assert result.lacks_common_ground and not result.lacks_difference


def test_too_few_answers_judges_nothing():
    result = compose([Person("DENTIST"), Person("DENTIST")], "small")
    assert result.judged == [] and not result.lacks_difference


def test_composition_page_counts_participants_not_the_facilitator(client, login_as, world):
    w = world
    for person in (w.coordinator, w.member, w.facilitator):
        f.profile(
            person,
            practice_type=PracticeType.DENTIST,
            years_as_leader=4,
            practice_size=PracticeSize.TWO_TO_FIVE,
            region=Region.SYDDANMARK,
        )
    extra = f.member(w.a, Role.MEMBER)
    f.profile(
        extra,
        practice_type=PracticeType.DENTIST,
        years_as_leader=7,
        practice_size=PracticeSize.TWO_TO_FIVE,
        region=Region.SYDDANMARK,
    )
    w.a.size = "SMALL"
    from netapp.extensions import db

    db.session.commit()
    login_as(w.coordinator)
    page = client.get(f"/networks/{w.a.id}/composition")
    assert page.status_code == 200
    assert "3 participants" in page.text
    assert "fewer than 8" in page.text
    assert "lacks difference" in page.text
    assert "Dentist" in page.text


# --- core and per phase, competences, and the small-number rule for gender and age ---------

from netapp.networks.composition import (  # noqa: E402
    CORE_MAX,
    CORE_MIN,
    DEMOGRAPHICS_MIN,
    OTHER_ANSWERS,
    demographic_totals,
    gaps,
)


def test_gender_and_age_are_shown_only_from_five_answers():
    assert DEMOGRAPHICS_MIN == 5
    four = ["WOMAN", "WOMAN", "MAN", "MAN", None, None]
    assert demographic_totals(four) is None  # four answered: nothing shown
    five = four[:4] + ["WOMAN"]
    assert demographic_totals(five) == {"WOMAN": 3, "MAN": 2}


def test_no_figure_points_at_one_person():
    # one "other" among five: pooled alone it would be one person, so nothing is shown
    assert demographic_totals(["WOMAN", "WOMAN", "MAN", "MAN", "OTHER"]) is None
    # two single answers are pooled together under "other answers"
    totals = demographic_totals(["WOMAN", "WOMAN", "WOMAN", "MAN", "OTHER"])
    assert totals == {"WOMAN": 3, OTHER_ANSWERS: 2}
    assert all(n >= 2 for n in totals.values())


def test_core_advice_and_competence_gaps():
    assert (CORE_MIN, CORE_MAX) == (4, 6)
    assert gaps(3, Counter(), 0) == ["core_few"]
    assert gaps(4, Counter(), 0) == [] and gaps(6, Counter(), 0) == []
    assert gaps(7, Counter(), 0) == ["core_many"]
    stated = Counter({"professional": 3, "personal": 1})
    assert gaps(5, stated, 3) == ["competence_methodical"]
    assert gaps(5, Counter(), 2) == []  # too few described their competences to judge


def test_the_page_counts_core_and_per_phase_and_respects_consent(client, login_as, world):
    from netapp.networks.models import Membership, Participation

    people = [f.member(world.a, Role.MEMBER) for _ in range(6)]
    db.session.scalar(sa.select(Membership).where(
        Membership.user_id == people[0].id)).participation = Participation.PHASE
    for i, person in enumerate(people):
        f.profile(person, gender=Gender.WOMAN if i % 2 else Gender.MAN,
                  demographics_consent_at=f.utcnow() if i < 4 else None,
                  competence_professional="Sygepleje")
    db.session.commit()
    login_as(world.member)
    text = client.get(f"/networks/{world.a.id}/composition").get_data(as_text=True)
    core_row = text[text.index("Core participants (in every phase)"):]
    assert '<td class="num">7</td>' in core_row[:200]  # coordinator, member and five more
    phase_row = text[text.index("Participants per phase</th>"):]
    assert '<td class="num">1</td>' in phase_row[:120]
    # only four consented: no gender figures at all
    gender = text[text.index('id="mix-gender"'):]
    assert "Shown only as totals once at least 5" in gender[:600]
    assert "You are missing a methodical competence" in text
