"""The agenda editor (htmx, buttons to move items for tablets) and the printable agenda."""

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from netapp.access import PLAN, READ, meeting_for
from netapp.extensions import db
from netapp.htmx import is_htmx, render
from netapp.meetings import agenda, attendance, bp
from netapp.meetings.forms import AgendaItemForm, TemplateForm
from netapp.meetings.models import AgendaKind
from netapp.once import first_submit


def _editor(meeting, network, form=None, editing=None, edit_form=None, status=200,
            template_form=None):
    """The editor page or, for htmx, just the agenda fragment."""
    template_form = template_form or TemplateForm(which=agenda.default_template(meeting))
    response = render(
        "meetings/agenda.html",
        "meetings/_agenda_editor.html",
        meeting=meeting,
        network=network,
        form=form or AgendaItemForm(formdata=None),
        template_form=template_form,
        fit=agenda.fit(meeting),
        editing=editing,
        edit_form=edit_form,
    )
    return response, status


def _done(meeting, network):
    """After a change: the fresh fragment for htmx, a redirect for a plain form."""
    db.session.commit()
    if is_htmx():
        return _editor(meeting, network)
    return redirect(url_for("meetings.agenda_editor", meeting_id=meeting.id))


def _item(meeting, item_id):
    item = agenda.item_of(meeting, item_id)
    if item is None:
        abort(404)
    return item


@bp.get("/<int:meeting_id>/agenda")
@login_required
def agenda_editor(meeting_id: int):
    """Build the agenda: a template, items with lengths, up/down buttons, the running total."""
    meeting, network, _m = meeting_for(meeting_id, PLAN)
    return _editor(meeting, network)


@bp.get("/<int:meeting_id>/agenda/print")
@login_required
def agenda_print(meeting_id: int):
    """The agenda on one A4 page."""
    meeting, network, _m = meeting_for(meeting_id, READ)
    return render_template(
        "meetings/agenda_print.html", meeting=meeting, network=network, fit=agenda.fit(meeting)
    )


@bp.post("/<int:meeting_id>/agenda/template")
@login_required
def agenda_template(meeting_id: int):
    """Append the first- or following-meeting template from the seeds."""
    meeting, network, _m = meeting_for(meeting_id, PLAN)
    form = TemplateForm()
    if not form.validate_on_submit():
        return _editor(meeting, network, template_form=form)
    if meeting.agenda and form.mode.data not in ("replace", "add"):
        form.mode.errors.append(_("The agenda already has items: replace them, or add the "
                                  "template after them?"))
        return _editor(meeting, network, template_form=form)
    if first_submit(form):
        try:
            agenda.apply_template(meeting, form.which.data,
                                  attendance.expected_attendees(meeting),
                                  replace=form.mode.data == "replace")
        except agenda.AgendaError as refusal:
            db.session.rollback()
            form.mode.errors.append(refusal.errors["mode"])
            return _editor(meeting, network, template_form=form)
    return _done(meeting, network)


@bp.post("/<int:meeting_id>/agenda/items")
@login_required
def agenda_add(meeting_id: int):
    """Add an item; a bad length re-renders the form with what was typed."""
    meeting, network, _m = meeting_for(meeting_id, PLAN)
    form = AgendaItemForm()
    if not form.validate_on_submit():
        return _editor(meeting, network, form=form)
    if first_submit(form):
        agenda.add_item(meeting, AgendaKind(form.kind.data), form.title.data, form.minutes.data)
    return _done(meeting, network)


@bp.get("/<int:meeting_id>/agenda/items/<int:item_id>/edit")
@login_required
def agenda_edit(meeting_id: int, item_id: int):
    """Show one item as a form."""
    meeting, network, _m = meeting_for(meeting_id, PLAN)
    item = _item(meeting, item_id)
    return _editor(
        meeting,
        network,
        editing=item.id,
        edit_form=AgendaItemForm(
            formdata=None, kind=item.kind.value, title=item.title, minutes=item.minutes
        ),
    )


@bp.post("/<int:meeting_id>/agenda/items/<int:item_id>")
@login_required
def agenda_update(meeting_id: int, item_id: int):
    """Save one item's kind, title and length."""
    meeting, network, _m = meeting_for(meeting_id, PLAN)
    item = _item(meeting, item_id)
    form = AgendaItemForm()
    if not form.validate_on_submit():
        return _editor(meeting, network, editing=item.id, edit_form=form)
    agenda.update_item(item, AgendaKind(form.kind.data), form.title.data, form.minutes.data)
    return _done(meeting, network)


@bp.post("/<int:meeting_id>/agenda/items/<int:item_id>/move/<any(up, down):direction>")
@login_required
def agenda_move(meeting_id: int, item_id: int, direction: str):
    """Move an item one place up or down."""
    meeting, network, _m = meeting_for(meeting_id, PLAN)
    agenda.move_item(meeting, _item(meeting, item_id), direction)
    return _done(meeting, network)


@bp.post("/<int:meeting_id>/agenda/items/<int:item_id>/delete")
@login_required
def agenda_delete(meeting_id: int, item_id: int):
    """Remove an item."""
    meeting, network, _m = meeting_for(meeting_id, PLAN)
    agenda.delete_item(meeting, _item(meeting, item_id))
    return _done(meeting, network)
