"""The room in browsers: the facilitator runs the demo's coming meeting from its agenda on his
tablet, from check-in to the evaluation round; a member's phone and the projector follow what
runs without a tap. Interviews in a three: three tablets and the projector agree. The kiosk
lets nobody out but the facilitator."""

import re

import pytest
from playwright.sync_api import expect

from netapp import demo
from netapp.extensions import db
from tests.e2e.conftest import shoot, watch_page

pytestmark = pytest.mark.browser
FOLLOW = 10_000  # ms: the follower asks every 3 s, then the page loads
PHONE = {"width": 390, "height": 844}
WALL = {"width": 1920, "height": 1080}
HERE = ("Anders Holm", "Camilla Dahl", "Rasmus Friis", "Ingrid Solberg", "Henrik Vestergaard",
        "Louise Bak")


def seeded(live_app) -> int:
    """The demo, and the id of its coming meeting."""
    import sqlalchemy as sa

    from netapp.meetings.models import Meeting

    with live_app.app_context():
        demo.seed()
        db.session.commit()
        meeting_id = db.session.scalar(
            sa.select(Meeting.id).where(Meeting.topic == "Konflikter og lederens rolle"))
        db.session.remove()
    return meeting_id


def log_in(browser, base, email, viewport=None):
    context = browser.new_context(viewport=viewport or {"width": 1024, "height": 768},
                                  locale="da-DK")
    page = context.new_page()
    problems = watch_page(page)
    page.goto(f"{base}/auth/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(demo.PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{base}/home")
    return page, problems


def check_in(page, base, meeting_id, names):
    page.goto(f"{base}/meetings/{meeting_id}/checkin")
    for name in names:
        page.locator(".checkin-row button", has_text=name).click()
        expect(page.locator(".checkin-row button", has_text=name)).to_have_attribute(
            "aria-pressed", "true")


def long_press(page, handle, form):
    """Hold a finger (the mouse) on `handle` until the kiosk's 1.5 s hold shows `form`.

    Held until it shows, not for a fixed time: on a loaded machine the page's 1.5 s timer can
    run late, and a release that arrives first cancels it (input goes before timers)."""
    handle.hover()
    page.mouse.move(1, 1)
    handle.hover()
    page.mouse.down()
    expect(form).to_be_visible(timeout=15_000)
    page.mouse.up()


def next_item(tablet):
    tablet.locator(".run-controls").get_by_role("button", name="Næste punkt").click()


