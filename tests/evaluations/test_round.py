"""The facilitator's round: open, QR, the live fragment, closing; and the shared tablet."""

import re

import sqlalchemy as sa

from netapp.evaluations.models import EvaluationAnswer, MeetingEvaluation
from netapp.extensions import db
from tests import factories as f
from tests.evaluations.conftest import answer_form

HX = {"HX-Request": "true"}


def rows(model):
    db.session.expire_all()
    return list(db.session.scalars(sa.select(model)))


def test_facilitator_opens_and_closes_the_round(world, client, login_as):
    login_as(world.facilitator)
    url = f"/evaluations/meeting/{world.meeting.id}"
    assert "Open the evaluation" in client.get(f"{url}/round").text
    client.post(f"{url}/open", data={"include_check": "y"})
    [evaluation] = rows(MeetingEvaluation)
    assert evaluation.is_open and evaluation.includes_check and evaluation.anonymous
    page = client.get(f"{url}/round")
    assert 'hx-trigger="every 2s"' in page.text and 'hx-target="this"' in page.text
    assert f"{url}/qr.svg" in page.text
    assert "http://netapp.test/evaluations/meeting/" in page.text  # the address under the QR
    client.post(f"{url}/close")
    assert not rows(MeetingEvaluation)[0].is_open


def test_the_fragment_updates_and_stops_polling_when_closed(world, client, login_as):
    evaluation = f.evaluation(world.meeting)
    login_as(world.facilitator)
    url = f"/evaluations/meeting/{world.meeting.id}/round"
    fragment = client.get(url, headers=HX)
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert re.search(r'answer-count">0<', fragment.text)
    assert "of 5 present have answered" in fragment.text
    f.evaluation_answer(evaluation, world.members[0], good="Tydelig struktur")
    fragment = client.get(url, headers=HX)
    assert re.search(r'answer-count">1<', fragment.text)
    assert "Tydelig struktur" in fragment.text
    assert "HX-Request" in fragment.headers["Vary"]
    client.post(f"/evaluations/meeting/{world.meeting.id}/close")
    final = client.get(url, headers=HX)
    assert final.status_code == 286
    assert "hx-trigger" not in final.text and "Tydelig struktur" in final.text


def test_charts_render_with_no_external_requests(world, client, login_as):
    evaluation = f.evaluation(world.meeting, includes_check=True)
    for person, energy in zip(world.members, (2, 4, 5), strict=True):
        f.evaluation_answer(evaluation, person, energy=energy, check_benefit=3, check_goal=4,
                            check_track=2)
    login_as(world.coordinator)
    pages = [client.get(f"/evaluations/meeting/{world.meeting.id}/round").text,
             client.get(f"/evaluations/network/{world.net.id}/health").text]
    for text in pages:
        svgs = re.findall(r"<svg.*?</svg>", text, re.S)
        assert svgs
        for svg in svgs:
            assert "http:" not in svg and "https:" not in svg and "href" not in svg
            assert "style=" not in svg and "<script" not in svg
        assert "style=" not in text and "<script>" not in text
    qr = client.get(f"/evaluations/meeting/{world.meeting.id}/qr.svg")
    assert qr.headers["Content-Type"] == "image/svg+xml"
    # the namespace is a name, not a request; nothing in the code is fetched
    assert b"href" not in qr.data and b"<image" not in qr.data and b"style=" not in qr.data


def test_qr_encodes_the_absolute_address_of_the_form(world, client, login_as, app):
    login_as(world.facilitator)
    svg = client.get(f"/evaluations/meeting/{world.meeting.id}/qr.svg").data
    assert svg.startswith(b"<svg") and b"<path" in svg
    import io

    import segno

    expected = io.BytesIO()
    segno.make(f"http://netapp.test/evaluations/meeting/{world.meeting.id}", error="m").save(
        expected, kind="svg", scale=8, border=2, xmldecl=False, dark="#1d2627", light="#ffffff")
    assert svg == expected.getvalue()


def test_kiosk_saves_for_the_chosen_person_and_resets(world, client, login_as):
    evaluation = f.evaluation(world.meeting)
    login_as(world.facilitator)
    url = f"/evaluations/meeting/{world.meeting.id}/kiosk"
    page = client.get(url)
    assert "Mads Member" in page.text and "Alma Afbud" not in page.text
    attendance_id = re.search(r'<option value="(\d+)">Mads Member', page.text).group(1)
    response = client.post(url, data=answer_form(person=attendance_id, good="Secret praise"),
                           follow_redirects=True)
    assert "Thank you, Mads Member" in response.text
    assert "Secret praise" not in response.text  # the next person sees an empty form
    assert "1 of 5 have answered" in response.text
    [row] = rows(EvaluationAnswer)
    assert (row.user_id, row.evaluation_id) == (world.members[0].id, evaluation.id)


