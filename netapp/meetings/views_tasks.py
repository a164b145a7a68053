"""Practical tasks of a meeting: sharing them out, taking, releasing, assigning."""

from flask import abort, request
from flask_login import current_user, login_required

from netapp.access import PLAN, READ, meeting_for
from netapp.extensions import db
from netapp.htmx import render
from netapp.hygiene import as_id
from netapp.meetings import bp, tasks
from netapp.meetings.forms import AssignForm


def _tasks_page(meeting, network, membership):
    form = AssignForm(formdata=None)
    people = tasks.candidates(network.id)
    return render(
        "meetings/tasks.html",
        "meetings/_tasks.html",
        meeting=meeting,
        network=network,
        membership=membership,
        people=people,
        form=form,
    )


@bp.get("/<int:meeting_id>/tasks")
@login_required
def meeting_tasks(meeting_id: int):
    """The meeting's practical tasks, who has each, and buttons to take or give them."""
    meeting, network, membership = meeting_for(meeting_id, READ)
    return _tasks_page(meeting, network, membership)


@bp.post("/<int:meeting_id>/tasks/share-out")
@login_required
def share_out(meeting_id: int):
    """Give every open task to the member who did that task least recently (coordinators)."""
    meeting, network, membership = meeting_for(meeting_id, PLAN)
    tasks.share_out(meeting)
    db.session.commit()
    return _tasks_page(meeting, network, membership)


@bp.post("/<int:meeting_id>/tasks/<int:task_id>/<any(take, release, done):action>")
@login_required
def task_action(meeting_id: int, task_id: int, action: str):
    """Take a free task, give back or tick off one's own (coordinators: any)."""
    meeting, network, membership = meeting_for(meeting_id, READ)
    task = tasks.task_of(meeting, task_id) or abort(404)
    mine, coordinating = task.assignee_id == current_user.id, membership.is_coordinator
    if action == "take" and task.assignee_id is None:
        tasks.assign(task, current_user.id) if _may_take(task, membership) else abort(403)
    elif action == "release" and (mine or coordinating):
        task.assignee_id = None
    elif action == "done" and (mine or coordinating):
        task.done = not task.done
    elif action != "take":
        abort(403)
    db.session.commit()
    return _tasks_page(meeting, network, membership)


def _may_take(task, membership) -> bool:
    return membership.is_participant or task.kind.value == "facilitation"


@bp.post("/<int:meeting_id>/tasks/<int:task_id>/assign")
@login_required
def task_assign(meeting_id: int, task_id: int):
    """Give a task to a member, or free it (coordinators)."""
    meeting, network, membership = meeting_for(meeting_id, PLAN)
    task = tasks.task_of(meeting, task_id) or abort(404)
    chosen = as_id(request.form.get("assignee_id", ""))
    try:
        tasks.assign(task, chosen)
    except LookupError:
        abort(400)
    db.session.commit()
    return _tasks_page(meeting, network, membership)

