"""The room's clock in real browsers: two tablets agree, follow pause and phase changes
within a poll, survive a reload, and the pages are clean under the CSP."""

import re
import time

import pytest
from playwright.sync_api import expect

from netapp.extensions import db
from netapp.networks.models import Role
from tests import factories as f
from tests.e2e.conftest import probe_push, settled, shoot, wait_stream_heard, watch_page

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
# ms: a change reaches a tablet by push at once, by a poll within 2 s; the rest is margin for a
# loaded CI machine (expect returns as soon as it holds, so the margin costs nothing).
FOLLOW = 5000


def _room(app, kind: str, **settings):
    with app.app_context():
        net = f.network(name="Ledernetværk Test")
        facilitator = f.member(net, Role.FACILITATOR, name="Frida Facilitator", language="da")
        names = ["Anna Holm", "Bo Dahl", "Carl Friis", "Dorte Bak", "Eva Skov", "Finn Lund",
                 "Gitte Nygaard", "Hans Mølgaard", "Ida Brandt", "Jens Kjær", "Karen Vang",
                 "Lars Winther"]  # twelve take part; the facilitator runs the room
        people = [f.member(net, name=n, language="da") for n in names]
        meeting = f.meeting(net, topic="Konflikter og lederens rolle")
        for person in [facilitator, *people]:
            f.attendance(meeting, person, checked_in=True)
        exercise = f.live_exercise(meeting, kind, **settings)
        ids = {"exercise": exercise.id, "meeting": meeting.id,
               "groups": [(g.id, g.member_ids) for g in exercise.groups]}
        users = {"facilitator": facilitator.email, "people": {p.id: p.email for p in people}}
        db.session.remove()
    return ids, users


def _tablet(browser, base, email, problems, viewport=None):
    context = browser.new_context(viewport=viewport or {"width": 1024, "height": 768},
                                  locale="da-DK")
    page = context.new_page()
    watch_page(page, problems)
    _log_in(page, base, email)
    return page


def _log_in(page, base, email):
    page.goto(f"{base}/auth/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(f.PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{base}/home")


def _seconds(page, selector="#live-clock [data-countdown]") -> int:
    minutes, seconds = page.locator(selector).first.inner_text().split(":")
    return int(minutes) * 60 + int(seconds)


def _press(page, name):
    settled(page)  # a button swapped in a moment ago is wired up by htmx once settled
    page.locator("#live-clock .live-controls").get_by_role("button", name=name, exact=True).click()


def _next_clock_answer(page, polls: list[int], seen: int, ask: bool = False) -> None:
    """Wait until the clock has had answer number `seen` + 1 (asking for it if `ask`)."""
    if ask:
        settled(page)
        page.evaluate("() => htmx.trigger('#live-clock', 'live-refresh')")
    deadline = time.monotonic() + 10
    while len(polls) <= seen and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert len(polls) > seen, polls


def test_presentation_round_on_two_tablets_and_a_projector(live_app, page, browser, watch):
    base = live_app.config["LIVE_URL"]
    ids, users = _room(live_app, "presentation")
    _log_in(page, base, users["facilitator"])
    page.goto(f"{base}/live/exercise/{ids['exercise']}/facilitate")
    problems: list[str] = []
    tablet = _tablet(browser, base, next(iter(users["people"].values())), problems)
    polls: list[int] = []
    tablet.on("response", lambda r: polls.append(r.status) if "/clock" in r.url else None)
    probe_push(tablet)
    tablet.goto(f"{base}/live/exercise/{ids['exercise']}")
    expect(tablet.locator("#live-clock")).to_contain_text("Venter på start")
    # The stream's first "changed" makes the clock ask while nothing has changed: the answer
    # is a 204, no fragment, only the time. A fragment also comes whole once per 30 s window
    # (polling.REFRESH_SECONDS), so if the first ask crossed a window's end, the next cannot.
    wait_stream_heard(tablet)
    _next_clock_answer(tablet, polls, 0)
    if polls[0] == 200:
        _next_clock_answer(tablet, polls, 1, ask=True)
    assert polls[-1] == 204, polls

    _press(page, "Start")
    expect(tablet.locator("#live-clock")).to_have_class(re.compile("is-running"), timeout=FOLLOW)
    expect(page.locator("#live-order li.is-current")).to_have_count(1)  # the order follows
    time.sleep(1.3)
    for _ in range(3):  # the two tablets show the same time, to the second
        assert abs(_seconds(page) - _seconds(tablet)) <= 1
        time.sleep(0.7)
    shoot(page, "live-facilitator-tablet")
    shoot(tablet, "live-participant-tablet")

    _press(page, "Pause")
    expect(tablet.locator("#live-clock")).to_have_class(re.compile("is-paused"), timeout=FOLLOW)
    frozen = _seconds(tablet)
    time.sleep(2.2)
    assert _seconds(tablet) == frozen and abs(_seconds(page) - frozen) <= 1

    _press(page, "Fortsæt")
    expect(page.locator("#live-clock")).to_have_class(re.compile("is-running"))
    _press(page, "Næste")
    expect(tablet.locator("#live-clock")).to_contain_text("Taler 2 af 12", timeout=FOLLOW)
    expect(tablet.locator("#live-clock")).to_have_class(re.compile("is-running"))

    before = _seconds(tablet)
    tablet.reload()
    expect(tablet.locator("#live-clock")).to_contain_text("Taler 2 af 12")
    assert abs(_seconds(tablet) - before) <= 1

    projector = tablet.context.new_page()
    watch_page(projector, problems)
    projector.goto(f"{base}/live/exercise/{ids['exercise']}/projector")
    expect(projector.locator(".live-name")).to_be_visible()
    assert abs(_seconds(projector) - _seconds(page)) <= 1
    shoot(projector, "live-projector-tablet")

    phone = _tablet(browser, base, list(users["people"].values())[1], problems, PHONE)
    phone.goto(f"{base}/live/exercise/{ids['exercise']}")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(phone, "live-participant-phone")
    page.set_viewport_size(PHONE)
    shoot(page, "live-facilitator-phone")
    assert problems == []