def test_kiosk_refuses_someone_not_at_the_meeting(world, client, login_as):
    from netapp.meetings.models import Attendance

    f.evaluation(world.meeting)
    login_as(world.facilitator)
    absent_row = db.session.scalar(sa.select(Attendance.id).where(
        Attendance.user_id == world.absent.id))
    other_row = db.session.scalar(sa.select(Attendance.id).where(
        Attendance.user_id == world.other_member.id))
    url = f"/evaluations/meeting/{world.meeting.id}/kiosk"
    for bad in (absent_row, other_row, 99999, "x"):
        response = client.post(url, data=answer_form(person=str(bad), good="Kept text"))
        assert response.status_code == 200
        assert "not on the list of those at this meeting" in response.text
        assert "Kept text" in response.text
    assert rows(EvaluationAnswer) == []


def test_kiosk_after_close_saves_nothing(world, client, login_as):
    f.evaluation(world.meeting, closed=True)
    login_as(world.facilitator)
    url = f"/evaluations/meeting/{world.meeting.id}/kiosk"
    assert "has closed" in client.get(url).text
    response = client.post(url, data=answer_form(person="1"))
    assert response.status_code == 200 and "has closed" in response.text
    assert rows(EvaluationAnswer) == []


def test_kiosk_twice_for_one_person_keeps_one_row(world, client, login_as):
    f.evaluation(world.meeting)
    login_as(world.facilitator)
    url = f"/evaluations/meeting/{world.meeting.id}/kiosk"
    attendance_id = re.search(r'<option value="(\d+)">Maja', client.get(url).text).group(1)
    client.post(url, data=answer_form(person=attendance_id, energy="1"))
    # the second is refused: the shared tablet never replaces an answer already given
    client.post(url, data=answer_form(person=attendance_id, energy="3"))
    [row] = rows(EvaluationAnswer)
    assert row.energy == 1


def test_reopening_keeps_the_anonymity_fixed_at_opening(world, client, login_as):
    from netapp.evaluations.services import save_settings

    login_as(world.coordinator)
    url = f"/evaluations/meeting/{world.meeting.id}"
    client.post(f"{url}/open")
    client.post(f"{url}/close")
    save_settings(world.net.id, False, 3)
    db.session.commit()
    client.post(f"{url}/open")
    [evaluation] = rows(MeetingEvaluation)
    assert evaluation.is_open and evaluation.anonymous


def test_check_is_suggested_every_nth_meeting(world, client, login_as):
    from datetime import timedelta

    from netapp.evaluations.services import save_settings

    save_settings(world.net.id, True, 2)
    db.session.commit()
    login_as(world.facilitator)
    first = client.get(f"/evaluations/meeting/{world.meeting.id}/round").text
    assert '<input id="include_check"' in first  # the 1st meeting: not due, not ticked
    second = f.meeting(world.net, starts_at=world.meeting.starts_at + timedelta(days=30))
    page = client.get(f"/evaluations/meeting/{second.id}/round").text
    assert '<input checked id="include_check"' in page  # the 2nd: due, ticked


def test_expired_session_on_the_fragment_gets_hx_redirect(world, client):
    f.evaluation(world.meeting)
    response = client.get(f"/evaluations/meeting/{world.meeting.id}/round",
                          headers={"HX-Request": "true"})
    assert response.status_code == 401 and "/auth/login" in response.headers["HX-Redirect"]


def test_the_projected_round_shows_the_room_no_account_and_no_buttons(world, client, login_as):
    f.evaluation(world.meeting)
    login_as(world.facilitator)
    url = f"/evaluations/meeting/{world.meeting.id}/round"
    tablet = client.get(url).text
    assert f"/evaluations/meeting/{world.meeting.id}/close" in tablet
    assert "kiosk/start" in tablet and "live-projector" not in tablet
    wall = client.get(f"{url}?mode=projector").text
    # the projector carries the round, its QR and the follow-the-room poll; it hides the
    # facilitator's name and site navigation and offers no close or kiosk buttons
    assert re.search(r'<body class="room live-projector', wall)
    assert "qr.svg" in wall and 'id="round"' in wall and "mode=projector" in wall
    assert f"/evaluations/meeting/{world.meeting.id}/close" not in wall
    assert "kiosk/start" not in wall
