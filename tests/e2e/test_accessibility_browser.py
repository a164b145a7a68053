"""Accessibility in a real browser, checked by software netapp did not write.

axe-core (shipped by axe-playwright-python) audits the pages of the main flows as the
organisation admin, the coordinator, the facilitator, a member and a guest facilitator, in
Danish, Norwegian and English, with the room's exercises running; nothing serious or
critical may remain. Then, with the strict CSP in force: focus stays on the control a
keyboard user pressed while htmx swaps the fragment around it, the room hears who has the
word through the polite live region, and the pages reflow at 320 px with controls a finger
can hit (44 px).
"""

import re

import pytest
import sqlalchemy as sa
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from netapp import demo
from netapp.auth.models import User
from netapp.extensions import db
from netapp.live.models import Exercise, ExerciseKind, SparringGroup
from netapp.meetings.models import Meeting
from netapp.networks.models import Network, Organisation
from tests.e2e.conftest import shoot, watch_page

pytestmark = pytest.mark.browser
BLOCKING = ("serious", "critical")
COMING = "Konflikter og lederens rolle"  # the demo's meeting in two weeks
GUESTS = "Delegering"  # the past meeting the guest facilitator ran


def _seed(app, language: str) -> dict:
    """The demo, every account speaking `language`; the ids the page list needs."""
    with app.app_context():
        demo.seed()
        db.session.execute(sa.update(User).values(language=language))
        db.session.commit()
        one = db.session.scalar

        def meeting(topic):
            return one(sa.select(Meeting.id).where(Meeting.topic == topic))

        coming = meeting(COMING)
        exercises = {kind: one(sa.select(Exercise.id).where(
            Exercise.meeting_id == coming, Exercise.kind == kind)) for kind in ExerciseKind}
        ids = {
            "org": one(sa.select(Organisation.id)),
            "east": one(sa.select(Network.id).where(Network.name == "Ledernetværk Østjylland")),
            "coming": coming, "guests": meeting(GUESTS),
            "past": meeting("Feedback og udvikling af medarbejdere"),
            "presentation": exercises[ExerciseKind.PRESENTATION],
            "interviews": exercises[ExerciseKind.INTERVIEWS],
            "sparring": exercises[ExerciseKind.SPARRING],
        }
        ids["group"] = one(sa.select(SparringGroup.id).where(
            SparringGroup.exercise_id == ids["sparring"]).order_by(SparringGroup.id))
        db.session.remove()
    return ids


def _pages(ids: dict) -> dict[str, list[str]]:
    """Per demo login, the pages of its main flows."""
    east, coming, org = ids["east"], ids["coming"], ids["org"]
    return {
        "konsulent@example.com": [
            "/home", f"/networks/org/{org}", f"/evaluations/org/{org}",
            f"/networks/org/{org}/new", f"/networks/org/{org}/networks/{east}/coordinators",
            "/auth/profile", "/privacy/",
        ],
        "tovholder@example.com": [
            "/home", f"/networks/{east}", f"/networks/{east}/members",
            f"/networks/{east}/invitations", f"/networks/{east}/contract",
            f"/networks/{east}/setup/3", f"/meetings/network/{east}", f"/meetings/{coming}",
            f"/meetings/{coming}/agenda", f"/meetings/{coming}/tasks",
            f"/meetings/{coming}/edit", f"/meetings/network/{east}/wishes",
            f"/meetings/network/{east}/series", "/meetings/calendar",
            f"/evaluations/network/{east}", f"/evaluations/network/{east}/health",
            "/networks/profile",
        ],
        "facilitator@example.com": [
            f"/meetings/{coming}/checkin", f"/live/meeting/{coming}",
            f"/live/exercise/{ids['presentation']}/facilitate",
            f"/live/exercise/{ids['interviews']}/facilitate",
            f"/live/exercise/{ids['sparring']}/facilitate",
            f"/live/exercise/{ids['sparring']}/projector",
            f"/evaluations/meeting/{ids['past']}/round",
        ],
        "medlem@example.com": [
            "/home", f"/meetings/{coming}", f"/meetings/network/{east}/goals",
            f"/live/exercise/{ids['presentation']}", f"/live/exercise/{ids['interviews']}",
            f"/live/group/{ids['group']}", f"/evaluations/meeting/{coming}",
            "/privacy/export",
        ],
        "coach@example.com": [
            "/home", f"/meetings/{ids['guests']}", f"/live/meeting/{ids['guests']}",
            f"/evaluations/meeting/{ids['guests']}/round",
        ],
    }


