"""Kiosk mode: the passed-around tablet shows the evaluation only, until the facilitator's PIN."""

from datetime import timedelta

import sqlalchemy as sa
from werkzeug.security import check_password_hash

from netapp.auth.models import User
from netapp.evaluations.models import MeetingEvaluation
from netapp.extensions import db
from netapp.meetings.models import Attendance
from tests import factories as f
from tests.live.conftest import make_room


def locked_room(client, login_as):
    room = make_room()
    f.evaluation(room.meeting)
    login_as(room.facilitator)
    response = client.post(f"/evaluations/meeting/{room.meeting.id}/kiosk/start",
                           data={"pin": "2468"})
    assert response.headers["Location"] == f"/evaluations/meeting/{room.meeting.id}/kiosk"
    return room


def test_the_kiosk_shows_no_header_account_navigation_or_results(app, client, login_as):
    room = locked_room(client, login_as)
    page = client.get(f"/evaluations/meeting/{room.meeting.id}/kiosk").text
    assert "Evaluation on the shared tablet" in page
    for gone in ('class="topbar"', "Log out", room.facilitator.name, "/round", "/auth/profile"):
        assert gone not in page
    assert "Facilitator: press and hold" in page


def test_every_other_page_leads_back_to_the_kiosk(app, client, login_as):
    room = locked_room(client, login_as)
    kiosk = f"/evaluations/meeting/{room.meeting.id}/kiosk"
    for path in ("/", "/home", f"/evaluations/meeting/{room.meeting.id}/round",
                 f"/meetings/{room.meeting.id}", "/auth/profile"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"] == kiosk, path
    assert client.post("/auth/logout").headers["Location"] == kiosk
    poll = client.get(f"/live/meeting/{room.meeting.id}/now", headers={"HX-Request": "true"})
    assert poll.headers["HX-Redirect"] == kiosk


def test_only_the_facilitators_pin_leaves_kiosk_mode(app, client, login_as):
    room = locked_room(client, login_as)
    leave = f"/evaluations/meeting/{room.meeting.id}/kiosk/leave"
    wrong = client.post(leave, data={"pin": "1111"}, follow_redirects=True)
    assert "That is not the facilitator" in wrong.text and "PIN." in wrong.text
    assert client.get("/home").status_code == 302  # still locked
    assert client.post(leave, data={"pin": "2468"}).headers["Location"].endswith("/round")
    assert client.get("/home").status_code == 200
    stored = db.session.scalar(sa.select(MeetingEvaluation.kiosk_pin_hash))
    # a salted hash, not the PIN (its hex digits may hold "2468" by chance)
    assert stored.startswith("scrypt:") and stored != "2468"
    assert check_password_hash(stored, "2468") and not check_password_hash(stored, "1111")


def _wrong_pins(room) -> tuple[int, object]:
    row = db.session.execute(sa.select(MeetingEvaluation.kiosk_wrong_pins,
                                       MeetingEvaluation.kiosk_blocked_until)).one()
    db.session.commit()
    return tuple(row)


def test_five_wrong_pins_stop_the_guessing_until_the_time_is_up(
        app, client, login_as, frozen_clock):
    room = locked_room(client, login_as)
    leave = f"/evaluations/meeting/{room.meeting.id}/kiosk/leave"
    for _ in range(5):
        client.post(leave, data={"pin": "0000"})
    assert _wrong_pins(room) == (5, frozen_clock.now + timedelta(minutes=5))
    refused = client.post(leave, data={"pin": "2468"}, follow_redirects=True)
    assert "Too many wrong PINs. The tablet takes the facilitator's PIN again at 10:05." \
        in refused.text.replace("&#39;", "'")  # 09:00 UTC is 10:00 in Copenhagen
    assert client.get("/home").status_code == 302
    frozen_clock.advance(minutes=5)
    assert client.post(leave, data={"pin": "2468"}).headers["Location"].endswith("/round")
    assert client.get("/home").status_code == 200
    assert _wrong_pins(room) == (0, None)


def test_dropping_or_replaying_the_cookie_does_not_reset_the_count(
        app, client, login_as, frozen_clock):
    room = locked_room(client, login_as)
    leave = f"/evaluations/meeting/{room.meeting.id}/kiosk/leave"
    fresh = client.get_cookie("session", domain="netapp.test").value  # before any wrong PIN
    for _ in range(3):
        client.post(leave, data={"pin": "0000"})
    client.set_cookie("session", fresh, domain="netapp.test")  # an older cookie put back
    client.post(leave, data={"pin": "0000"})
    assert _wrong_pins(room)[0] == 4
    client.delete_cookie("session", domain="netapp.test")  # dropped, then logged in again
    login_as(room.facilitator)
    client.post(leave, data={"pin": "0000"})
    refused = client.post(leave, data={"pin": "2468"}, follow_redirects=True)
    assert "Too many wrong PINs" in refused.text
    assert _wrong_pins(room)[0] == 5


def test_dropping_the_session_cookie_of_a_remembered_login_does_not_unlock_the_kiosk(
        app, client, login_as):
    room = make_room()
    f.evaluation(room.meeting)
    login_as(room.facilitator, remember=True)
    client.post(f"/evaluations/meeting/{room.meeting.id}/kiosk/start", data={"pin": "2468"})
    assert client.get_cookie("remember_token", domain="netapp.test") is not None
    client.delete_cookie("session", domain="netapp.test")
    # "remember me" logs the tablet in again: the same login, so the same lock
    kiosk = f"/evaluations/meeting/{room.meeting.id}/kiosk"
    assert client.get("/home").headers["Location"] == kiosk
    assert "Evaluation on the shared tablet" in client.get(kiosk).text


def test_the_lockout_speaks_the_readers_language(app, client, login_as, frozen_clock):
    room = locked_room(client, login_as)
    leave = f"/evaluations/meeting/{room.meeting.id}/kiosk/leave"
    for _ in range(5):
        client.post(leave, data={"pin": "0000"})
    for language, words in (
            ("da", "For mange forkerte PIN-koder. Tabletten tager imod facilitatorens PIN igen "
                   "kl. 10:05."),
            ("nb", "For mange feil PIN-koder. Nettbrettet tar imot fasilitatorens PIN igjen "
                   "kl. 10:05.")):
        db.session.execute(sa.update(User).where(User.id == room.facilitator.id)
                           .values(language=language))
        db.session.commit()
        page = client.post(leave, data={"pin": "2468"}, follow_redirects=True)
        assert words in page.text, language


def test_a_new_kiosk_pin_starts_the_count_again(app, client, login_as, frozen_clock):
    room = locked_room(client, login_as)
    leave = f"/evaluations/meeting/{room.meeting.id}/kiosk/leave"
    for _ in range(5):
        client.post(leave, data={"pin": "0000"})
    db.session.execute(sa.update(MeetingEvaluation).values(
        kiosk_blocked_until=frozen_clock.now - timedelta(seconds=1)))
    db.session.commit()
    assert client.post(leave, data={"pin": "2468"}).status_code == 302
    client.post(f"/evaluations/meeting/{room.meeting.id}/kiosk/start", data={"pin": "1357"})
    assert _wrong_pins(room) == (0, None)


def test_a_kiosk_left_open_after_the_round_closed_says_so_and_stays_locked(
        app, client, login_as):
    room = locked_room(client, login_as)
    db.session.execute(sa.update(MeetingEvaluation).values(closed_at=room.meeting.starts_at))
    db.session.commit()
    page = client.get(f"/evaluations/meeting/{room.meeting.id}/kiosk").text
    assert "The evaluation of this meeting has closed." in page
    assert "give the tablet back to the facilitator" in page
    answer = client.post(f"/evaluations/meeting/{room.meeting.id}/kiosk",
                         data={"person": "1", "energy": "4", "rating": "4"})
    assert answer.status_code == 200 and "has closed, so your answer was not saved" in answer.text


def test_a_pin_is_four_to_eight_digits_and_needs_an_open_round(app, client, login_as):
    room = make_room()
    login_as(room.facilitator)
    start = f"/evaluations/meeting/{room.meeting.id}/kiosk/start"
    closed = client.post(start, data={"pin": "2468"}, follow_redirects=True)
    assert "Open the evaluation first" in closed.text
    f.evaluation(room.meeting)
    for bad in ("12", "abcd", "123456789"):
        page = client.post(start, data={"pin": bad}, follow_redirects=True)
        assert "Give a PIN of 4 to 8 digits." in page.text
    page = client.post(start, data={"pin": "12\x0034"}, follow_redirects=True)
    assert "Remove the invisible control characters" in page.text
    assert client.get("/home").status_code == 200  # never locked


def test_present_matches_the_check_in(app, client, login_as):
    room = make_room(checked_in=False)  # everyone said yes; two are checked in
    db.session.execute(sa.update(Attendance).where(
        Attendance.user_id.in_([p.id for p in room.members[:2]])).values(checked_in=True))
    db.session.commit()
    f.evaluation(room.meeting)
    login_as(room.facilitator)
    page = client.get(f"/evaluations/meeting/{room.meeting.id}/kiosk").text
    assert "0 of 2 have answered" in page


def test_a_kiosk_whose_login_ended_goes_to_the_login_and_not_round_in_circles(
        app, client, login_as):
    room = locked_room(client, login_as)
    db.session.get(User, room.facilitator.id).end_sessions()  # as "log out everywhere" does
    db.session.commit()
    page = client.get(f"/evaluations/meeting/{room.meeting.id}/kiosk", follow_redirects=True)
    assert page.status_code == 200 and "/auth/login" in page.request.path
    assert client.get("/auth/login").status_code == 200