def test_the_facilitator_runs_the_coming_meeting_from_the_agenda_and_the_room_follows(
        live_app, browser):
    base = live_app.config["LIVE_URL"]
    meeting_id = seeded(live_app)
    tablet, tablet_problems = log_in(browser, base, "facilitator@example.com")
    check_in(tablet, base, meeting_id, HERE)

    tablet.goto(f"{base}/live/meeting/{meeting_id}")
    tablet.get_by_role("link", name="Led mødet efter dagsordenen").click()
    tablet.get_by_role("button", name="Start programmet").click()
    clock = tablet.locator("#programme-clock")
    expect(clock).to_contain_text("Kort opfølgning på cases")
    expect(clock).to_contain_text("Efter planen")

    phone, phone_problems = log_in(browser, base, "anders@example.com", PHONE)
    phone.goto(f"{base}/live/meeting/{meeting_id}")  # taken to what runs now
    expect(phone.locator("#programme-clock")).to_contain_text("Kort opfølgning på cases")
    wall, wall_problems = log_in(browser, base, "facilitator@example.com", WALL)
    wall.goto(f"{base}/live/meeting/{meeting_id}/programme?mode=projector")
    expect(wall.locator("#programme-clock")).to_contain_text("Kort opfølgning på cases")
    shoot(tablet, "room-run-tablet")
    shoot(phone, "room-run-phone")
    shoot(wall, "room-run-projector")

    next_item(tablet)
    for screen in (tablet, phone, wall):  # the polled clock brings the new item
        expect(screen.locator("#programme-clock")).to_contain_text(
            "Konflikter og lederens rolle", timeout=FOLLOW)
    next_item(tablet)  # the break counts down too
    expect(wall.locator("#programme-clock")).to_contain_text("Pause", timeout=FOLLOW)
    next_item(tablet)
    expect(clock).to_contain_text("Sparring på aktuelle udfordringer")
    tablet.get_by_role("button", name="Start øvelsen herfra").click()
    tablet.wait_for_url(re.compile(r"/live/exercise/\d+/facilitate$"))
    sparring_url = tablet.url
    # the phone goes to its own sparring group, the projector to the groups, untouched
    phone.wait_for_url(re.compile(r"/live/group/\d+$"), timeout=FOLLOW)
    expect(phone.locator(".live-roles")).to_contain_text("Anders Holm")
    wall.wait_for_url(re.compile(r"/live/exercise/\d+/projector$"), timeout=FOLLOW)
    tablet.get_by_role("button", name="Start alle grupper").click()
    expect(tablet.locator(".live-group-card.is-running").first).to_be_visible(timeout=5000)
    shoot(phone, "room-sparring-phone")

    tablet.get_by_role("link", name="Tilbage til programmet").click()
    next_item(tablet)  # refused while the groups run: the state and why
    expect(tablet.locator(".flash-error")).to_contain_text("kører stadig")
    expect(clock).to_contain_text("Sparring på aktuelle udfordringer")
    tablet.on("dialog", lambda dialog: dialog.accept())
    _end_every_group(tablet, base, sparring_url)

    tablet.goto(f"{base}/live/meeting/{meeting_id}/run")
    next_item(tablet)
    expect(clock).to_contain_text("Kort evaluering")
    tablet.get_by_role("button", name="Åbn evalueringsrunden").click()
    tablet.wait_for_url(re.compile(r"/evaluations/meeting/\d+/round$"))
    phone.wait_for_url(re.compile(rf"/evaluations/meeting/{meeting_id}$"), timeout=FOLLOW)
    expect(phone.get_by_role("button", name=re.compile("Send"))).to_be_visible()
    wall.wait_for_url(re.compile(r"/round\?mode=projector$"), timeout=FOLLOW)
    shoot(phone, "room-evaluation-phone")
    shoot(wall, "room-evaluation-projector")
    assert tablet_problems == phone_problems == wall_problems == []


def _end_every_group(tablet, base, sparring_url):
    """The facilitator ends each group's round from its tablet (the groups finished)."""
    tablet.goto(sparring_url)
    links = tablet.locator(".live-group-card a.button")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert hrefs
    for href in hrefs:
        tablet.goto(f"{base}{href}")
        tablet.locator("#live-clock .live-controls").get_by_role(
            "button", name="Afslut").click()
        expect(tablet.locator("#live-clock")).to_have_class(re.compile("is-finished"),
                                                            timeout=5000)