def _log_in(page, base: str, email: str, language: str = "da") -> None:
    page.goto(f"{base}/auth/login?lang={language}")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(demo.PASSWORD)
    page.locator("main form button.primary").click()
    page.wait_for_url(f"{base}/home")


def _start_the_room(browser, base: str, ids: dict, language: str) -> None:
    """The facilitator starts the presentation round and every sparring group."""
    context = browser.new_context(locale="da-DK")
    page = context.new_page()
    _log_in(page, base, "facilitator@example.com", language)
    page.goto(f"{base}/live/exercise/{ids['presentation']}/facilitate")
    page.locator("#live-clock-start").click()
    expect(page.locator("#live-clock")).to_have_class(re.compile("is-running"))
    page.goto(f"{base}/live/exercise/{ids['sparring']}/facilitate")
    page.locator("#live-overview button.primary").click()
    expect(page.locator(".live-group-card.is-running").first).to_be_visible()
    context.close()


def _blocking(results: dict) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        for v in results["violations"] if v["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("language", ["da", "nb", "en"])
def test_axe_finds_nothing_serious_on_the_main_flows(live_app, browser, language):
    base = live_app.config["LIVE_URL"]
    ids = _seed(live_app, language)
    _start_the_room(browser, base, ids, language)
    axe = Axe()
    found: dict[str, list[str]] = {}
    audited = 0
    anonymous = browser.new_context(bypass_csp=True)
    page = anonymous.new_page()
    for path in ("/auth/login", "/auth/forgot"):
        page.goto(f"{base}{path}?lang={language}")
        found.update({f"anonymous {path}": p for p in [_blocking(axe.run(page).response)] if p})
        audited += 1
    anonymous.close()
    for email, paths in _pages(ids).items():
        # The strict CSP refuses the injected axe script: this audit context alone bypasses it.
        context = browser.new_context(bypass_csp=True, viewport={"width": 1024, "height": 768})
        page = context.new_page()
        _log_in(page, base, email, language)
        for path in paths:
            response = page.goto(f"{base}{path}")
            assert response.status == 200, (email, path, response.status)
            assert page.locator("html").get_attribute("lang") == language
            expect(page.locator("h1")).to_have_count(1)
            problems = _blocking(axe.run(page).response)
            audited += 1
            if problems:
                found[f"{email} {path}"] = problems
        context.close()
    assert audited >= 40
    assert found == {}, "\n".join(f"{where}: {p}" for where, ps in found.items() for p in ps)


def _settled(page) -> None:
    """Wait until htmx has settled the swap: until then the new form is not wired up, and a
    key pressed that soon would send it as a plain form."""
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added")
           ).to_have_count(0)


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement ? document.activeElement.id : ''")


def test_focus_stays_on_the_check_in_toggle_across_its_swap(live_app, page):
    base = live_app.config["LIVE_URL"]
    ids = _seed(live_app, "da")
    problems = watch_page(page)
    _log_in(page, base, "facilitator@example.com")
    page.goto(f"{base}/meetings/{ids['coming']}/checkin")
    toggle = page.locator(".checkin-row button").first
    toggle_id = toggle.get_attribute("id")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#{toggle_id}")).to_have_attribute("aria-pressed", "true")
    _settled(page)
    expect(page.locator(f"#{toggle_id}")).to_be_focused()
    page.keyboard.press("Space")  # the keyboard user goes on where they were
    expect(page.locator(f"#{toggle_id}")).to_have_attribute("aria-pressed", "false")
    _settled(page)
    expect(page.locator(f"#{toggle_id}")).to_be_focused()
    page.keyboard.press("Tab")  # and the next name is one Tab away, not the page's top
    expect(page.locator(f"#{toggle_id}")).not_to_be_focused()
    assert _focused_id(page).startswith("checkin-") and _focused_id(page) != toggle_id
    assert problems == []


