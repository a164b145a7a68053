"""The network contract (netværkskontrakt): texts, ground rules, versions and acceptances.

Every change of content (a text, a rule added, changed or deleted) makes a new version,
and each member is asked to accept it again. Reordering keeps the version: the rules
say the same.
"""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _

from netapp import ordering
from netapp.auth.models import User, utcnow
from netapp.extensions import db
from netapp.networks.models import Membership, Network
from netapp.once import insert_once


def suggested_rules(language: str | None = None) -> list[str]:
    """The six ground rules of the BFA leader-network guide, in the request's language (or the
    one given)."""
    if language is None and has_request_context():
        return _rules()
    with force_locale(language or "da"):
        return _rules()


def _rules() -> list[str]:
    return [
        _("Confidentiality"),
        _("Prioritise the meetings"),
        _("Put the phone away"),
        _("Take part actively and positively"),
        _("Be curious about each other's perspectives"),
        _("Be open both to sharing and to receiving"),
    ]


class Contract(db.Model):
    """One per network: the difference, how often, what we share knowledge about."""

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    network_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(Network.id, ondelete="CASCADE"), unique=True
    )
    difference: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    frequency: so.Mapped[str] = so.mapped_column(sa.String(300), default="")
    knowledge: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    version: so.Mapped[int] = so.mapped_column(default=1)
    updated_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    rules: so.Mapped[list["GroundRule"]] = so.relationship(
        order_by="GroundRule.position", cascade="all, delete-orphan", back_populates="contract"
    )

    def bump(self) -> None:
        """A new version: everyone is asked to accept again."""
        self.version += 1
        self.updated_at = utcnow()


class GroundRule(db.Model):
    """A spilleregel, in the order the network chose."""

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    contract_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(Contract.id, ondelete="CASCADE"), index=True
    )
    position: so.Mapped[int] = so.mapped_column(default=0)
    text: so.Mapped[str] = so.mapped_column(sa.String(300))

    contract: so.Mapped[Contract] = so.relationship(back_populates="rules")


class ContractAcceptance(db.Model):
    """A member accepted one version of the contract, at a time."""

    __table_args__ = (sa.UniqueConstraint("network_id", "user_id", "version"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    network_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(Network.id, ondelete="CASCADE"), index=True
    )
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(User.id, ondelete="CASCADE"), index=True
    )
    version: so.Mapped[int]
    accepted_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)


def contract_of(network_id: int) -> Contract | None:
    """The network's contract with its rules (two queries), or None before it is made."""
    return db.session.scalar(
        sa.select(Contract)
        .where(Contract.network_id == network_id)
        .options(so.selectinload(Contract.rules))
    )


def create_contract(network: Network, language: str | None = None) -> Contract:
    """Start the contract from the set-up answers and the six suggested ground rules."""
    difference = network.difference  # the set-up's answer, never the purpose (save_setup)
    if insert_once(Contract, {"network_id": network.id, "difference": difference}, ["network_id"]):
        made = contract_of(network.id)
        rules = suggested_rules(language)
        made.rules = [GroundRule(position=i, text=t) for i, t in enumerate(rules)]
        db.session.flush()
    return contract_of(network.id)


def contract_accepted(contract: Contract) -> bool:
    """True when someone has accepted the contract's current version."""
    return db.session.scalar(sa.select(sa.exists().where(
        ContractAcceptance.network_id == contract.network_id,
        ContractAcceptance.version == contract.version))) or False


def update_texts(contract: Contract, difference: str, frequency: str, knowledge: str) -> bool:
    """Save the three texts; a new version only when something changed."""
    new = (difference.strip(), frequency.strip(), knowledge.strip())
    if new == (contract.difference, contract.frequency, contract.knowledge):
        return False
    contract.difference, contract.frequency, contract.knowledge = new
    contract.bump()
    db.session.flush()
    return True


def add_rule(contract: Contract, text: str) -> GroundRule:
    """Append a rule at the end; a new version."""
    position = max((r.position for r in contract.rules), default=-1) + 1
    rule = GroundRule(position=position, text=text.strip())
    contract.rules.append(rule)
    contract.bump()
    db.session.flush()
    return rule


def change_rule(contract: Contract, rule: GroundRule, text: str) -> None:
    """Reword a rule; a new version when the words changed."""
    if text.strip() != rule.text:
        rule.text = text.strip()
        contract.bump()
        db.session.flush()


def delete_rule(contract: Contract, rule: GroundRule) -> None:
    """Remove a rule; a new version."""
    contract.rules.remove(rule)
    contract.bump()
    db.session.flush()


def move_rule(contract: Contract, rule: GroundRule, direction: str) -> None:
    """Swap a rule with its neighbour above ("up") or below ("down")."""
    if ordering.move(list(contract.rules), rule, direction):
        db.session.flush()


def rule_of(contract: Contract, rule_id: int) -> GroundRule | None:
    """A rule of this contract only; another contract's rule id finds nothing."""
    return next((r for r in contract.rules if r.id == rule_id), None)


def accept(contract: Contract, user_id: int) -> bool:
    """Record that the user accepts the current version (once); False if already done."""
    row = {"network_id": contract.network_id, "user_id": user_id, "version": contract.version}
    return insert_once(ContractAcceptance, row, ["network_id", "user_id", "version"])


def acceptance_table(network_id: int) -> list[tuple[Membership, ContractAcceptance | None]]:
    """Each member with their latest acceptance (or None), in one query."""
    latest = (
        sa.select(
            ContractAcceptance.user_id, sa.func.max(ContractAcceptance.version).label("version")
        )
        .where(ContractAcceptance.network_id == network_id)
        .group_by(ContractAcceptance.user_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Membership, ContractAcceptance)
        .join(Membership.user)
        .outerjoin(latest, latest.c.user_id == Membership.user_id)
        .outerjoin(
            ContractAcceptance,
            sa.and_(
                ContractAcceptance.network_id == network_id,
                ContractAcceptance.user_id == latest.c.user_id,
                ContractAcceptance.version == latest.c.version,
            ),
        )
        .where(Membership.network_id == network_id)
        .options(so.contains_eager(Membership.user))
        .order_by(User.name)
    )
    return [(m, a) for m, a in rows]


def my_acceptance(network_id: int, user_id: int) -> ContractAcceptance | None:
    """The user's latest acceptance of this network's contract."""
    return db.session.scalar(
        sa.select(ContractAcceptance)
        .where(ContractAcceptance.network_id == network_id, ContractAcceptance.user_id == user_id)
        .order_by(ContractAcceptance.version.desc())
        .limit(1)
    )
