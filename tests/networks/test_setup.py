"""The guided set-up: each step saves, back and next keep answers, bad input stays put."""

import re

from netapp.extensions import db
from netapp.networks.models import Form, Size
from tests import factories as f
from tests.submits import once


def test_walk_the_steps_back_and_forth(client, login_as, world):
    w = world
    login_as(w.coordinator)
    base = f"/networks/{w.a.id}/setup"
    r = client.post(
        f"{base}/1",
        data={
            "name": "Network A",
            "purpose": "Less alone",
            "difference": "Time to think",
            "focus": ["SPARRING", "TALKS"],
            "go": "next",
        },
    )
    assert r.headers["Location"].endswith(f"{base}/2")
    client.post(
        f"{base}/2",
        data={
            "target_group": "Clinic owners",
            "geography": "Aarhus",
            "scope": "ONE_SECTOR",
            "professions": "SEVERAL",
            "go": "next",
        },
    )
    r = client.post(f"{base}/3", data={"size": "SMALL", "openness": "open", "go": "back"})
    assert r.headers["Location"].endswith(f"{base}/2")
    assert 'value="Aarhus"' in client.get(f"{base}/2").text
    step3 = client.get(f"{base}/3").text
    assert 'value="SMALL" checked' in step3 or 'checked id="size-0"' in step3 or "checked" in step3
    client.post(
        f"{base}/4",
        data={
            "meeting_form": "BOTH",
            "frequency_months": "2",
            "meeting_length": "HALF_DAY",
            "go": "next",
        },
    )
    r = client.post(
        f"{base}/5",
        data={
            "time_of_day": "AFTER_CLOSING",
            "place": "MEMBER_PRACTICE",
            "place_note": "We take turns",
            "payer": "SHARED",
            "go": "next",
        },
    )
    assert r.headers["Location"].endswith(f"/networks/{w.a.id}")
    db.session.refresh(w.a)
    assert w.a.size == Size.SMALL and w.a.is_open and w.a.meeting_form == Form.BOTH
    assert w.a.frequency_months == 2 and w.a.focus == "talks,sparring" and w.a.setup_done
    page = client.get(f"/networks/{w.a.id}").text
    for words in (
        "Less alone",
        "Clinic owners",
        "Small network (8–20 participants)",
        "Every second month",
        "After closing time",
        "We take turns",
        "Open network",
    ):
        assert words in page


def test_bad_input_is_a_field_error_not_a_500(client, login_as, world):
    w = world
    login_as(w.coordinator)
    base = f"/networks/{w.a.id}/setup"
    r = client.post(f"{base}/1", data={"name": "", "purpose": "Kept text", "focus": ["BOGUS"]})
    assert r.status_code == 200 and "Fill this in." in r.text and "Kept text" in r.text
    r = client.post(f"{base}/4", data={"frequency_months": "7", "meeting_form": "NOPE"})
    assert r.status_code == 200 and "Choose one of the options." in r.text
    assert r.text.count("has-error") == 2
    assert client.get(f"{base}/9").status_code == 404
    assert client.get(f"{base}/0").status_code == 404


def test_profile_out_of_range_and_consent(client, login_as, world):
    w = world
    login_as(w.member)
    r = client.post(
        "/networks/profile",
        data={"years_in_profession": "61", "years_as_leader": "x", "phone": "12 34 56 78"},
    )
    assert r.status_code == 200 and "Give a number from 0 to 60." in r.text
    assert 'value="12 34 56 78"' in r.text
    client.post(
        "/networks/profile",
        data={
            "practice_type": "VET",
            "years_as_leader": "5",
            "gender": "WOMAN",
            "age_band": "FROM_45",
        },
    )
    from netapp.networks.profiles import Profile

    profile = db.session.get(Profile, w.member.id)
    assert profile.practice_type.name == "VET" and profile.gender is None  # no consent: not kept
    client.post(
        "/networks/profile", data={"consent": "y", "gender": "WOMAN", "age_band": "FROM_45"}
    )
    db.session.refresh(profile)
    assert profile.gender.name == "WOMAN" and profile.has_consent
    client.post("/networks/profile", data={"gender": "WOMAN", "age_band": "FROM_45"})
    db.session.refresh(profile)
    assert profile.gender is None and profile.age_band is None and not profile.has_consent


