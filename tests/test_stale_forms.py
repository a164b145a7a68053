"""A form sent with a stale CSRF token (a tab left open overnight: the session cookie gone,
the remember-me login still there) comes back with everything typed, a fresh token and a
message in the user's language at the top of the form; nothing is saved. A forged
cross-site POST still gets the plain error page and saves nothing."""

import re

import pytest
import sqlalchemy as sa

from netapp.auth.models import User
from netapp.extensions import db
from netapp.meetings.models import AgendaItem, TopicWish
from netapp.networks.models import Role
from tests import factories as f
from tests.submits import once

pytestmark = pytest.mark.own_app(WTF_CSRF_ENABLED=True)

SITE = {"Origin": "http://netapp.test"}  # the browser's Origin for a form of this site
BANNER = {
    "da": "Siden havde været åben for længe; intet blev gemt.",
    "nb": "Siden hadde vært åpen for lenge; ingenting ble lagret.",
    "en": "The page had been open too long; nothing was saved.",
}
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def _token(text: str) -> str:
    return TOKEN.search(text).group(1)


def _log_in(client, person) -> None:
    token = _token(client.get("/auth/login").text)
    response = client.post("/auth/login", data={"email": person.email, "password": f.PASSWORD,
                                                 "remember": "y", "csrf_token": token})
    assert response.status_code == 302


def _overnight(client) -> None:
    """The session cookie is gone (and the CSRF token with it); the remember cookie stays."""
    with client.session_transaction() as session:
        session.clear()


@pytest.fixture
def world(app):
    net = f.network(f.organisation(), name="Ledere Øst")
    people = {lang: f.member(net, Role.COORDINATOR, language=lang, email=f"{lang}@example.com")
              for lang in ("da", "nb", "en")}
    return net, f.meeting(net), people


def _wishes() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(TopicWish.text)))


def _items() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AgendaItem.title)))


@pytest.mark.parametrize("lang", ["da", "nb"])
def test_a_wish_sent_from_a_stale_page_comes_back_typed_and_saves_nothing(client, world, lang):
    net, _mtg, people = world
    _log_in(client, people[lang])
    path = f"/meetings/network/{net.id}/wishes"
    stale = _token(client.get(path).text)
    _overnight(client)
    typed = {"kind": "method", "text": "Hvordan giver vi <feedback> & ros?",
             "once": once(), "csrf_token": stale}
    page = client.post(path, data=typed, headers=SITE)
    assert page.status_code == 200
    assert BANNER[lang] in page.text and f'lang="{lang}"' in page.text
    assert 'value="Hvordan giver vi &lt;feedback&gt; &amp; ros?"' in page.text
    assert '<option selected value="method">' in page.text
    fresh = _token(page.text)
    assert fresh != stale and _wishes() == []
    # sent again with the fresh token, it is saved
    assert client.post(path, data={**typed, "csrf_token": fresh},
                       headers=SITE).status_code == 302
    assert _wishes() == ["Hvordan giver vi <feedback> & ros?"]


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_an_agenda_item_by_htmx_gets_its_fragment_back_typed(client, world, lang):
    _net, mtg, people = world
    _log_in(client, people[lang])
    page = client.get(f"/meetings/{mtg.id}/agenda")
    stale = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text).group(1)
    _overnight(client)
    typed = {"once": once(), "title": "Oplæg om ferie", "minutes": "25", "kind": "topic"}
    hx = {**SITE, "HX-Request": "true", "X-CSRFToken": stale}
    fragment = client.post(f"/meetings/{mtg.id}/agenda/items", data=typed, headers=hx)
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<div id="agenda-editor"')  # the fragment only
    assert BANNER[lang] in fragment.text
    assert 'value="Oplæg om ferie"' in fragment.text and 'value="25"' in fragment.text
    assert _items() == []
    fresh = _token(fragment.text)
    again = client.post(f"/meetings/{mtg.id}/agenda/items", data={**typed, "csrf_token": fresh},
                        headers={"HX-Request": "true"})
    assert again.status_code == 200 and _items() == ["Oplæg om ferie"]


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_profile_sent_from_a_stale_page_keeps_the_new_name_unsaved(client, world, lang):
    _net, _mtg, people = world
    person = people[lang]
    _log_in(client, person)
    stale = _token(client.get("/auth/profile").text)
    _overnight(client)
    page = client.post("/auth/profile", headers=SITE, data={
        "name": "Åse Ny-Navn", "email": person.email, "language": lang, "csrf_token": stale})
    assert page.status_code == 200 and BANNER[lang] in page.text
    assert 'value="Åse Ny-Navn"' in page.text
    db.session.expire_all()
    assert db.session.get(User, person.id).name != "Åse Ny-Navn"


