"""A small world: network A (coordinator, facilitator, member), network B, an org admin."""

from types import SimpleNamespace

import pytest

from netapp.networks.models import Role
from tests import factories as f


@pytest.fixture
def world(app):
    org = f.organisation()
    a = f.network(org, name="Network A")
    b = f.network(org, name="Network B")
    w = SimpleNamespace(
        org=org,
        a=a,
        b=b,
        coordinator=f.member(a, Role.COORDINATOR, name="Cora Coordinator"),
        facilitator=f.member(a, Role.FACILITATOR, name="Fie Facilitator"),
        member=f.member(a, Role.MEMBER, name="Mads Member"),
        other=f.member(b, Role.COORDINATOR, name="Olga Other"),
        admin=f.org_admin(org, name="Alma Admin"),
    )
    w.contract_a = f.contract(a)
    w.contract_b = f.contract(b)
    return w


@pytest.fixture(autouse=True)
def english_browser(client):
    """Pages for visitors who are not logged in follow the browser: English here."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
