"""What makes the app look finished: valid markup, past meetings in the past tense, the
home page without old tasks, one Change per member, Danish possessives in the demo."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest

from netapp import demo
from netapp.auth.models import utcnow
from netapp.networks.models import Role
from tests import factories as f
from tests.crawl import crawl

# Elements that hold phrasing content only: a form inside one is invalid HTML.
PHRASING = {"span", "a", "label", "button", "strong", "em", "small", "p", "summary"}


class _Markup(HTMLParser):
    """Collects forms opened inside phrasing elements, and tel: links with spaces."""

    VOID = {"input", "br", "img", "meta", "link", "hr", "col", "source", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") or ""
        if href.startswith("tel:") and any(ch.isspace() for ch in href):
            self.problems.append(f"space in {href!r}")
        if tag == "form" and PHRASING & set(self.stack):
            self.problems.append(f"form inside {'>'.join(self.stack[-3:])}")
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass


@pytest.mark.parametrize("email", ["tovholder@example.com", "facilitator@example.com",
                                   "medlem@example.com"])
def test_no_form_inside_a_span_and_no_spaces_in_tel_links(app, client, email):
    """Every page the demo's people reach is free of the two markup errors the Nu validator
    found (a form inside a span, spaces in a tel: link)."""
    app.test_cli_runner().invoke(args=["seed-demo"])
    assert client.post("/auth/login", data={"email": email,
                                            "password": demo.PASSWORD}).status_code == 302
    pages, _forms = crawl(client, limit=120)
    problems = []
    for path, html in pages.items():
        markup = _Markup()
        markup.feed(html)
        problems += [f"{path}: {p}" for p in markup.problems]
    assert len(pages) > 10 and not problems, problems[:10]


def test_a_tel_link_holds_the_plus_and_the_digits():
    from netapp.links import tel_href

    assert tel_href("+45 20 00 04 12") == "+4520000412"
    assert tel_href(" (+47) 22.33.44.55 ") == "4722334455"  # + not first: no plus
    assert tel_href("+47 22 33 44 55") == "+4722334455"
    assert tel_href("٣٣ 12") == "12"  # only ASCII digits


def test_the_coordinator_has_one_change_control_per_member(client, login_as):
    net = f.network(f.organisation())
    coordinator = f.member(net, Role.COORDINATOR)
    for name in ("Anders Holm", "Sofie Lund"):
        f.member(net, name=name)
    login_as(coordinator)
    page = client.get(f"/networks/{net.id}/members").text
    rows = page.split('<tr id="member-')[1:]
    assert len(rows) == 3
    for row in rows:
        assert row.count("<summary") == 1 and row.count("<details") == 1
        assert row.index("<details") < row.index('name="position"')


@pytest.mark.parametrize(("language", "attended", "apologies", "coming"), [
    ("da", "Deltog", "Meldte afbud", "Kommer"), ("nb", "Deltok", "Meldte avbud", "Kommer"),
    ("en", "Attended", "Sent apologies", "Coming")])
def test_past_meetings_say_what_happened(client, login_as, language, attended, apologies,
                                         coming):
    """A past meeting is not "coming": it says who attended and who sent apologies."""
    net = f.network(f.organisation())
    member = f.member(net, language=language)
    other = f.member(net, Role.FACILITATOR)
    past = f.meeting(net, starts_at=utcnow().replace(microsecond=0) - timedelta(days=30))
    f.attendance(past, member, checked_in=True)
    f.attendance(past, other, answer="no")
    older = f.meeting(net, starts_at=utcnow().replace(microsecond=0) - timedelta(days=60))
    f.attendance(older, member, answer="no")
    login_as(member)
    listing = client.get(f"/meetings/network/{net.id}").text
    assert attended in listing and apologies in listing and coming not in listing
    page = client.get(f"/meetings/{past.id}").text
    assert attended in page and coming not in page and coming.lower() not in page


def test_tasks_of_past_meetings_leave_the_home_page_but_the_follow_up_stays(client, login_as):
    net = f.network(f.organisation())
    coordinator = f.member(net, Role.COORDINATOR, language="en")
    now = utcnow().replace(microsecond=0)
    past = f.meeting(net, starts_at=now - timedelta(days=3), topic="Delegation")
    coming = f.meeting(net, starts_at=now + timedelta(days=10), topic="Feedback")
    f.task(past, "book_venue", coordinator)
    f.task(past, "follow_up", coordinator)
    f.task(coming, "catering", coordinator)
    login_as(coordinator)
    home = client.get("/home").text
    tasks = home[home.index("My tasks"):]
    assert "Book the venue" not in tasks
    assert "Follow" in tasks and "Catering" in tasks or "catering" in tasks.lower()


@pytest.mark.parametrize(("name", "genitive"), [
    ("Anders", "Anders'"), ("Mette", "Mettes"), ("Max", "Max'"), ("Liz", "Liz'"),
    ("Jonas", "Jonas'"), ("Sofie", "Sofies")])
def test_demo_possessives(name, genitive):
    assert demo.possessive(name) == genitive


def test_a_member_has_one_profile_page(client, login_as):
    """The header's name and "Min medlemsprofil" lead to the same page, which holds the
    account and the member profile; a refused member profile comes back on that page."""
    net = f.network(f.organisation())
    member = f.member(net, language="da", name="Mona Member")
    login_as(member)
    home = client.get("/home").text
    assert 'href="/auth/profile">Mona Member</a>' in home
    assert 'href="/auth/profile#member-profile"' in home and "Min medlemsprofil" in home
    assert client.get("/networks/profile").headers["Location"] == "/auth/profile#member-profile"
    page = client.get("/auth/profile").text
    assert 'action="/networks/profile"' in page and 'name="email"' in page
    assert 'id="member-profile"' in page and "Min profil" in page
    refused = client.post("/networks/profile", data={"years_in_profession": "61"})
    assert refused.status_code == 200 and "Min profil" in refused.text
    assert 'name="email"' in refused.text and 'value="61"' in refused.text