def test_nul_bytes_in_a_stale_form_get_both_messages_and_save_nothing(client, world):
    _net, mtg, people = world
    _log_in(client, people["en"])
    stale = _token(client.get(f"/meetings/{mtg.id}/agenda").text)
    _overnight(client)
    page = client.post(f"/meetings/{mtg.id}/agenda/items", headers=SITE, data={
        "once": once(), "title": "Nul\x00byte", "minutes": "10", "kind": "other",
        "csrf_token": stale})
    assert page.status_code == 200 and BANNER["en"] in page.text
    assert "Remove the invisible control characters from this field." in page.text
    assert 'value="Nulbyte"' in page.text and _items() == []


@pytest.mark.parametrize("headers", [
    {"Origin": "https://evil.example"},
    {"Sec-Fetch-Site": "cross-site", "Origin": "http://netapp.test"},
    {"Referer": "https://evil.example/page"},
    {},  # no word from the browser where it comes from
])
def test_a_forged_cross_site_post_saves_nothing_and_shows_no_form(client, world, headers):
    net, _mtg, people = world
    _log_in(client, people["en"])
    page = client.post(f"/meetings/network/{net.id}/wishes", headers=headers, data={
        "kind": "topic", "text": "Forged wish", "once": once(), "csrf_token": "forged"})
    assert page.status_code == 400
    assert "The form had expired. Go back, reload the page and send it again." in page.text
    assert "Forged wish" not in page.text and 'name="text"' not in page.text
    assert _wishes() == []


def test_a_stale_post_to_a_view_without_a_form_changes_nothing(client, world):
    """A button that acts without a form (move, vote, log out) gets the plain page: shown
    again, it would look done while nothing was saved."""
    net, mtg, people = world
    _log_in(client, people["en"])
    for title in ("A", "B"):
        db.session.add(AgendaItem(meeting_id=mtg.id, title=title, minutes=5,
                                  position=len(_items())))
    db.session.commit()
    _overnight(client)
    b = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.title == "B"))
    moved = client.post(f"/meetings/{mtg.id}/agenda/items/{b.id}/move/up", headers=SITE,
                        data={"csrf_token": "stale"})
    assert moved.status_code == 400
    assert [i.title for i in db.session.scalars(
        sa.select(AgendaItem).order_by(AgendaItem.position))] == ["A", "B"]
    out = client.post("/auth/logout", headers=SITE, data={"csrf_token": "stale"})
    assert out.status_code == 400
    assert client.get("/home").status_code == 200  # still logged in


def test_another_networks_coordinator_gets_nothing_shown_again(client, world):
    net, _mtg, _people = world
    other = f.member(f.network(f.organisation()), Role.COORDINATOR, language="en")
    _log_in(client, other)
    _overnight(client)
    for _ in range(3):  # the same stale POST again and again
        page = client.post(f"/meetings/network/{net.id}/wishes", headers=SITE, data={
            "kind": "topic", "text": "Not mine", "once": once(), "csrf_token": "stale"})
        assert page.status_code == 400 and "Not mine" not in page.text
    assert _wishes() == []
