"""Security rules that are properties of the code itself, checked over every file."""

import re
from pathlib import Path

import sqlalchemy as sa

from netapp.extensions import db
from netapp.meetings.models import Goal
from netapp.networks.models import Role
from tests import factories as f
from tests.crawl import crawl
from tests.submits import once

ROOT = Path(__file__).resolve().parent.parent


def test_no_safe_filter_or_markup_on_anything():
    """Autoescape everywhere; no |safe or Markup() (so never on user data)."""
    hits = [
        f"{path.relative_to(ROOT)}:{n}"
        for folder, pattern in (("templates", "*.html"), ("netapp", "*.py"))
        for path in (ROOT / folder).rglob(pattern)
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"\|\s*safe\b|Markup\(", line)
    ]
    assert hits == []


def test_no_inline_script_style_or_hx_on():
    """The strict CSP holds because no template has inline code or styles. E-mails
    (templates/mail/) are read in mail clients, which only keep inline styles."""
    hits = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in (ROOT / "templates").rglob("*.html")
        if "mail" not in path.relative_to(ROOT / "templates").parts[:1]
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|hx-on", line)
    ]
    assert hits == []


def test_no_form_carries_ids_of_owners_or_networks(app, client):
    """No mass assignment: network_id and user ids never come from form fields."""
    app.test_cli_runner().invoke(args=["seed-demo"])
    client.post("/auth/login", data={"email": "tovholder@example.com",
                                     "password": "sparring-demo"})
    _pages, forms = crawl(client)
    assert forms
    named = {(form.action, name) for form in forms for name in form.fields
             if re.fullmatch(r"(network|user|owner|author|organisation)_id", name)}
    assert named == set()


def test_a_smuggled_owner_id_is_ignored(client, login_as):
    """Whose goal it is comes from the session, never from the form."""
    net = f.network()
    other = f.member(net, Role.MEMBER)
    me = f.member(net, Role.MEMBER)
    login_as(me)
    client.post(f"/meetings/network/{net.id}/goals",
                data={"once": once(), "text": "Mit mål", "owner_id": other.id, "network_id": 999})
    goal = db.session.scalars(sa.select(Goal)).one()
    assert (goal.owner_id, goal.network_id) == (me.id, net.id)


def test_no_page_asks_for_a_cpr_number(app, client):
    """GDPR data minimisation: no CPR numbers are ever asked for."""
    app.test_cli_runner().invoke(args=["seed-demo"])
    client.post("/auth/login", data={"email": "tovholder@example.com",
                                     "password": "sparring-demo"})
    _pages, forms = crawl(client)
    fields = {name.lower() for form in forms for name in form.fields}
    assert not any("cpr" in name or "personnummer" in name for name in fields)
