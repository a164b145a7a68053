"""The contract: the six ground rules, versions, acceptance and who sees the list."""

import sqlalchemy as sa

from netapp.extensions import db
from netapp.networks.contract import ContractAcceptance, contract_of
from netapp.networks.models import Role
from tests import factories as f
from tests.submits import once


def test_new_contract_has_the_six_rules_in_the_users_language(client, login_as, world):
    w = world
    w.coordinator.language = "da"
    db.session.commit()
    login_as(w.coordinator)
    client.post("/networks/new", data={"once": once(),
                                       "organisation": str(w.org.id), "name": "Nyt netværk"})
    from netapp.networks.models import Network

    network = db.session.scalar(sa.select(Network).where(Network.name == "Nyt netværk"))
    rules = [r.text for r in contract_of(network.id).rules]
    assert rules == [
        "Fortrolighed",
        "Prioritere møderne",
        "Lægge telefonen væk",
        "Deltage aktivt og positivt",
        "Være nysgerrig på hinandens perspektiver",
        "Være åben for både at dele ud og tage imod",
    ]


def test_accept_then_a_change_asks_again(client, login_as, world):
    w = world
    login_as(w.member)
    page = client.get(f"/networks/{w.a.id}/contract")
    assert "I accept version 1" in page.text
    client.post(f"/networks/{w.a.id}/contract/accept", data={"version": "1"})
    assert "You accepted version 1" in client.get(f"/networks/{w.a.id}/contract").text
    client.post("/auth/logout")
    login_as(w.coordinator)
    client.post(
        f"/networks/{w.a.id}/contract/edit",
        data={
            "difference": "Less alone as leaders",
            "frequency": "Every second month",
            "knowledge": "Delegation, feedback",
        },
    )
    rule = w.contract_a.rules[0]
    client.post(f"/networks/{w.a.id}/contract/rules/{rule.id}/down")  # order: same version
    db.session.expire_all()
    contract = contract_of(w.a.id)
    assert contract.version == 2 and contract.rules[1].id == rule.id
    table = client.get(f"/networks/{w.a.id}/contract").text
    assert "Version 1 (an earlier one)" in table and "0 of 3 have accepted" in table
    client.post("/auth/logout")
    login_as(w.member)
    stale = client.post(
        f"/networks/{w.a.id}/contract/accept", data={"version": "1"}, follow_redirects=True
    )
    assert "changed while you read it" in stale.text
    client.post(f"/networks/{w.a.id}/contract/accept", data={"version": "2"})
    versions = db.session.scalars(
        sa.select(ContractAcceptance.version).where(ContractAcceptance.user_id == w.member.id)
    ).all()
    assert sorted(versions) == [1, 2]


def test_rules_added_changed_deleted_and_bad_input(client, login_as, world):
    w = world
    login_as(w.coordinator)
    client.post(f"/networks/{w.a.id}/contract/rules", data={"once": once(),
                                                            "text": "Start on time"})
    contract = contract_of(w.a.id)
    assert contract.rules[-1].text == "Start on time" and contract.version == 2
    too_long = client.post(
        f"/networks/{w.a.id}/contract/rules/{contract.rules[0].id}/save", data={"text": "x" * 301}
    )
    assert too_long.status_code == 200 and "At most 300 characters" in too_long.text
    assert "x" * 301 in too_long.text
    client.post(f"/networks/{w.a.id}/contract/rules/{contract.rules[0].id}/delete")
    db.session.expire_all()
    contract = contract_of(w.a.id)
    assert len(contract.rules) == 6 and contract.version == 3


def test_a_guest_facilitator_sees_the_count_not_the_names(client, login_as, world):
    w = world
    guest = f.member(w.a, Role.GUEST, name="Gitte Guest")
    login_as(guest)
    page = client.get(f"/networks/{w.a.id}/contract")
    assert "0 of 4 have accepted" in page.text
    assert w.member.name not in page.text


def test_the_network_facilitator_sees_who_accepted(client, login_as, world):
    login_as(world.facilitator)
    page = client.get(f"/networks/{world.a.id}/contract")
    assert world.member.name in page.text


def test_print_stylesheet_is_linked(client, login_as, world):
    login_as(world.member)
    page = client.get(f"/networks/{world.a.id}/contract")
    assert 'media="print"' in page.text and "data-print" in page.text
