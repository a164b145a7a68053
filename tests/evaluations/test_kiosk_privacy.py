"""The shared tablet never overwrites or reveals an answer, and no ordering, list, reopening
or export ties an anonymous text to the person who wrote it."""

import re

import pytest
import sqlalchemy as sa

from netapp.evaluations import services
from netapp.evaluations.models import EvaluationAnswer
from netapp.extensions import db
from netapp.meetings.models import Attendance
from tests import factories as f
from tests.evaluations.conftest import answer_form

PASSWORD = {"password": f.PASSWORD}


def kiosk_url(world) -> str:
    return f"/evaluations/meeting/{world.meeting.id}/kiosk"


def attendance_id(world, person) -> str:
    return str(db.session.scalar(sa.select(Attendance.id).where(
        Attendance.meeting_id == world.meeting.id, Attendance.user_id == person.id)))


def stored(person) -> EvaluationAnswer:
    db.session.expire_all()
    return db.session.scalar(sa.select(EvaluationAnswer).where(
        EvaluationAnswer.user_id == person.id))


def test_someone_who_answered_is_shown_as_done_and_cannot_be_picked(world, client, login_as):
    evaluation = f.evaluation(world.meeting)
    mads, maja = world.members[0], world.members[1]
    f.evaluation_answer(evaluation, mads, good="Mads kept this to himself")
    login_as(world.facilitator)
    page = client.get(kiosk_url(world)).text
    option = re.search(rf'<option[^>]*value="{attendance_id(world, mads)}"[^>]*>([^<]*)<', page)
    assert "disabled" in option.group(0) and "Mads Member (has answered)" in option.group(1)
    assert re.search(rf'<option value="{attendance_id(world, maja)}">Maja Member<', page)
    done = re.findall(r'<li class="done">([^<]*?) <span class="pill ok">done', page)
    assert done == ["Mads Member"]
    waiting = re.findall(r'<li class="waiting">([^<]*)</li>', page)
    assert waiting == sorted(waiting)  # name order, never the order of answering
    assert "Mads kept this to himself" not in page


@pytest.mark.parametrize("first_on", ["phone", "kiosk"])
def test_a_forged_post_for_someone_who_answered_changes_and_shows_nothing(
        world, client, login_as, first_on):
    f.evaluation(world.meeting)
    mads = world.members[0]
    login_as(world.facilitator if first_on == "kiosk" else mads)
    url = kiosk_url(world) if first_on == "kiosk" else f"/evaluations/meeting/{world.meeting.id}"
    first = answer_form(person=attendance_id(world, mads), good="The original", energy="2")
    assert client.post(url, data=first).status_code == 302
    login_as(world.facilitator)
    for _attempt in range(3):
        response = client.post(kiosk_url(world), data=answer_form(
            person=attendance_id(world, mads), good="Forged over it", energy="5"))
        assert response.status_code == 200
        assert "Mads Member has already answered" in response.text
        assert "The original" not in response.text  # refusing never shows the answer
    answer = stored(mads)
    assert (answer.good, answer.energy) == ("The original", 2)
    assert db.session.scalar(sa.select(sa.func.count(EvaluationAnswer.id))) == 1


def test_the_confirmation_shows_the_name_but_never_the_answer(world, client, login_as):
    f.evaluation(world.meeting)
    login_as(world.facilitator)
    response = client.post(kiosk_url(world), follow_redirects=True, data=answer_form(
        person=attendance_id(world, world.members[1]), good="Maja's private praise",
        missed="Maja's private miss", comment="Maja's note"))
    assert "Thank you, Maja Member" in response.text
    assert "Maja&#39;s" not in response.text and "Maja's" not in response.text
    assert 'class="done">Maja Member' in response.text


def test_reopening_and_answering_again_keeps_the_first_answer_and_the_results(
        world, client, login_as):
    f.evaluation(world.meeting)
    mikkel = world.members[2]
    login_as(world.facilitator)
    meeting = f"/evaluations/meeting/{world.meeting.id}"
    for person, text in zip(world.members, ("Bravo", "Alfa", "Charlie"), strict=True):
        client.post(kiosk_url(world), data=answer_form(person=attendance_id(world, person),
                                                       good=text))
    client.post(f"{meeting}/close")
    before = points(client.get(f"{meeting}/round").text)
    client.post(f"{meeting}/open")
    response = client.post(kiosk_url(world), data=answer_form(
        person=attendance_id(world, mikkel), good="Charlie, second thoughts"))
    assert "Mikkel Member has already answered" in response.text
    client.post(f"{meeting}/close")
    after = points(client.get(f"{meeting}/round").text)
    assert before == after == ["Alfa", "Bravo", "Charlie"]
    assert stored(mikkel).good == "Charlie"


