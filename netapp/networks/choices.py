"""What the set-up and profile answers are called, and help texts from the start-up
guides of Danske Fysioterapeuter and BFA (docs/sources.md)."""

from flask_babel import lazy_gettext as _l
from wtforms.fields import SelectChoice

from netapp.networks import models as m
from netapp.networks import profiles as p

SIZE = {
    m.Size.SMALL: _l("Small network (8–20 participants)"),
    m.Size.LARGE: _l("Large network (more than 20 participants)"),
}
SIZE_HELP = {  # keyed like the form's values
    m.Size.SMALL.name: _l(
        "Can quickly work as a confidential room where you do case work, "
        "sparring and concrete exchange of experience."
    ),
    m.Size.LARGE.name: _l(
        "Can be the key to many new relations within a field, and give access "
        "to new knowledge and experts."
    ),
}
SIZE_UNDECIDED = "undecided"
SIZE_CHOICES = {**{k.name: v for k, v in SIZE.items()},
                SIZE_UNDECIDED: _l("Not decided yet")}
SIZE_HELP[SIZE_UNDECIDED] = _l("You can choose the size later, when you know more about who "
                              "will take part.")
OPENNESS = {"open": _l("Open network"), "closed": _l("Closed network")}
OPENNESS_HELP = {
    "open": [
        _l("Good at taking in new members quickly"),
        _l("Has a clear purpose that is easy for new members to understand"),
        _l("Gets much new knowledge and good opportunities for sparring"),
        _l("Is dynamic"),
    ],
    "closed": [
        _l("Builds a special confidentiality between the same participants"),
        _l("You use each other more for sparring outside the network"),
        _l("You get better together"),
    ],
}
SCOPE = {
    m.Scope.ONE_SECTOR: _l("Only for people in one specific sector"),
    m.Scope.CROSS_SECTOR: _l("Across sectors"),
}
PROFESSIONS = {
    m.Professions.ONE: _l("One profession (monodisciplinary)"),
    m.Professions.SEVERAL: _l("Several professions (interdisciplinary)"),
}
FORM = {
    m.Form.PHYSICAL: _l("Physical meetings"),
    m.Form.VIRTUAL: _l("Virtual network"),
    m.Form.BOTH: _l("Both physical and virtual"),
}
# Ranges that do not overlap: "3–5 hours" was half a day by another name, so the answers
# it held became half a day (migration phases01) and the set-up no longer offers it.
LENGTH = {
    m.Length.COUPLE_OF_HOURS: _l("A couple of hours (less than 3 hours)"),
    m.Length.HALF_DAY: _l("Half a day (3–5 hours)"),
    m.Length.WHOLE_DAY: _l("A whole day (more than 5 hours)"),
}

HELP = {
    "purpose": _l("Why are we here? What matters to us? What do we want to achieve?"),
    "target_group": _l(
        "Are there special requirements for education, field of work or experience?"
    ),
    "form": _l(
        "Physical meetings give room for knowledge sharing and informal sparring in "
        "another way than virtual networks. The strength of virtual networks is that "
        "you can meet others with the same professional interests across long distances."
    ),
    "length": _l(
        "Meetings in small groups of less than a couple of hours can be hard to make "
        "valuable: it takes time to land mentally before you open up your knowledge. "
        "Large network meetings can be shorter."
    ),
    "frequency": _l(
        "Choose a model and try it for three to four meetings; then see how it "
        "works and adjust as needed."
    ),
    "place": _l(
        "Does one of you have room in your own practice, must rooms be borrowed, or "
        "should it be digital?"
    ),
}
FREQUENCY = {1: _l("Every month"), 2: _l("Every second month"), 3: _l("Every third month")}
TIME_OF_DAY = {
    m.TimeOfDay.DAYTIME: _l("In the daytime"),
    m.TimeOfDay.AFTER_CLOSING: _l("After closing time"),
    m.TimeOfDay.WEEKEND: _l("At weekends"),
}
PLACE = {
    m.Place.MEMBER_PRACTICE: _l("In a member's own practice"),
    m.Place.BORROWED_ROOM: _l("In a borrowed room"),
    m.Place.ONLINE: _l("Online"),
}
PAYER = {m.Payer.HOST: _l("The host pays"), m.Payer.SHARED: _l("We share the costs")}
FOCUS = {
    m.Focus.COMPETENCE: _l("Competence development"),
    m.Focus.TALKS: _l("Talks by experts"),
    m.Focus.SPARRING: _l("Sparring and exchange of experience, e.g. case work"),
}

