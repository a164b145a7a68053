"""Goals and their follow-up."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from netapp.access import READ, meeting_for, members_only
from netapp.auth.models import utcnow
from netapp.extensions import db
from netapp.hygiene import as_id
from netapp.meetings import bp, goals
from netapp.meetings.forms import FollowUpForm, GoalForm
from netapp.meetings.models import Goal, GoalStatus
from netapp.once import first_submit


@bp.route("/network/<int:network_id>/goals", methods=["GET", "POST"])
@login_required
def network_goals(network_id: int):
    """The network's goals (members only); record one of my own."""
    network, membership = members_only(network_id)
    form = GoalForm()
    if form.validate_on_submit():
        if first_submit(form):
            goals.create_goal(network, current_user, form.text.data)
        db.session.commit()
        flash(_("Your goal is saved. The others will ask about it next time."), "ok")
        return redirect(url_for("meetings.network_goals", network_id=network.id))
    return render_template(
        "meetings/goals.html",
        network=network,
        membership=membership,
        form=form,
        goals=goals.network_goals(network.id),
        follow_up_form=FollowUpForm(formdata=None),
    )


@bp.post("/<int:meeting_id>/goals")
@login_required
def meeting_goal(meeting_id: int):
    """Record a goal at a meeting."""
    meeting, network, membership = meeting_for(meeting_id, READ)
    if not membership.is_participant:
        abort(403)
    form = GoalForm()
    if form.validate_on_submit():
        if first_submit(form):
            goals.create_goal(network, current_user, form.text.data, meeting)
        db.session.commit()
        flash(_("Your goal is saved. The others will ask about it next time."), "ok")
    else:
        flash(_("Write the goal in at most 1,000 characters."), "error")
    return redirect(url_for("meetings.meeting", meeting_id=meeting.id) + "#goals")


@bp.post("/goals/<int:goal_id>/follow-up")
@login_required
def goal_follow_up(goal_id: int):
    """The owner records what became of the goal."""
    goal = db.session.get(Goal, goal_id) or abort(404)
    network, _m = members_only(goal.network_id)
    if goal.owner_id != current_user.id:
        abort(403)
    form = FollowUpForm()
    if form.validate_on_submit():
        goals.follow_up(goal, GoalStatus(form.status.data), form.note.data, utcnow())
        db.session.commit()
        flash(_("Thank you, the follow-up is saved."), "ok")
    else:
        flash(_("Choose done, under way or dropped, and keep the note short."), "error")
    back = as_id(request.form.get("back_to_meeting", ""))
    if back is not None:  # only ever a page of this app: a meeting id, not a URL
        return redirect(url_for("meetings.meeting", meeting_id=back) + "#goals")
    return redirect(url_for("meetings.network_goals", network_id=network.id))

