"""A sparring group's tablet: its own clock and controls, and the private case notes."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from netapp.access import RUN, can_run_group, group_for, may
from netapp.auth.models import utcnow
from netapp.database import commit_then_read
from netapp.extensions import db
from netapp.htmx import is_htmx
from netapp.live import bp, exercises, notes, screens, services, texts
from netapp.live.forms import GoalForm, NoteForm, RoleForm, VersionForm
from netapp.live.models import SparringGroup
from netapp.live.phases import PHASES
from netapp.live.views_exercise import clock_fragment
from netapp.networks.access import network_for
from netapp.once import first_submit


@bp.get("/group/<int:group_id>")
def group(group_id: int):
    """A group's tablet: phase, roles, guidance, the clock, and the reader's notes."""
    group, membership = group_for(group_id)
    now = utcnow()
    context = screens.group_screen(group, can_run_group(group, membership), now)
    return render_template("live/group.html", **context, **_notes_context(group, context))


@bp.get("/group/<int:group_id>/clock")
def group_clock(group_id: int):
    """The group's polled clock fragment (204 before this when the tablet's is current)."""
    group, membership = group_for(group_id)
    now = utcnow()
    context = screens.group_screen(group, can_run_group(group, membership), now)
    return render_template("live/_group_clock.html", refused="", **context)


@bp.post("/group/<int:group_id>/control/<action>")
def group_control(group_id: int, action: str):
    """A control on the group's own clock, by its members or a facilitator."""
    group, membership = group_for(group_id)
    if action not in services.CONTROLS:
        abort(404)
    if not can_run_group(group, membership):
        abort(403)
    form = VersionForm()
    version = form.version.data if form.validate() else None
    outcome = services.apply_control(group, action, version, utcnow())
    commit_then_read()
    overview = form.screen.data == "overview"
    if overview and not is_htmx():
        return redirect(url_for(".facilitate", exercise_id=group.exercise_id), 303)
    if not is_htmx():
        return redirect(url_for(".group", group_id=group.id), 303)
    if overview:  # pressed on the facilitator's overview: it gets every group back
        runs = may(membership, group.exercise.meeting_id, RUN)
        return clock_fragment(group.exercise, "facilitator" if runs else "tablet", runs,
                              texts.refusal(outcome.refused))
    context = screens.group_screen(group, True, utcnow())
    return render_template("live/_group_clock.html", refused=texts.refusal(outcome.refused),
                           **context)


@bp.post("/group/<int:group_id>/roles")
def group_roles(group_id: int):
    """The group picks this round's case-giver or questioner before the round gets going."""
    group, membership = group_for(group_id)
    if not can_run_group(group, membership):
        abort(403)
    form = RoleForm()
    view = services.view_of(group, utcnow())
    try:
        if not form.validate_on_submit():
            raise exercises.SetupError("cannot_move")
        exercises.choose_role(group, form.person.data, form.role.data, view.round_index,
                              view.state.step_index % len(PHASES))
    except exercises.SetupError as refusal:
        db.session.rollback()
        flash(texts.refusal(refusal.code), "error")
    else:
        db.session.commit()
    return redirect(url_for(".group", group_id=group.id), 303)


@bp.get("/group/<int:group_id>/notes")
def group_notes(group_id: int):
    """The reader's own notes panel (re-fetched when the round changes)."""
    group, membership = group_for(group_id)
    context = screens.group_screen(group, False, utcnow())
    return render_template("live/_notes.html", group=group, **_notes_context(group, context))


@bp.post("/group/<int:group_id>/notes")
def add_note(group_id: int):
    """A note-taker writes a note for this round's case-giver."""
    group, _membership = group_for(group_id)
    context = screens.group_screen(group, False, utcnow())
    form = NoteForm()
    message = ""
    if form.validate_on_submit():
        try:
            if first_submit(form):
                notes.add_note(group, current_user.id, form.round.data, form.text.data,
                               context["view"])
        except notes.NoteRefused:
            message = _("Only the note-takers of a round write notes for its case-giver.")
        else:
            commit_then_read()
            form, message = NoteForm(formdata=None), _("Note saved for the case-giver.")
    if not is_htmx():
        flash(message or _("Check the note and send it again."), "info")
        return redirect(url_for(".group", group_id=group.id), 303)
    return render_template("live/_notes.html", group=group, message=message,
                           **_notes_context(group, context, note_form=form))


@bp.post("/note/<int:note_id>/goal")
def note_goal(note_id: int):
    """The case-giver turns a note into a goal (only the case-giver can see the note)."""
    note = notes.note_for_case_giver(note_id, current_user.id, utcnow())
    if note is None:
        abort(404)
    network_for(note.network_id)
    group, _membership = group_for(note.group_id)
    form = GoalForm()
    message = _("Write the goal in at most 1000 characters.")
    if form.validate_on_submit():
        if first_submit(form):
            notes.make_goal(note, form.text.data)
        commit_then_read()
        message = _("Saved as your goal. The network can follow up on it at the next meeting.")
    if not is_htmx():
        flash(message, "info")
        return redirect(url_for(".group", group_id=group.id), 303)
    context = screens.group_screen(group, False, utcnow())
    return render_template("live/_notes.html", group=group, message=message,
                           **_notes_context(group, context))


def _notes_context(group: SparringGroup, context: dict, note_form: NoteForm | None = None):
    panel = notes.panel_for(group, current_user.id, context["view"])
    form = note_form or NoteForm(formdata=None)
    if panel.write_round is not None and form.round.data is None:
        form.round.data = panel.write_round
    return {"panel": panel, "note_form": form, "goal_form": GoalForm(formdata=None),
            "names": {m.user_id: m.user for m in group.members}}