def test_a_race_to_answer_stores_the_first_and_refuses_the_second(world, monkeypatch):
    evaluation = f.evaluation(world.meeting)
    maja = world.members[1]
    f.evaluation_answer(evaluation, maja, good="First tap")
    # the second request read "no answer yet" before the first one committed
    monkeypatch.setattr(services, "answer_of", lambda *_args: None)
    data = {"good": "Second tap", "missed": "", "comment": "", "energy": 1, "rating": 1}
    assert services.add_answer(evaluation.id, maja.id, data) is False
    db.session.commit()
    assert stored(maja).good == "First tap"


def points(page: str) -> list[str]:
    """The texts of the round's 'especially good' list, in the order shown."""
    good = page.split("What was especially good today", 1)[1].split("</ul>", 1)[0]
    return [re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li>(.*?)</li>", good)]


def shown_in_order(world, client, evaluation, order) -> tuple:
    """Answer in `order`; what the round, the export and the health page then show."""
    db.session.execute(sa.delete(EvaluationAnswer))
    db.session.commit()
    texts = [("zeta", 5), ("Zeta", 2)]  # equal but for case; the scales differ in the check
    for index in order:
        good, benefit = texts[index]
        f.evaluation_answer(evaluation, world.members[index], good=good, missed="same",
                            comment=f"comment {good}", check_benefit=benefit, check_goal=3,
                            check_track=3)
    round_page = client.get(f"/evaluations/meeting/{world.meeting.id}/round").text
    csv = client.post(f"/evaluations/network/{world.net.id}/export.csv", data=PASSWORD).text
    health = client.get(f"/evaluations/network/{world.net.id}/health").text
    comments = re.findall(r"comment [zZ]eta", health)
    return points(round_page), csv, comments


def test_the_order_of_texts_tells_nothing_of_the_order_of_answering(world, client, login_as):
    evaluation = f.evaluation(world.meeting, includes_check=True)
    login_as(world.coordinator)
    first = shown_in_order(world, client, evaluation, (0, 1))
    again = shown_in_order(world, client, evaluation, (1, 0))
    assert first == again
    assert first[0] == ["Zeta", "zeta"] and len(first[2]) == 2
    assert "Mads" not in first[1] and "Maja" not in first[1]
@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_export_rows_differing_only_in_the_check_keep_one_order(world, client, login_as, order):
    evaluation = f.evaluation(world.meeting, includes_check=True)
    for index in order:
        f.evaluation_answer(evaluation, world.members[index], good="same", missed="same",
                            check_benefit=(5, 2)[index], check_goal=3, check_track=3)
    login_as(world.coordinator)
    csv = client.post(f"/evaluations/network/{world.net.id}/export.csv", data=PASSWORD).text
    header, *rows = [line.split(",") for line in csv.splitlines()]
    assert [r[header.index("check_benefit")] for r in rows] == ["2", "5"]
    assert {r[header.index("name")] for r in rows} == {""}


def test_after_a_reopening_an_earlier_answer_is_final_on_the_phone_too(world, client, login_as):
    from datetime import timedelta

    evaluation = f.evaluation(world.meeting)
    mads, maja = world.members[0], world.members[1]
    answer = f.evaluation_answer(evaluation, mads, good="Shown when it closed")
    answer.created_at = evaluation.opened_at - timedelta(minutes=5)  # before the reopening
    db.session.commit()
    login_as(world.coordinator)
    meeting = f"/evaluations/meeting/{world.meeting.id}"
    client.post(f"{meeting}/close")
    client.post(f"{meeting}/open")
    db.session.expire_all()
    login_as(mads)
    page = client.get(meeting).text
    assert "yours stays as you gave it" in page
    assert "Shown when it closed" not in page  # not even to him, on a phone anyone may hold
    response = client.post(meeting, data=answer_form(good="Changed after the reopening"))
    assert response.status_code == 200 and "yours stays as you gave it" in response.text
    assert "Changed after the reopening" in response.text  # what he typed is not lost
    assert stored(mads).good == "Shown when it closed"
    login_as(maja)  # someone who had not answered may still do so after the reopening
    assert client.post(meeting, data=answer_form(good="Late but welcome")).status_code == 302
    assert stored(maja).good == "Late but welcome"
