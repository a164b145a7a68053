"""A facilitator runs a sparring round for three groups from the overview alone: start all,
one group on, pause all, resume all, every group through its phases to the end; each group's
tablet and the projector follow by push."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import probe_push, push_only, push_seen, settled, shoot, wait_stream_heard
from tests.e2e.test_live_browser import _log_in, _room, _tablet
from tests.e2e.test_push_browser import PUSH_BAR_S

pytestmark = [pytest.mark.browser, pytest.mark.room]
PHASES = ["Udfordringen", "Spørgsmål", "De andres erfaringer", "Afrunding og tak"]
DONE = "Alle runder er færdige. Tak!"


def _card(overview, number: int):
    return overview.locator(".live-group-card").nth(number)


def _click(overview, button) -> None:
    settled(overview)  # the controls swapped in by the last press are wired up
    button.click()


def test_the_facilitator_runs_three_groups_from_the_overview_alone(live_app, page, browser,
                                                                   watch):
    base = live_app.config["LIVE_URL"]
    ids, users = _room(live_app, "sparring", rounds=1)
    assert len(ids["groups"]) == 3
    problems: list[str] = []
    tablets = []
    for group_id, members in ids["groups"]:
        member = next(m for m in members if m in users["people"])
        tablet = _tablet(browser, base, users["people"][member], problems)
        probe_push(tablet)
        tablet.goto(f"{base}/live/group/{group_id}")
        expect(tablet.locator("[data-phase]")).to_have_text(PHASES[0])
        tablets.append(tablet)
    _log_in(page, base, users["facilitator"])
    page.goto(f"{base}/live/exercise/{ids['exercise']}/facilitate")
    overview = page
    projector = page.context.new_page()
    projector.goto(f"{base}/live/exercise/{ids['exercise']}/projector")
    for tablet in tablets:
        wait_stream_heard(tablet)
        settled(tablet)
        push_only(tablet)

    def pushed(status: str, phases: list[str]) -> None:
        """Each group's tablet shows its phase and status, brought by the stream's word."""
        for tablet, phase, before in zip(tablets, phases, counts, strict=True):
            clock = tablet.locator("#live-clock")
            expect(clock).to_have_class(re.compile(f"is-{status}"), timeout=PUSH_BAR_S * 1000)
            expect(clock.locator("[data-phase]")).to_have_text(phase)
            swaps = push_seen(tablet)["swaps"][before:]
            assert swaps and swaps[0]["by"] == "sse:changed", swaps

    counts = [len(push_seen(t)["swaps"]) for t in tablets]
    _click(overview, overview.get_by_role("button", name="Start alle grupper"))
    expect(overview.locator(".live-group-card.is-running")).to_have_count(3)
    pushed("running", [PHASES[0]] * 3)

    # One group on: only its tablet moves.
    counts = [len(push_seen(t)["swaps"]) for t in tablets]
    _click(overview, _card(overview, 1).get_by_role("button", name="Næste"))
    expect(_card(overview, 1)).to_contain_text(PHASES[1])
    expect(tablets[1].locator("[data-phase]")).to_have_text(PHASES[1],
                                                            timeout=PUSH_BAR_S * 1000)
    expect(tablets[0].locator("[data-phase]")).to_have_text(PHASES[0])

    counts = [len(push_seen(t)["swaps"]) for t in tablets]
    _click(overview, overview.get_by_role("button", name="Sæt alle grupper på pause"))
    expect(overview.locator(".live-group-card.is-paused")).to_have_count(3)
    pushed("paused", [PHASES[0], PHASES[1], PHASES[0]])
    shoot(overview, "overview-paused-tablet")
    expect(projector.locator(".live-group-card.is-paused")).to_have_count(
        3, timeout=PUSH_BAR_S * 1000)

    counts = [len(push_seen(t)["swaps"]) for t in tablets]
    _click(overview, overview.get_by_role("button", name="Fortsæt alle grupper"))
    expect(overview.locator(".live-group-card.is-running")).to_have_count(3)
    pushed("running", [PHASES[0], PHASES[1], PHASES[0]])

    # Every group through its remaining phases to the end, from its card's Next.
    for number, at in enumerate([0, 1, 0]):
        card = _card(overview, number)
        for phase in [*PHASES[at + 1:], None]:
            _click(overview, card.get_by_role("button", name="Næste"))
            expect(card).to_contain_text(phase or "Færdig")
        expect(tablets[number].locator("[data-phase]")).to_have_text(
            DONE, timeout=PUSH_BAR_S * 1000)
    expect(overview.locator(".live-group-card.is-finished")).to_have_count(3)
    expect(overview.get_by_role("button", name="Næste")).to_have_count(0)
    expect(projector.locator(".live-group-card.is-finished")).to_have_count(
        3, timeout=PUSH_BAR_S * 1000)
    shoot(overview, "overview-finished-tablet")
    projector.set_viewport_size({"width": 1920, "height": 1080})
    box = projector.locator("#live-overview").bounding_box()
    assert box["width"] > 1800  # the room's screen, edge to edge
    digits = projector.locator(".live-group-card [data-countdown]").first.bounding_box()
    assert digits["height"] > 100  # each group's time, read from the back of the room
    shoot(projector, "overview-finished-projector-1920")
    assert problems == []