def test_a_coordinator_starts_a_new_network(client, login_as, world):
    login_as(world.coordinator)
    r = client.post("/networks/new", data={"once": once(),
                                           "organisation": str(world.org.id), "name": "Third"})
    assert "/setup/1" in r.headers["Location"]
    other_org = f.organisation()
    r = client.post("/networks/new", data={"once": once(),
                                           "organisation": str(other_org.id), "name": "Sneaky"})
    assert r.status_code == 200
    import sqlalchemy as sa

    from netapp.networks.models import Network

    assert db.session.scalar(sa.select(Network).where(Network.name == "Sneaky")) is None


def test_the_size_step_needs_a_size_or_not_decided_yet(client, login_as, world):
    login_as(world.coordinator)
    base = f"/networks/{world.a.id}/setup/3"
    silent = client.post(base, data={"openness": "closed", "go": "next"})
    assert silent.status_code == 200
    assert "Choose a size, or “Not decided yet”." in silent.get_data(as_text=True)
    undecided = client.post(base, data={"size": "undecided", "openness": "closed", "go": "next"})
    assert undecided.status_code == 302
    db.session.expire_all()
    assert world.a.size is None and world.a.size_undecided
    again = client.get(base).get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="undecided"', again)  # shown as chosen
    client.post(base, data={"size": "LARGE", "openness": "closed", "go": "next"})
    db.session.expire_all()
    assert world.a.size == Size.LARGE and not world.a.size_undecided


def test_meeting_lengths_do_not_overlap(client, login_as, world):
    login_as(world.coordinator)
    text = client.get(f"/networks/{world.a.id}/setup/4").get_data(as_text=True)
    assert "Half a day (3–5 hours)" in text and "3–5 hours</strong>" not in text
    assert "THREE_TO_FIVE_HOURS" not in text


def test_the_contract_takes_the_difference_without_a_new_version(client, login_as, world):
    from netapp.networks.contract import accept, contract_of

    login_as(world.coordinator)
    base = f"/networks/{world.a.id}/setup"
    step1 = {"name": "Network A", "purpose": "A purpose", "focus": ["SPARRING"], "go": "next"}
    client.post(f"{base}/1", data={**step1, "difference": "Time to think"})
    for step in range(2, 6):
        data = {"size": "SMALL", "openness": "closed"} if step == 3 else {}
        client.post(f"{base}/{step}", data={**data, "go": "next"})
    db.session.expire_all()
    contract = contract_of(world.a.id)
    assert contract.difference == "Time to think" and contract.version == 1
    accept(contract, world.member.id)
    db.session.commit()
    client.post(f"{base}/1", data={**step1, "difference": "Time to think, and act"})
    db.session.expire_all()
    contract = contract_of(world.a.id)
    assert contract.difference == "Time to think, and act" and contract.version == 2


def test_gender_without_consent_says_it_was_not_saved(client, login_as, world):
    from netapp.networks.profiles import profile_of

    login_as(world.member)
    r = client.post("/networks/profile", data={"gender": "WOMAN", "age_band": "FROM_45",
                                               "years_as_leader": "4"})
    assert r.status_code == 200
    text = r.get_data(as_text=True)
    assert "Your gender and age band were not saved" in text
    assert "Your profile is saved, except gender and age band." in text
    assert re.search(r'<option selected value="WOMAN"|<input checked[^>]*value="WOMAN"', text)
    db.session.expire_all()
    profile = profile_of(world.member.id)
    assert profile.years_as_leader == 4 and profile.gender is None