def test_focus_stays_with_the_live_controls_and_the_room_hears_who_speaks(live_app, page,
                                                                          browser):
    base = live_app.config["LIVE_URL"]
    ids = _seed(live_app, "da")
    problems = watch_page(page)
    _log_in(page, base, "facilitator@example.com")
    page.goto(f"{base}/live/exercise/{ids['presentation']}/facilitate")
    clock = page.locator("#live-clock")
    announcer = page.locator("#announcer")
    expect(announcer).to_have_attribute("aria-live", "polite")

    page.locator("#live-clock-start").focus()
    page.keyboard.press("Enter")  # Start gives way to Pause, in the same place
    expect(clock).to_have_class(re.compile("is-running"))
    _settled(page)
    expect(page.locator("#live-clock-pause")).to_be_focused()
    expect(announcer).to_contain_text("Kører")

    page.locator("#live-clock-next").focus()
    page.keyboard.press("Enter")
    expect(clock).to_contain_text("Taler 2 af")
    _settled(page)
    expect(page.locator("#live-clock-next")).to_be_focused()
    expect(announcer).to_contain_text("Taler 2 af")
    expect(announcer).to_contain_text("Ordet har:")

    # A change made on another tablet arrives by polling: the swap keeps focus too.
    page.locator("#live-clock-add_minute").focus()
    other = browser.new_context(viewport={"width": 1024, "height": 768}).new_page()
    _log_in(other, base, "facilitator@example.com")
    other.goto(f"{base}/live/exercise/{ids['presentation']}/facilitate")
    other.locator("#live-clock-pause").click()
    expect(clock).to_have_class(re.compile("is-paused"), timeout=10_000)  # margin for a slow CI
    expect(page.locator("#live-clock-add_minute")).to_be_focused()
    expect(announcer).to_contain_text("På pause")
    other.context.close()
    assert problems == []


def test_focus_follows_the_agenda_item_that_moves(live_app, page):
    base = live_app.config["LIVE_URL"]
    ids = _seed(live_app, "da")
    problems = watch_page(page)
    _log_in(page, base, "tovholder@example.com")
    page.goto(f"{base}/meetings/{ids['coming']}/agenda")
    second = page.locator(".agenda-item").nth(1)
    up = second.locator("button[id$='-up']")
    up_id = up.get_attribute("id")
    title = second.locator(".title").inner_text()
    up.focus()
    page.keyboard.press("Enter")  # the item reaches the top: its Move up is now disabled
    expect(page.locator(".agenda-item").first.locator(".title")).to_have_text(title)
    expect(page.locator(f"#{up_id}")).to_be_disabled()
    _settled(page)
    expect(page.locator(f"#{up_id.removesuffix('-up')}-down")).to_be_focused()
    page.keyboard.press("Enter")  # and back down with the button that now has focus
    expect(page.locator(".agenda-item").nth(1).locator(".title")).to_have_text(title)
    _settled(page)
    item = up_id.removesuffix("-up")
    expect(page.locator(f"#{item}-down")).to_be_focused()
    page.locator(f"#{item}-edit").focus()
    page.keyboard.press("Enter")  # Change opens the item's form at its first field
    _settled(page)
    expect(page.locator("#edit-title")).to_be_focused()
    page.keyboard.press("End")
    page.keyboard.type(" (kort)")
    page.keyboard.press("Enter")  # saved: focus is back on the item's Change
    expect(page.locator(".agenda-item").nth(1).locator(".title")).to_contain_text("(kort)")
    _settled(page)
    expect(page.locator(f"#{item}-edit")).to_be_focused()
    assert problems == []


TARGETS = """() => {
  const small = [];
  for (const el of document.querySelectorAll(
      'button, a.button, .nav a, select, input:not([type=hidden]), textarea, summary')) {
    const box = (el.type === 'checkbox' || el.type === 'radio')
      ? (el.closest('label') || document.querySelector(`label[for="${el.id}"]`) || el) : el;
    const r = box.getBoundingClientRect();
    if (r.width && (r.width < 43.5 || r.height < 43.5)) {
      small.push(`${el.tagName.toLowerCase()} "${(el.name || el.textContent).trim().slice(0, 30)}" `
                 + `${Math.round(r.width)}x${Math.round(r.height)}`);
    }
  }
  return small;
}"""


def test_pages_reflow_at_320_px_with_44_px_targets(live_app, browser):
    base = live_app.config["LIVE_URL"]
    ids = _seed(live_app, "da")
    _start_the_room(browser, base, ids, "da")
    pages = _pages(ids)
    wide, small = {}, {}
    for email in ("tovholder@example.com", "facilitator@example.com", "medlem@example.com"):
        context = browser.new_context(viewport={"width": 320, "height": 640}, locale="da-DK")
        page = context.new_page()
        _log_in(page, base, email)
        for path in pages[email]:
            page.goto(f"{base}{path}")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 320:
                wide[f"{email} {path}"] = width
            if too_small := page.evaluate(TARGETS):
                small[f"{email} {path}"] = too_small
            if path.startswith(("/live/group", "/meetings/network")):
                shoot(page, f"a11y-320-{path.strip('/').replace('/', '-')}")
        context.close()
    assert wide == {}
    assert small == {}
