"""SECURITY.md 8.2.1/8.3.1/8.4.1: every route × every persona, expectations in one table.

A route without a row fails the test, so a new page or fragment cannot slip through
unchecked. Denied means: anonymous → sent to login; a member of another network or
an organisation admin → 404 for network content (ids of other networks reveal nothing);
the wrong role inside the network → 403 (or 404).
"""

import pytest

from netapp.networks.models import Role
from tests import factories as f

PERSONAS = ("anonymous", "member", "facilitator", "coordinator", "other_member",
            "other_coordinator", "org_admin")

# Shorthands for who gets through. Everyone else is denied.
ANYONE = set(PERSONAS)
LOGGED_IN = ANYONE - {"anonymous"}
IN_NETWORK = {"member", "facilitator", "coordinator"}
MEMBERS = {"member", "coordinator"}
RUNNERS = {"facilitator", "coordinator"}
COORDINATOR = {"coordinator"}
ORG_ADMIN = {"org_admin"}

# endpoint → who may use it (for each of its methods).
ACCESS: dict[str, set[str]] = {
    "static": ANYONE,
    "main.index": ANYONE,
    "main.home": LOGGED_IN,
    "main.healthz": ANYONE,
    "auth.login": ANYONE,
    "auth.logout": LOGGED_IN,
    "auth.forgot": ANYONE,
    "auth.reset": ANYONE,  # guarded by the signed token, tested in tests/auth
    "auth.password": LOGGED_IN,
    "auth.profile": LOGGED_IN,
    "privacy.policy": ANYONE,
    "privacy.export": LOGGED_IN,
    "privacy.delete": LOGGED_IN,
    "evaluations.index": IN_NETWORK,
    "evaluations.answer": IN_NETWORK,
    "evaluations.round": RUNNERS,
    "evaluations.open_round": RUNNERS,
    "evaluations.close_round": RUNNERS,
    "evaluations.qr": RUNNERS,
    "evaluations.kiosk": RUNNERS,
    "evaluations.health": COORDINATOR,
    "evaluations.settings": COORDINATOR,
    "evaluations.export": COORDINATOR,
    "evaluations.org": ORG_ADMIN,
}

# Routes whose answer for an allowed persona is not a page (a token route, a file).
TOKEN_ROUTES = {"auth.reset"}
# Routes that redirect by design (the front door, the login page once logged in).
REDIRECTS = {"main.index", "auth.login"}


@pytest.fixture
def world(app):
    """Network A with one person per role, network B with its own, an organisation admin."""
    org = f.organisation()
    a, b = f.network(org), f.network()
    people = {
        "member": f.member(a, Role.MEMBER),
        "facilitator": f.member(a, Role.FACILITATOR),
        "coordinator": f.member(a, Role.COORDINATOR),
        "other_member": f.member(b, Role.MEMBER),
        "other_coordinator": f.member(b, Role.COORDINATOR),
        "org_admin": f.org_admin(org),
    }
    meeting = f.meeting(a)
    ids = {"network_id": a.id, "meeting_id": meeting.id, "org_id": org.id,
           "organisation_id": org.id, "token": "not-a-token", "filename": "css/app.css"}
    return people, ids


def _url(rule, ids) -> str:
    missing = [arg for arg in rule.arguments if arg not in ids]
    assert not missing, f"{rule.endpoint}: add an id for {missing} to the world fixture"
    return rule.build({arg: ids[arg] for arg in rule.arguments}, append_unknown=False)[1]


def _denied(response) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    location = response.headers.get("Location", "")
    return response.status_code == 302 and "/auth/login" in location


def test_every_route_has_a_row(app):
    missing = sorted({r.endpoint for r in app.url_map.iter_rules()} - set(ACCESS))
    assert not missing, f"routes without a row in ACCESS: {missing}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_access(app, world, persona):
    people, ids = world
    client = app.test_client()
    if persona != "anonymous":
        client.post("/auth/login", data={"email": people[persona].email, "password": f.PASSWORD})
    problems = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint not in ACCESS or rule.endpoint in TOKEN_ROUTES:
            continue
        allowed = persona in ACCESS[rule.endpoint]
        url = _url(rule, ids)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if rule.endpoint in ("auth.logout", "privacy.delete") and method == "POST" and allowed:
                continue  # would end the persona's session or account mid-test
            response = client.open(url, method=method, data={})
            response.close()
            denied = _denied(response) and not (
                rule.endpoint in REDIRECTS and response.status_code == 302
            )
            if response.status_code >= 500 or denied == allowed:
                problems.append(f"{method} {url}: {response.status_code}, allowed={allowed}")
    assert not problems, f"{persona}: " + "; ".join(problems)