def test_sparring_groups_follow_each_other(live_app, page, browser, watch):
    base = live_app.config["LIVE_URL"]
    ids, users = _room(live_app, "sparring")  # 12 people: three groups of four
    assert len(ids["groups"]) == 3
    _log_in(page, base, users["facilitator"])
    page.goto(f"{base}/live/exercise/{ids['exercise']}/facilitate")
    shoot(page, "live-sparring-setup-tablet")
    page.get_by_role("button", name="Start alle grupper").click()
    expect(page.locator(".live-group-card.is-running")).to_have_count(3, timeout=FOLLOW)
    expect(page.get_by_role("heading", name="Tilpas grupperne")).to_have_count(0)

    group_id, members = ids["groups"][0]
    # groups are drawn at random, so the facilitator may be anywhere in a group
    member, other = [i for i in members if i in users["people"]][:2]
    problems: list[str] = []
    tablet = _tablet(browser, base, users["people"][member], problems)
    tablet.goto(f"{base}/live/exercise/{ids['exercise']}")
    tablet.wait_for_url(f"{base}/live/group/{group_id}")
    expect(tablet.locator("[data-phase]")).to_have_text("Udfordringen")
    shoot(tablet, "live-group-tablet")

    group_page = page.context.new_page()
    group_page.goto(f"{base}/live/group/{group_id}")
    _press(group_page, "Næste")  # the facilitator moves group 1 on to the questions
    expect(tablet.locator("[data-phase]")).to_have_text("Spørgsmål", timeout=FOLLOW)
    expect(tablet.locator("#live-clock")).to_contain_text("Hvad holder dig tilbage?")
    expect(page.locator(".live-group-card").first).to_contain_text("Spørgsmål", timeout=FOLLOW)
    assert abs(_seconds(tablet) - _seconds(group_page)) <= 1
    shoot(tablet, "live-group-questions-tablet")
    shoot(page, "live-sparring-overview-tablet")

    tablet.reload()
    expect(tablet.locator("[data-phase]")).to_have_text("Spørgsmål")
    phone = _tablet(browser, base, users["people"][other], problems, PHONE)
    phone.goto(f"{base}/live/group/{group_id}")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(phone, "live-group-phone")
    page.set_viewport_size(PHONE)
    shoot(page, "live-sparring-overview-phone")
    projector = page.context.new_page()
    projector.goto(f"{base}/live/exercise/{ids['exercise']}/projector")
    shoot(projector, "live-sparring-projector")
    assert problems == []


def test_interview_points_reach_the_projector(live_app, page, browser, watch):
    base = live_app.config["LIVE_URL"]
    ids, users = _room(live_app, "interviews")
    _log_in(page, base, users["facilitator"])
    page.goto(f"{base}/live/exercise/{ids['exercise']}/projector")
    problems: list[str] = []
    tablet = _tablet(browser, base, next(iter(users["people"].values())), problems)
    tablet.goto(f"{base}/live/exercise/{ids['exercise']}")
    tablet.get_by_label("Jeres pointe til flipoveren").fill("Tryghed før alt")
    tablet.get_by_role("button", name="Sæt på flipoveren").click()
    expect(tablet.locator("#live-flipover")).to_contain_text("Tryghed før alt")
    expect(tablet.get_by_label("Jeres pointe til flipoveren")).to_have_value("")
    expect(page.locator("#live-flipover")).to_contain_text("Tryghed før alt", timeout=FOLLOW)
    shoot(tablet, "live-interviews-tablet")
    shoot(page, "live-interviews-projector")
    assert problems == []


def test_the_end_of_a_step_is_clear_on_every_tablet(live_app, page, browser, watch):
    base = live_app.config["LIVE_URL"]
    ids, users = _room(live_app, "presentation", seconds=3, sound=True)
    _log_in(page, base, users["facilitator"])
    page.goto(f"{base}/live/meeting/{ids['meeting']}")
    shoot(page, "live-meeting-tablet")
    page.goto(f"{base}/live/exercise/{ids['exercise']}/facilitate")
    _press(page, "Start")
    expect(page.locator("#live-clock")).to_have_class(re.compile("is-over"), timeout=5000)
    expect(page.locator("#live-clock .live-status")).to_have_text("Tiden er gået", timeout=FOLLOW)
    expect(page.locator("#live-clock [data-countdown]")).to_have_text("0:00")
    shoot(page, "live-time-is-up-tablet")
