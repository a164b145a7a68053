"""A member answers on their phone; bad input gets a clear message and never a 500."""

import sqlalchemy as sa

from netapp.evaluations.models import EvaluationAnswer
from netapp.extensions import db
from tests import factories as f
from tests.evaluations.conftest import answer_form


def answers() -> list[EvaluationAnswer]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(EvaluationAnswer)))


def test_member_answers_and_sees_the_thanks(world, client, login_as):
    f.evaluation(world.meeting)
    login_as(world.members[0])
    page = client.get(f"/evaluations/meeting/{world.meeting.id}")
    assert "What was especially good today?" in page.text
    response = client.post(f"/evaluations/meeting/{world.meeting.id}", data=answer_form(),
                           follow_redirects=True)
    assert "Your answer is saved" in response.text
    [row] = answers()
    assert (row.user_id, row.energy, row.rating, row.good) == (
        world.members[0].id, 4, 5, "The case round")


def test_a_second_answer_updates_the_first(world, client, login_as):
    f.evaluation(world.meeting)
    login_as(world.members[0])
    url = f"/evaluations/meeting/{world.meeting.id}"
    client.post(url, data=answer_form(energy="2"))
    client.post(url, data=answer_form(energy="5", good="Changed my mind"))
    [row] = answers()
    assert (row.energy, row.good) == (5, "Changed my mind")
    assert 'value="Changed my mind"' in client.get(url).text or "Changed my mind" in client.get(
        url).text


def test_out_of_range_scale_is_refused_at_the_field(world, client, login_as):
    f.evaluation(world.meeting)
    login_as(world.members[0])
    for bad in ("9", "0", "abc", ""):
        response = client.post(f"/evaluations/meeting/{world.meeting.id}",
                               data=answer_form(energy=bad, good="Keep this text"))
        assert response.status_code == 200
        assert 'class="errors"' in response.text
        assert "Keep this text" in response.text  # nothing typed is lost
    assert answers() == []


def test_answer_after_close_is_refused_and_the_text_kept(world, client, login_as):
    f.evaluation(world.meeting, closed=True)
    login_as(world.members[0])
    response = client.post(f"/evaluations/meeting/{world.meeting.id}",
                           data=answer_form(good="Late but heartfelt"))
    assert response.status_code == 200
    assert "has closed, so your answer was not saved" in response.text
    assert "Late but heartfelt" in response.text
    assert answers() == []


def test_a_closed_evaluation_opened_without_answering_says_closed_not_unsaved(world, client,
                                                                              login_as):
    f.evaluation(world.meeting, closed=True)
    login_as(world.members[0])
    page = client.get(f"/evaluations/meeting/{world.meeting.id}").text
    assert "The evaluation of this meeting has closed." in page
    assert "not saved" not in page


def test_answer_before_opening_is_refused(world, client, login_as):
    login_as(world.members[0])
    page = client.get(f"/evaluations/meeting/{world.meeting.id}")
    assert "has not been opened yet" in page.text
    response = client.post(f"/evaluations/meeting/{world.meeting.id}", data=answer_form())
    assert response.status_code == 200
    assert "has not been opened yet" in response.text
    assert answers() == []


def test_member_who_sent_afbud_cannot_answer(world, client, login_as):
    f.evaluation(world.meeting)
    login_as(world.absent)
    response = client.post(f"/evaluations/meeting/{world.meeting.id}", data=answer_form())
    assert "not registered as present" in response.text
    assert answers() == []


def test_evaluation_link_of_another_network_is_404(world, client, login_as):
    f.evaluation(world.other_meeting)
    login_as(world.members[0])
    assert client.get(f"/evaluations/meeting/{world.other_meeting.id}").status_code == 404
    response = client.post(f"/evaluations/meeting/{world.other_meeting.id}", data=answer_form())
    assert response.status_code == 404
    assert "could not find" in response.text
    assert client.get("/evaluations/meeting/99999").status_code == 404
    assert answers() == []


def test_network_check_is_asked_in_its_round_and_required(world, client, login_as):
    f.evaluation(world.meeting, includes_check=True)
    login_as(world.members[0])
    url = f"/evaluations/meeting/{world.meeting.id}"
    assert "Do we agree on the goal of the network?" in client.get(url).text
    response = client.post(url, data=answer_form(check_benefit="4"))
    assert response.status_code == 200 and answers() == []
    client.post(url, data=answer_form(check_benefit="4", check_goal="2", check_track="3"))
    [row] = answers()
    assert (row.check_benefit, row.check_goal, row.check_track) == (4, 2, 3)


def test_check_values_are_ignored_when_the_round_has_no_check(world, client, login_as):
    f.evaluation(world.meeting)
    login_as(world.members[0])
    client.post(f"/evaluations/meeting/{world.meeting.id}", data=answer_form(check_goal="1"))
    [row] = answers()
    assert row.check_goal is None


def test_oversized_text_is_refused_at_the_field(world, client, login_as):
    f.evaluation(world.meeting)
    login_as(world.members[0])
    response = client.post(f"/evaluations/meeting/{world.meeting.id}",
                           data=answer_form(good="x" * 2001))
    assert response.status_code == 200 and 'class="errors"' in response.text
    assert answers() == []


def test_home_panel_asks_to_evaluate_until_answered(world, client, login_as):
    f.evaluation(world.meeting)
    login_as(world.members[0])
    assert "Evaluate the last meeting" in client.get("/home").text
    client.post(f"/evaluations/meeting/{world.meeting.id}", data=answer_form())
    assert "Evaluate the last meeting" not in client.get("/home").text


def test_home_panel_not_shown_to_absent_or_when_closed(world, client, login_as):
    f.evaluation(world.meeting)
    login_as(world.absent)
    assert "Evaluate the last meeting" not in client.get("/home").text


def test_home_panel_uses_a_fixed_number_of_queries(world, client, login_as, count_queries):
    from netapp.evaluations.panels import evaluate_last_meeting

    f.evaluation(world.meeting)
    person = world.members[0]
    person.id  # noqa: B018  (load the committed user before counting)
    with count_queries() as n:
        assert evaluate_last_meeting(person)["meetings"]
    assert n() == 1
