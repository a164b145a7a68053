"""The network contract: read, accept, and (for coordinators) write and reorder.

A guest facilitator reads the contract and accepts it, but sees only how many have
accepted, not who: the acceptance list is for the members themselves.
"""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from netapp.access import per_phase
from netapp.extensions import db
from netapp.networks import bp
from netapp.networks import contract as ct
from netapp.networks.access import network_for
from netapp.networks.forms import ButtonForm
from netapp.networks.member_forms import AcceptForm, ContractForm, NewRuleForm, RuleForm
from netapp.networks.models import Role
from netapp.once import first_submit


@bp.get("/<int:network_id>/contract")
@login_required
def contract(network_id: int):
    """The contract, my acceptance, and who has accepted which version."""
    network, membership = network_for(network_id)
    contract = ct.contract_of(network.id)
    table = ct.acceptance_table(network.id) if contract else []
    mine = next((a for m, a in table if m.user_id == current_user.id), None)
    asked = [(m, a) for m, a in table if not per_phase(m)]  # participants per phase are not
    return render_template(
        "networks/contract.html",
        network=network,
        membership=membership,
        contract=contract,
        table=table,
        mine=mine,
        per_phase=per_phase(membership),
        show_list=not membership.is_guest,
        asked=len(asked),
        accepted_count=sum(
            1 for _m, a in asked if a and contract and a.version == contract.version
        ),
        form=AcceptForm(version=contract.version if contract else ""),
        button=ButtonForm(),
    )


@bp.post("/<int:network_id>/contract/accept")
@login_required
def accept_contract(network_id: int):
    """Accept the version I read; if it changed meanwhile, read the new one first."""
    network, _membership = network_for(network_id)
    contract = ct.contract_of(network.id) or abort(404)
    form = AcceptForm()
    if form.validate_on_submit():
        if form.version.data != str(contract.version):
            flash(_("The contract changed while you read it. Read it again, then accept."), "error")
        else:
            ct.accept(contract, current_user.id)
            db.session.commit()
            flash(_("You have accepted version %(v)d of the contract.", v=contract.version), "ok")
    return redirect(url_for("networks.contract", network_id=network.id))


@bp.post("/<int:network_id>/contract/create")
@login_required
def create_contract(network_id: int):
    """Start the contract with the six suggested ground rules."""
    network, _me = network_for(network_id, Role.COORDINATOR)
    if ButtonForm().validate_on_submit() and ct.contract_of(network.id) is None:
        ct.create_contract(network)
        db.session.commit()
    return redirect(url_for("networks.edit_contract", network_id=network.id))


@bp.route("/<int:network_id>/contract/edit", methods=["GET", "POST"])
@login_required
def edit_contract(network_id: int):
    """Write the contract's texts; ground rules are added, changed and moved below."""
    network, _me = network_for(network_id, Role.COORDINATOR)
    contract = ct.contract_of(network.id) or abort(404)
    form = ContractForm(obj=contract)
    if form.validate_on_submit():
        if ct.update_texts(
            contract,
            form.difference.data or "",
            form.frequency.data or "",
            form.knowledge.data or "",
        ):
            db.session.commit()
            flash(
                _(
                    "Saved as version %(v)d. The members are asked to accept it.",
                    v=contract.version,
                ),
                "ok",
            )
        return redirect(url_for("networks.edit_contract", network_id=network.id))
    return render_template(
        "networks/contract_edit.html",
        network=network,
        contract=contract,
        form=form,
        rule_form=NewRuleForm(),
        button=ButtonForm(),
    )


@bp.post("/<int:network_id>/contract/rules")
@login_required
def add_rule(network_id: int):
    """Add a ground rule at the end."""
    network, _me = network_for(network_id, Role.COORDINATOR)
    contract = ct.contract_of(network.id) or abort(404)
    form = NewRuleForm()
    if form.validate_on_submit():
        if first_submit(form):
            ct.add_rule(contract, form.text.data)
        db.session.commit()
        return redirect(url_for("networks.edit_contract", network_id=network.id))
    return render_template(
        "networks/contract_edit.html",
        network=network,
        contract=contract,
        form=ContractForm(obj=contract),
        rule_form=form,
        button=ButtonForm(),
    )


@bp.post("/<int:network_id>/contract/rules/<int:rule_id>/<any(save, up, down, delete):action>")
@login_required
def rule_action(network_id: int, rule_id: int, action: str):
    """Reword, move up or down, or delete one ground rule."""
    network, _me = network_for(network_id, Role.COORDINATOR)
    contract = ct.contract_of(network.id) or abort(404)
    rule = ct.rule_of(contract, rule_id) or abort(404)
    form = RuleForm() if action == "save" else ButtonForm()
    if not form.validate_on_submit():
        return render_template(
            "networks/contract_edit.html",
            network=network,
            contract=contract,
            form=ContractForm(obj=contract),
            rule_form=NewRuleForm(formdata=None),
            button=ButtonForm(),
            bad_rule=(rule.id, form),
        )
    if action == "save":
        ct.change_rule(contract, rule, form.text.data)
    elif action == "delete":
        ct.delete_rule(contract, rule)
    else:
        ct.move_rule(contract, rule, action)
    db.session.commit()
    return redirect(
        url_for("networks.edit_contract", network_id=network.id, _anchor=f"rule-{rule_id}")
    )