def test_three_tablets_and_the_projector_agree_on_who_interviews_whom(live_app, browser):
    base = live_app.config["LIVE_URL"]
    meeting_id = seeded(live_app)
    three = {"anders@example.com": "Anders Holm", "camilla@example.com": "Camilla Dahl",
             "rasmus@example.com": "Rasmus Friis"}
    tablet, _problems = log_in(browser, base, "facilitator@example.com")
    check_in(tablet, base, meeting_id, three.values())  # the demo's interviews follow
    tablet.goto(f"{base}/live/meeting/{meeting_id}")
    tablet.locator(".live-list li", has_text="Interview").get_by_role("link").first.click()
    tablet.wait_for_url(re.compile(r"/live/exercise/\d+/facilitate$"))
    exercise_url = tablet.url.removesuffix("/facilitate")
    tablet.locator("#live-clock .live-controls").get_by_role(
        "button", name="Start", exact=True).click()
    expect(tablet.locator("#live-clock")).to_have_class(re.compile("is-running"))
    wall, _ = log_in(browser, base, "facilitator@example.com", WALL)
    wall.goto(f"{exercise_url}/projector")
    tablets = {}
    for email in three:
        tablets[email], _ = log_in(browser, base, email, PHONE)
        tablets[email].goto(exercise_url)
    for step in range(3):
        pair = wall.locator(".live-pairs li").first
        expect(pair.locator("[data-interviewer]")).not_to_be_empty()
        interviewer = pair.locator("[data-interviewer]").inner_text()
        interviewee = pair.locator("[data-interviewee]").inner_text()
        assert interviewer != interviewee
        for email, name in three.items():
            who = tablets[email].locator("#live-clock .live-who")
            if name == interviewer:
                expect(who.locator("[data-interviewee]")).to_have_text(interviewee,
                                                                       timeout=FOLLOW)
            elif name == interviewee:
                expect(who.locator("[data-interviewer]")).to_have_text(interviewer,
                                                                       timeout=FOLLOW)
            else:
                expect(who.locator("[data-listening]")).to_contain_text(interviewer,
                                                                        timeout=FOLLOW)
                expect(who.locator("[data-listening]")).to_contain_text(interviewee)
        shoot(tablets["anders@example.com"], f"room-triad-step{step}")
        if step < 2:
            tablet.locator("#live-clock .live-controls").get_by_role(
                "button", name="Næste", exact=True).click()
            expect(tablet.locator("#live-clock")).to_contain_text(
                f"Interview {step + 2} af 3", timeout=5000)
            expect(wall.locator("#live-clock")).to_contain_text(
                f"Interview {step + 2} af 3", timeout=FOLLOW)


def test_the_kiosk_lets_nobody_out_but_the_facilitator(live_app, browser):
    base = live_app.config["LIVE_URL"]
    meeting_id = seeded(live_app)
    tablet, problems = log_in(browser, base, "facilitator@example.com")
    check_in(tablet, base, meeting_id, HERE[:3])
    tablet.goto(f"{base}/evaluations/meeting/{meeting_id}/round")
    tablet.get_by_role("button", name="Åbn evalueringen").click()
    tablet.locator("summary", has_text="Fælles tablet").click()
    tablet.get_by_label("Facilitatorens PIN-kode (4-8 cifre)").fill("2468")
    tablet.get_by_role("button", name="Lås og send den rundt").click()
    tablet.wait_for_url(f"{base}/evaluations/meeting/{meeting_id}/kiosk")
    expect(tablet.locator(".topbar")).to_have_count(0)
    expect(tablet.locator("body")).not_to_contain_text("Log ud")
    expect(tablet.locator(".kiosk-people")).to_contain_text("Anders Holm")
    expect(tablet.locator(".pill").first).to_contain_text("0 af 3")  # as checked in
    shoot(tablet, "room-kiosk")
    for path in ("/home", f"/evaluations/meeting/{meeting_id}/round", "/auth/profile"):
        tablet.goto(f"{base}{path}")
        assert tablet.url == f"{base}/evaluations/meeting/{meeting_id}/kiosk"
    exit_form = tablet.locator("#kiosk-exit-form")
    handle = tablet.get_by_role("button", name="Facilitator: tryk og hold")
    handle.click()  # a tap does not open the way out
    expect(exit_form).to_be_hidden()
    long_press(tablet, handle, exit_form)
    exit_form.get_by_label("Facilitatorens PIN-kode").fill("1357")
    exit_form.get_by_role("button", name="Forlad kiosktilstand").click()
    expect(tablet.locator(".flash-error")).to_contain_text("ikke facilitatorens PIN-kode")
    tablet.goto(f"{base}/home")
    assert tablet.url.endswith("/kiosk")  # still locked
    long_press(tablet, tablet.get_by_role("button", name="Facilitator: tryk og hold"), exit_form)
    exit_form.get_by_label("Facilitatorens PIN-kode").fill("2468")
    exit_form.get_by_role("button", name="Forlad kiosktilstand").click()
    tablet.wait_for_url(re.compile(r"/round$"))
    tablet.goto(f"{base}/home")
    assert tablet.url == f"{base}/home"
    assert problems == []
