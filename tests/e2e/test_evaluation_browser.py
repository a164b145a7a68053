"""The evaluation round in the room: three phones answer, the tablet's results update live."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from netapp.auth.models import utcnow
from netapp.extensions import db
from netapp.networks.models import Role
from tests import factories as f
from tests.e2e.conftest import shoot

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def _login(page, base, email):
    page.goto(f"{base}/auth/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(f.PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{base}/home")


def _world(app):
    with app.app_context():
        net = f.network(name="Ledernetværk Testby")
        coordinator = f.member(net, Role.COORDINATOR, name="Cora Tovholder", language="da",
                               email="cora@example.com")
        members = [f.member(net, name=n, language="da", email=f"{n.split()[0].lower()}@example.com")
                   for n in ("Mads Mortensen", "Maja Holm", "Mikkel Friis")]
        away = [f.member(net, name=n, language="da") for n in ("Alma Bak", "Ole Dahl")]
        everyone = [coordinator, *members, *away]
        past = utcnow() - timedelta(days=90)
        for number, (afbud, energy) in enumerate([(0, 5), (1, 4), (2, 3)]):
            old = f.meeting(net, starts_at=past + timedelta(days=30 * number), topic="Tidligere")
            evaluation = f.evaluation(old, closed=True)
            for index, person in enumerate(everyone):
                sent_afbud = index >= len(everyone) - afbud
                f.attendance(old, person, "no" if sent_afbud else "yes", checked_in=not sent_afbud)
                if not sent_afbud:
                    f.evaluation_answer(evaluation, person, energy=energy, rating=energy)
        meeting = f.meeting(net, starts_at=utcnow() - timedelta(hours=3), topic="Delegering")
        for person in (coordinator, *members):
            f.attendance(meeting, person, "yes", checked_in=True)
        for person in away:  # afbud two meetings running: the health page warns
            f.attendance(meeting, person, "no")
        ids = net.id, meeting.id, [m.email for m in members]
        db.session.remove()
    return ids


def test_three_phones_answer_while_the_tablet_shows_the_round(live_app, page, browser, watch):
    base = live_app.config["LIVE_URL"]
    network_id, meeting_id, emails = _world(live_app)
    _login(page, base, "cora@example.com")
    page.goto(f"{base}/evaluations/meeting/{meeting_id}/round")
    page.get_by_role("button", name="Åbn evalueringen").click()
    page.wait_for_selector("img[alt='QR-kode til evalueringsskemaet']")
    expect(page.locator("[data-testid=answer-count]")).to_have_text("0")
    assert page.evaluate("document.querySelector('img.qr, .qr-card img').naturalWidth") > 0
    shoot(page, "evaluation-round-open-tablet")
    page.evaluate("window.__noReload = true")

    phones = []
    for number, email in enumerate(emails, start=1):
        context = browser.new_context(viewport=PHONE, locale="da-DK")
        phone = context.new_page()
        errors = []
        phone.on("console", lambda m, errors=errors: m.type == "error" and errors.append(m.text))
        _login(phone, base, email)
        assert "Evaluér det seneste møde" in phone.content()
        phone.get_by_role("link", name="Evaluér").first.click()
        phone.locator("textarea[name=good]").fill(f"Godt punkt nummer {number}")
        phone.locator("textarea[name=missed]").fill(f"Savnet punkt {number}")
        phone.locator(f"input[name=energy][value='{number + 2}']").check()
        phone.locator("input[name=rating][value='4']").check()
        if number == 1:
            shoot(phone, "evaluation-form-phone")
            assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.get_by_role("button", name="Send min evaluering").click()
        phone.wait_for_selector("text=Dit svar er gemt")
        if number == 1:
            shoot(phone, "evaluation-saved-phone")
        assert errors == []
        # the tablet picks the answer up by polling, with no reload
        expect(page.locator("[data-testid=answer-count]")).to_have_text(str(number),
                                                                        timeout=8000)
        phones.append(context)

    assert page.evaluate("window.__noReload") is True
    expect(page.get_by_text("Godt punkt nummer 3")).to_be_visible()
    shoot(page, "evaluation-round-live-tablet")
    page.get_by_role("button", name="Luk evalueringen").click()
    page.wait_for_selector("text=Evalueringen er lukket.")
    assert page.locator("#round[hx-trigger]").count() == 0
    for context in phones:
        context.close()

    page.goto(f"{base}/evaluations/network/{network_id}/health")
    expect(page.get_by_text("Mange afbud er et tegn på, at I er på vildspor.")).to_be_visible()
    shoot(page, "evaluation-health-tablet")
    phone_context = browser.new_context(viewport=PHONE, locale="da-DK")
    phone = phone_context.new_page()
    _login(phone, base, "cora@example.com")
    phone.goto(f"{base}/evaluations/network/{network_id}/health")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(phone, "evaluation-health-phone")
    phone_context.close()


def test_the_shared_tablet_marks_who_answered_as_done(live_app, page, browser, watch):
    base = live_app.config["LIVE_URL"]
    _network_id, meeting_id, _emails = _world(live_app)
    with live_app.app_context():
        from netapp.meetings.models import Meeting

        f.evaluation(db.session.get(Meeting, meeting_id))
        db.session.remove()
    _login(page, base, "cora@example.com")
    kiosk = f"{base}/evaluations/meeting/{meeting_id}/kiosk"
    page.goto(kiosk)
    page.locator("select[name=person]").select_option(label="Maja Holm")
    page.locator("textarea[name=good]").fill("Majas eget svar")
    page.locator("input[name=energy][value='4']").check()
    page.locator("input[name=rating][value='5']").check()
    page.get_by_role("button", name="Send og giv videre").click()
    page.wait_for_selector("text=Tak, Maja Holm!")
    assert "Majas eget svar" not in page.content()
    assert page.locator("select[name=person] option:disabled").all_inner_texts() == [
        "Maja Holm (har svaret)"]
    expect(page.locator(".kiosk-people li.done")).to_have_text("Maja Holm færdig")
    shoot(page, "evaluation-kiosk-done-tablet")
    phone_context = browser.new_context(viewport=PHONE, locale="da-DK")
    phone = phone_context.new_page()
    _login(phone, base, "cora@example.com")
    phone.goto(kiosk)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone.locator(".kiosk-people li.done").count() == 1
    shoot(phone, "evaluation-kiosk-done-phone")
    phone_context.close()
