"""The push screens at a phone's, a tablet's and a projector's size, in Danish, Norwegian and
English: the facilitator's clock, a group's tablet, the overview with the room controls, the
projector and the offline notice. Nothing runs off the side, every control is a 44 px target,
and the screenshots (test-artifacts/screens-*.png) are there to be looked at."""

import re

import pytest
from playwright.sync_api import expect

from netapp.auth.models import utcnow
from netapp.extensions import db
from netapp.live import services
from netapp.networks.models import Role
from tests import factories as f
from tests.e2e.conftest import shoot

pytestmark = pytest.mark.browser
SIZES = {"390": (390, 844), "1024": (1024, 768), "1920": (1920, 1080)}
MIN_TARGET = 44  # px: WCAG 2.5.5's target size, for fingers on a tablet in a meeting
OFFLINE = {"da": "Forbindelsen er væk – forbinder igen…",
           "nb": "Forbindelsen er brutt – kobler til igjen…",
           "en": "Connection lost – reconnecting…"}

# Every visible control of the page that is smaller than a finger, or the page's width when
# something runs off its side (an element whose right edge passes the viewport).
MEASURE = """() => {
  const small = [];  // (MIN is replaced by the bar below)
  for (const el of document.querySelectorAll('button, a[href], input, select, textarea, summary')) {
    if (el.type === 'hidden') continue;
    if (el.matches('a[href="#main"]')) continue;  // the skip link, shown on focus only
    // A checkbox is tapped through its label: the label is the target.
    const label = (el.type === 'checkbox' || el.type === 'radio') &&
      (el.closest('label') || (el.id && document.querySelector('label[for="' + el.id + '"]')));
    const box = (label || el).getBoundingClientRect();
    const style = getComputedStyle(el);
    if (box.width === 0 || style.visibility === 'hidden' || el.closest('[hidden]')) continue;
    if (el.closest('.skip-link, .visually-hidden, .sr-only')) continue;
    const inline = el.tagName === 'A' && style.display === 'inline' && el.closest('p, li, td');
    if (inline) continue;  // a link inside a sentence: WCAG's exception
    if (box.height < MIN || box.width < MIN) {
      small.push((el.innerText || el.value || el.getAttribute('aria-label') || el.tagName)
                 .trim().slice(0, 40) + ' ' + Math.round(box.width) + 'x' + Math.round(box.height));
    }
  }
  const over = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > window.innerWidth + 1 && getComputedStyle(el).position !== 'fixed')
      over.push(el.tagName + '.' + el.className + ' ' + Math.round(box.right));
  }
  return {small, over: over.slice(0, 5),
          scroll: document.documentElement.scrollWidth - window.innerWidth};
}""".replace("MIN", str(MIN_TARGET))


def _room(app, language: str):
    """A facilitator and twelve members speaking `language`: a presentation round running and
    a sparring round with every group started."""
    with app.app_context():
        net = f.network(name="Ledernetværk Syd")
        facilitator = f.member(net, Role.FACILITATOR, name="Frida Facilitator",
                               language=language)
        names = ["Anna Holm", "Bo Dahl", "Carl Friis", "Dorte Bak", "Eva Skov", "Finn Lund",
                 "Gitte Nygaard", "Hans Mølgaard", "Ida Brandt", "Jens Kjær", "Karen Vang",
                 "Lars Winther"]
        people = [f.member(net, name=n, language=language) for n in names]
        meeting = f.meeting(net, topic="Konflikter og lederens rolle")
        for person in [facilitator, *people]:
            f.attendance(meeting, person, checked_in=True)
        round_ = f.live_exercise(meeting, "presentation")
        sparring = f.live_exercise(meeting, "sparring")
        services.start_all(sparring, utcnow())
        db.session.commit()
        group = sparring.groups[0]
        member = next(p for p in people if p.id in group.member_ids)
        ids = {"round": round_.id, "sparring": sparring.id, "group": group.id}
        users = {"facilitator": facilitator.email, "member": member.email}
        db.session.remove()
    return ids, users


def _check(page, name: str, problems: list[str]) -> None:
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(150)
        found = page.evaluate(MEASURE)
        if found["small"]:
            problems.append(f"{name} {size}: small targets {found['small']}")
        if found["scroll"] > 0 or found["over"]:
            problems.append(f"{name} {size}: runs off the side by {found['scroll']} px "
                            f"{found['over']}")
        shoot(page, f"screens-{name}-{size}")


@pytest.mark.parametrize("language", ["da", "nb", "en"])
def test_push_screens_fit_every_size_in_every_language(live_app, browser, language):
    base = live_app.config["LIVE_URL"]
    ids, users = _room(live_app, language)
    problems: list[str] = []
    console: list[str] = []
    contexts = []
    try:
        pages = {}
        for who in ("facilitator", "member"):
            context = browser.new_context(viewport={"width": 1024, "height": 768})
            contexts.append(context)
            page = context.new_page()
            page.on("console", lambda m: m.type == "error" and console.append(m.text))
            _log_in_any(page, base, users[who])
            pages[who] = page
        runner, member = pages["facilitator"], pages["member"]

        runner.goto(f"{base}/live/exercise/{ids['round']}/facilitate")
        runner.locator("#live-clock .live-controls").get_by_role(
            "button", name="Start", exact=True).click()
        expect(runner.locator("#live-clock")).to_have_class(re.compile("is-running"))
        _check(runner, f"{language}-facilitator-clock", problems)

        runner.goto(f"{base}/live/exercise/{ids['sparring']}/facilitate")
        expect(runner.locator("#live-overview")).to_be_visible()
        _check(runner, f"{language}-overview", problems)

        member.goto(f"{base}/live/group/{ids['group']}")
        expect(member.locator("#live-clock")).to_be_visible()
        _check(member, f"{language}-group-tablet", problems)

        member.goto(f"{base}/live/exercise/{ids['round']}/projector")
        expect(member.locator("#live-clock")).to_be_visible()
        _check(member, f"{language}-projector", problems)

        # Offline: the page loads, and then nothing it asks gets an answer at all.
        member.route(re.compile(r"/live/(exercise/\d+/(clock|events)|meeting/\d+/now)"),
                     lambda route: None)
        member.goto(f"{base}/live/exercise/{ids['round']}")
        expect(member.locator(".live-offline")).to_be_visible(timeout=8000)
        expect(member.locator(".live-offline")).to_have_text(OFFLINE[language])
        _check(member, f"{language}-offline", problems)
        member.set_viewport_size({"width": 390, "height": 844})
        notice = member.locator(".live-offline").bounding_box()
        assert notice["height"] < 60, notice  # one line on a phone, not half its header
    finally:
        for context in contexts:
            context.close()
    assert problems == [], "\n".join(problems)


def _log_in_any(page, base, email):
    """Log in on the login page whatever its language (the browser asks for Danish)."""
    page.goto(f"{base}/auth/login")
    page.locator("input[type=email], input[name=email]").first.fill(email)
    page.locator("input[type=password]").fill(f.PASSWORD)
    page.locator("form:has(input[type=password]) button.primary").click()
    page.wait_for_url(f"{base}/home")