ROLE = {
    m.Role.COORDINATOR: _l("Coordinator"),
    m.Role.FACILITATOR: _l("Facilitator"),
    m.Role.MEMBER: _l("Member"),
    m.Role.GUEST: _l("Guest facilitator"),
}
PARTICIPATION = {
    m.Participation.CORE: _l("Core participant"),
    m.Participation.PHASE: _l("Participant per phase"),
}
# A coordinator picks one "position"; the server maps it to role and participation.
POSITIONS = {
    "core": (m.Role.MEMBER, m.Participation.CORE, _l("Member: core participant")),
    "phase": (m.Role.MEMBER, m.Participation.PHASE, _l("Member: participant per phase")),
    "facilitator": (m.Role.FACILITATOR, m.Participation.CORE, _l("Facilitator of the network")),
    "guest": (m.Role.GUEST, m.Participation.PHASE, _l("Guest facilitator (external)")),
    "coordinator": (m.Role.COORDINATOR, m.Participation.CORE, _l("Coordinator")),
}

PRACTICE_TYPE = {
    p.PracticeType.DENTIST: _l("Dentist"),
    p.PracticeType.SPECIALIST: _l("Medical specialist"),
    p.PracticeType.PHYSIOTHERAPIST: _l("Physiotherapist"),
    p.PracticeType.CHIROPRACTOR: _l("Chiropractor"),
    p.PracticeType.PSYCHOLOGIST: _l("Psychologist"),
    p.PracticeType.VET: _l("Vet"),
    p.PracticeType.OTHER: _l("Other"),
}
PRACTICE_SIZE = {
    p.PracticeSize.ONE: _l("1 (just me)"),
    p.PracticeSize.TWO_TO_FIVE: _l("2–5 employees"),
    p.PracticeSize.SIX_TO_FIFTEEN: _l("6–15 employees"),
    p.PracticeSize.SIXTEEN_PLUS: _l("16 or more employees"),
}
REGION = {
    p.Region.HOVEDSTADEN: _l("Capital Region of Denmark"),
    p.Region.SJAELLAND: _l("Region Zealand"),
    p.Region.SYDDANMARK: _l("Region of Southern Denmark"),
    p.Region.MIDTJYLLAND: _l("Central Denmark Region"),
    p.Region.NORDJYLLAND: _l("North Denmark Region"),
    p.Region.OSTLANDET: _l("Eastern Norway"),
    p.Region.VESTLANDET: _l("Western Norway"),
    p.Region.SORLANDET: _l("Southern Norway"),
    p.Region.MIDT_NORGE: _l("Central Norway"),
    p.Region.NORD_NORGE: _l("Northern Norway"),
    p.Region.OTHER: _l("Elsewhere"),
}
GENDER = {p.Gender.WOMAN: _l("Woman"), p.Gender.MAN: _l("Man"), p.Gender.OTHER: _l("Other")}
AGE_BAND = {
    p.AgeBand.UNDER_35: _l("Under 35"),
    p.AgeBand.FROM_35: _l("35–44"),
    p.AgeBand.FROM_45: _l("45–54"),
    p.AgeBand.FROM_55: _l("55–64"),
    p.AgeBand.FROM_65: _l("65 or older"),
}
GENDER_KEYS = {k.name: v for k, v in GENDER.items()}  # keyed like composition's answers
AGE_BAND_KEYS = {k.name: v for k, v in AGE_BAND.items()}
EXPERIENCE = {
    "0-2": _l("0–2 years"),
    "3-9": _l("3–9 years"),
    "10-19": _l("10–19 years"),
    "20+": _l("20 years or more"),
}
DIMENSION = {
    "practice_type": _l("Practice type"),
    "experience": _l("Years as a leader"),
    "practice_size": _l("Practice size"),
    "region": _l("Region"),
}
# Per dimension: how to label one of its values.
DIMENSION_LABELS = {
    "practice_type": {k.name: v for k, v in PRACTICE_TYPE.items()},
    "experience": EXPERIENCE,
    "practice_size": {k.name: v for k, v in PRACTICE_SIZE.items()},
    "region": {k.name: v for k, v in REGION.items()},
}


def select(labels: dict, blank=None) -> list[SelectChoice]:
    """SelectChoice objects (WTForms 3.3) keyed by the enum member name."""
    first = [SelectChoice("", blank)] if blank is not None else []
    return first + [SelectChoice(_key(k), v) for k, v in labels.items()]


def _key(k) -> str:
    return k.name if hasattr(k, "name") else str(k)
