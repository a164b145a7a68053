"""Two planners saving overlapping phases of one network at the same instant: one phase is
saved, the other planner gets the overlap message (the check and the write take turns), on
SQLite and PostgreSQL."""

from datetime import date

import pytest
import sqlalchemy as sa

from netapp.extensions import db
from netapp.networks.models import Phase, Role
from tests import factories as f
from tests.races import at_once, logged_in, threaded_app
from tests.submits import once

OVERLAP = "The period overlaps the phase"


@pytest.fixture
def shared_app(tmp_path, empty_database_url):
    """A database of its own that threads share."""
    with threaded_app(empty_database_url, str(tmp_path)) as app:
        yield app


def _form(name, start, end):
    return {"name": name, "purpose": "Why", "starts_on": start, "ends_on": end, "once": once()}


def _planners(app):
    net = f.network(f.organisation(), name="Net")
    cora = f.member(net, Role.COORDINATOR, language="en")
    carl = f.member(net, Role.COORDINATOR, language="en")
    return net, logged_in(app, cora), logged_in(app, carl)


def _saved(network_id) -> list[tuple[str, date, date]]:
    db.session.expire_all()
    return [(p.name, p.starts_on, p.ends_on) for p in db.session.scalars(
        sa.select(Phase).where(Phase.network_id == network_id).order_by(Phase.id))]


def test_two_new_overlapping_phases_at_once_save_one(shared_app):
    net, cora, carl = _planners(shared_app)
    path = f"/networks/{net.id}/phases"
    pages = at_once(
        lambda: cora.post(path, data=_form("Forstå", "2027-01-01", "2027-03-31")),
        lambda: carl.post(path, data=_form("Udvikl", "2027-02-01", "2027-05-31")),
        lambda: carl.post(path, data=_form("Forankr", "2027-02-01", "2027-02-28")),
    )
    assert sorted(p.status_code for p in pages) == [200, 200, 302]
    saved = _saved(net.id)
    assert len(saved) == 1
    for page in pages:
        if page.status_code == 200:
            assert OVERLAP in page.text and f"“{saved[0][0]}”" in page.text


def test_an_edit_and_a_new_phase_that_would_overlap_save_one(shared_app):
    net, cora, carl = _planners(shared_app)
    path = f"/networks/{net.id}/phases"
    assert cora.post(path, data=_form("Later", "2027-09-01", "2027-10-31")).status_code == 302
    later = db.session.scalar(sa.select(Phase.id))
    pages = at_once(
        lambda: cora.post(f"{path}/{later}", data=_form("Later", "2027-02-01", "2027-10-31")),
        lambda: carl.post(path, data=_form("First", "2027-01-01", "2027-03-31")),
    )
    assert sorted(p.status_code for p in pages) == [200, 302]
    saved = _saved(net.id)
    assert len(saved) == 1 or saved[0][2] < saved[1][1] or saved[1][2] < saved[0][1]
    assert any(OVERLAP in p.text for p in pages if p.status_code == 200)


def test_another_networks_coordinator_saves_nothing_here(shared_app):
    net, cora, _carl = _planners(shared_app)
    other = f.network(f.organisation(), name="Other")
    olga = logged_in(shared_app, f.member(other, Role.COORDINATOR, language="en"))
    path = f"/networks/{net.id}/phases"
    pages = at_once(*(lambda: olga.post(path, data=_form("X", "2027-01-01", "2027-01-31"))
                      for _ in range(3)))
    assert [p.status_code for p in pages] == [404, 404, 404]
    assert _saved(net.id) == []
