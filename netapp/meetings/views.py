"""Meeting lists and pages, planning one meeting or a series, and the network's settings."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from netapp.access import PLAN, READ, RUN, may, meeting_for
from netapp.auth.models import utcnow
from netapp.extensions import db
from netapp.meetings import (
    attendance,
    bp,
    changes,
    mailing,
    planning,
    summary,
    tasks,
    wishes,
)
from netapp.meetings.forms import (
    AnswerForm,
    EditMeetingForm,
    GoalForm,
    MailForm,
    MeetingForm,
    SeriesForm,
    SettingsForm,
)
from netapp.meetings.models import MeetingKind
from netapp.meetings.zones import to_local, zone_of
from netapp.networks.access import network_for
from netapp.networks.models import Role
from netapp.once import answered, earlier_answer, first_button, first_submit


def slot_from(form: MeetingForm) -> planning.Slot:
    """The form's fields as a planning slot (host and budget only when given)."""
    return planning.Slot(
        day=form.day.data,
        start=form.start.data,
        end=form.end.data,
        kind=MeetingKind(form.kind.data),
        venue=form.venue.data or "",
        video_link=form.video_link.data or "",
        topic=form.topic.data or "",
        description=form.description.data or "",
        host_id=int(form.host_id.data) if form.host_id.data else None,
        budget_per_person=form.budget_per_person.data,
    )


def show_errors(form, error: ValueError) -> None:
    """Put a service's errors beside the form's fields."""
    for field, message in error.errors.items():
        getattr(form, field, form.day).errors.append(message)


def meeting_form(form_class, network, meeting=None):
    """A meeting or series form with the network's people as hosts, filled from a meeting."""
    form = form_class(obj=meeting)
    form.set_hosts(tasks.candidates(network.id))
    if meeting is not None and not form.is_submitted():
        start, end = (
            to_local(meeting.starts_at, zone_of(network)),
            to_local(meeting.ends_at, zone_of(network)),
        )
        form.day.data, form.start.data, form.end.data = start.date(), start.time(), end.time()
        form.kind.data, form.host_id.data = meeting.kind.value, str(meeting.host_id or "")
    if meeting is None and not form.is_submitted():
        form.budget_per_person.data = planning.settings_for(network.id).lunch_budget
    return form


@bp.get("/network/<int:network_id>")
@login_required
def network_meetings(network_id: int):
    """The network's upcoming and past meetings, with my answer to each."""
    network, membership = network_for(network_id)
    meetings = planning.visible_meetings(network.id, current_user.id, membership.role)
    upcoming, past = summary.split_by_time(meetings, utcnow())
    answers = attendance.my_answers(current_user.id, [m.id for m in meetings])
    return render_template(
        "meetings/list.html",
        network=network,
        membership=membership,
        upcoming=upcoming,
        past=past,
        answers=answers,
    )


@bp.get("/<int:meeting_id>")
@login_required
def meeting(meeting_id: int):
    """A meeting: time and place, my answer, agenda, tasks, follow-up and summary."""
    loaded = summary.meeting_page(meeting_id)  # held: the session keeps loaded rows weakly
    if loaded is None:
        abort(404)
    meeting, network, membership = meeting_for(meeting_id)
    context = summary.page_context(meeting, membership, current_user.id, utcnow())
    form = AnswerForm(
        data={
            "answer": context["mine"].answer.value
            if context["mine"] and context["mine"].answer
            else None,
            "reason": context["mine"].reason if context["mine"] else "",
        }
    )
    return render_template(
        "meetings/meeting.html",
        meeting=meeting,
        network=network,
        membership=membership,
        can_run=may(membership, meeting.id, RUN),
        form=form,
        goal_form=GoalForm(),
        **context,
    )


@bp.route("/network/<int:network_id>/new", methods=["GET", "POST"])
@login_required
def new_meeting(network_id: int):
    """Plan one meeting (coordinators)."""
    network, _m = network_for(network_id, Role.COORDINATOR)
    form = meeting_form(MeetingForm, network)
    if form.validate_on_submit():
        if not first_submit(form):
            return redirect(
                earlier_answer(form) or url_for("meetings.network_meetings", network_id=network.id)
            )
        try:
            created = planning.create_meeting(network, slot_from(form), utcnow())
        except planning.PlanningError as error:
            db.session.rollback()  # frees the token: the corrected form is still the first
            show_errors(form, error)
        else:
            tasks.ensure_tasks(created)
            target = answered(form, url_for("meetings.meeting", meeting_id=created.id))
            db.session.commit()
            flash(_("The meeting is planned."), "ok")
            return redirect(target)
    return render_template("meetings/edit.html", form=form, network=network, meeting=None)


@bp.route("/network/<int:network_id>/series", methods=["GET", "POST"])
@login_required
def plan_series(network_id: int):
    """Plan a series in one step: same weekday and time every one to three months."""
    network, _m = network_for(network_id, Role.COORDINATOR)
    form = meeting_form(SeriesForm, network)
    if form.validate_on_submit():
        if not first_submit(form):
            return redirect(url_for("meetings.network_meetings", network_id=network.id))
        try:
            made = planning.plan_series(
                network, slot_from(form), form.count.data, int(form.every_months.data), utcnow(),
                planning.topic_lines(form.topics.data),
            )
        except planning.PlanningError as error:
            db.session.rollback()  # frees the token: the corrected form is still the first
            show_errors(form, error)
        else:
            for each in made:
                tasks.ensure_tasks(each)
            db.session.commit()
            flash(
                ngettext("%(n)s meeting is planned.",
                         "%(n)s meetings are planned. Each can be changed on its own.",
                         len(made), n=len(made)), "ok"
            )
            return redirect(url_for("meetings.network_meetings", network_id=network.id))
    return render_template("meetings/series.html", form=form, network=network,
                           suggestions=wishes.topic_suggestions(network.id))


@bp.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit_meeting(meeting_id: int):
    """Change a meeting's time, place, host, topic or description (coordinators); a moved
    meeting or a new place is e-mailed to the invitees as a calendar update if asked."""
    meeting, network, _m = meeting_for(meeting_id, PLAN)
    form = meeting_form(EditMeetingForm, network, meeting)
    if not form.is_submitted():
        form.sequence.data = str(meeting.sequence)
    if form.validate_on_submit():
        try:
            old, changed = changes.change_meeting(meeting, slot_from(form), utcnow(), form.seen())
        except planning.PlanningError as error:
            show_errors(form, error)
        except changes.ChangeRefused as refused:
            form.sequence.data = str(meeting.sequence)  # what is typed stays; now on the newer
            form.form_errors.append(refused.message)
        else:
            told = _tell_invitees(form, meeting, old, changed)
            db.session.commit()
            flash(_("The meeting is saved. Invitees e-mailed the change: %(n)s.", n=told)
                  if told else _("The meeting is saved."), "ok")
            return redirect(url_for("meetings.meeting", meeting_id=meeting.id))
    return render_template("meetings/edit.html", form=form, network=network, meeting=meeting,
                           now=utcnow())


def _tell_invitees(form, meeting, old, changed) -> int:
    """Send the update when the coordinator asked, the meeting was invited to and is to come."""
    if not (changed and form.tell_invitees.data and meeting.invited_at
            and meeting.ends_at > utcnow()):
        return 0
    return mailing.send_update(meeting, old, changed)


@bp.post("/<int:meeting_id>/cancel")
@login_required
def cancel_meeting(meeting_id: int):
    """Cancel a meeting (coordinators): it stays, shown as cancelled, and every invitee's
    calendar is told to drop it."""
    # READ, then PLAN asked of the same rule: cancelled meanwhile (another tab, a second
    # copy of this POST) is told so on the meeting's page, not with the 409 page.
    meeting, _n, membership = meeting_for(meeting_id, READ)
    if not may(membership, meeting.id, PLAN):
        abort(403)
    if not first_button(MailForm()):
        return redirect(url_for("meetings.meeting", meeting_id=meeting.id))
    try:
        changes.cancel_meeting(meeting, utcnow())
    except changes.ChangeRefused as refused:
        flash(refused.message, "error")
        return redirect(url_for("meetings.meeting", meeting_id=meeting.id))
    told = mailing.send_cancellation(meeting) if meeting.invited_at else 0
    db.session.commit()
    flash(_("The meeting is cancelled. Invitees told: %(n)s.", n=told) if told
          else _("The meeting is cancelled."), "ok")
    return redirect(url_for("meetings.meeting", meeting_id=meeting.id))


@bp.post("/<int:meeting_id>/delete")
@login_required
def delete_meeting(meeting_id: int):
    """Remove a meeting nobody was invited to (coordinators); an invited one is cancelled."""
    meeting, network, _m = meeting_for(meeting_id, PLAN)
    try:
        changes.delete_meeting(meeting)
    except changes.ChangeRefused as refused:
        flash(refused.message, "error")
        return redirect(url_for("meetings.edit_meeting", meeting_id=meeting.id))
    db.session.commit()
    flash(_("The meeting is removed."), "ok")
    return redirect(url_for("meetings.network_meetings", network_id=network.id))


@bp.route("/network/<int:network_id>/settings", methods=["GET", "POST"])
@login_required
def settings(network_id: int):
    """Reminder days, answer deadline and the lunch-to-lunch budget (coordinators)."""
    network, _m = network_for(network_id, Role.COORDINATOR)
    form = SettingsForm(obj=planning.settings_for(network.id), timezone=network.timezone)
    if form.validate_on_submit():
        planning.save_settings(
            network.id,
            reminder_days_before=form.reminder_days_before.data,
            answer_deadline_days=form.answer_deadline_days.data,
            lunch_budget=form.lunch_budget.data,
        )
        network.timezone = form.timezone.data
        db.session.commit()
        flash(_("The settings are saved."), "ok")
        return redirect(url_for("meetings.network_meetings", network_id=network.id))
    return render_template("meetings/settings.html", form=form, network=network)
