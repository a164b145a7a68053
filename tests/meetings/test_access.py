"""Authorization matrix: every meetings route × every kind of visitor, from one table.

A route without a row fails `test_every_route_has_a_row`, so a new fragment cannot slip through.
Codes: 200 page or fragment, 302 redirect after a POST (or to the login for anonymous),
403 wrong role in the network, 404 not a member (another network's ids reveal nothing),
400 a public link with a bad token. The guest facilitator here does NOT facilitate the meeting
(`test_a_guest_facilitator_runs_only_their_meeting` covers the one who does); the network's
facilitator does not hold its facilitation task either, and runs it all the same.
"""

from datetime import datetime

import pytest

from netapp.extensions import db
from netapp.meetings import goals, wishes
from netapp.meetings.attendance import answer_token
from netapp.meetings.calendar import reset_feed
from netapp.meetings.models import AgendaItem, TaskKind
from tests import factories as f
from tests.submits import once

ROLES = ("anonymous", "member", "guest", "facilitator", "coordinator", "other", "admin")
LOGIN = 302
# role order:        anon   member guest fac  coord other admin
R_ALL = (LOGIN, 200, 200, 200, 200, 404, 404)  # the network's meeting list (guests: filtered)
R_READ = (LOGIN, 200, 403, 200, 200, 404, 404)  # a meeting's content
R_PLAN = (LOGIN, 403, 403, 403, 200, 404, 404)  # coordinators' pages
P_PLAN = (LOGIN, 403, 403, 403, 302, 404, 404)
F_PLAN = (LOGIN, 403, 403, 403, 200, 404, 404)  # htmx fragments answer 200
R_NET = (LOGIN, 200, 403, 403, 200, 404, 404)  # goals and wishes: participants only
P_NET = (LOGIN, 302, 403, 403, 302, 404, 404)
P_TAKE_PART = (LOGIN, 302, 403, 403, 302, 404, 404)  # answer, goal: facilitators take no part
R_RUN = (LOGIN, 403, 403, 200, 200, 404, 404)  # the network's facilitator runs every meeting
P_RUN = (LOGIN, 403, 403, 302, 302, 404, 404)
MINE = (LOGIN, 200, 200, 200, 200, 200, 200)  # the visitor's own calendar page
MINE_POST = (LOGIN, 302, 302, 302, 302, 302, 302)
PUBLIC = (200,) * 7  # token links: the token is the key

TABLE = {
    "meetings.network_meetings": ("GET", "/meetings/network/{net}", R_ALL),
    "meetings.meeting": ("GET", "/meetings/{m}", R_READ),
    "meetings.new_meeting": ("GET", "/meetings/network/{net}/new", R_PLAN),
    "meetings.plan_series": ("GET", "/meetings/network/{net}/series", R_PLAN),
    "meetings.edit_meeting": ("GET", "/meetings/{m}/edit", R_PLAN),
    "meetings.delete_meeting": ("POST", "/meetings/{m}/delete", P_PLAN),
    "meetings.settings": ("GET", "/meetings/network/{net}/settings", R_PLAN),
    "meetings.agenda_editor": ("GET", "/meetings/{m}/agenda", R_PLAN),
    "meetings.agenda_print": ("GET", "/meetings/{m}/agenda/print", R_READ),
    "meetings.agenda_template": ("POST", "/meetings/{m}/agenda/template", P_PLAN),
    "meetings.agenda_add": ("POST", "/meetings/{m}/agenda/items", F_PLAN),
    "meetings.agenda_edit": ("GET", "/meetings/{m}/agenda/items/{item}/edit", R_PLAN),
    "meetings.agenda_update": ("POST", "/meetings/{m}/agenda/items/{item}", F_PLAN),
    "meetings.agenda_move": ("POST", "/meetings/{m}/agenda/items/{item}/move/down", P_PLAN),
    "meetings.agenda_delete": ("POST", "/meetings/{m}/agenda/items/{item}/delete", P_PLAN),
    "meetings.answer": ("POST", "/meetings/{m}/answer", P_TAKE_PART),
    "meetings.rsvp": ("GET", "/meetings/{m}/rsvp/{token}", PUBLIC),
    "meetings.invite": ("POST", "/meetings/{m}/invite", P_PLAN),
    "meetings.remind": ("POST", "/meetings/{m}/remind", P_PLAN),
    "meetings.checkin": ("GET", "/meetings/{m}/checkin", R_RUN),
    "meetings.toggle_checkin": ("POST", "/meetings/{m}/checkin/{member}", P_RUN),
    "meetings.meeting_ics": ("GET", "/meetings/{m}/meeting.ics", R_READ),
    "meetings.network_goals": ("GET", "/meetings/network/{net}/goals", R_NET),
    "meetings.meeting_goal": ("POST", "/meetings/{m}/goals", P_TAKE_PART),
    "meetings.goal_follow_up": (
        "POST",
        "/meetings/goals/{goal}/follow-up",
        (LOGIN, 302, 403, 403, 403, 404, 404),
    ),  # only the owner (member)
    "meetings.meeting_summary": ("GET", "/meetings/{m}/summary", R_PLAN),
    "meetings.send_summary": ("POST", "/meetings/{m}/summary/send", P_PLAN),
    "meetings.calendar_page": ("GET", "/meetings/calendar", MINE),
    "meetings.calendar_reset": ("POST", "/meetings/calendar/reset", MINE_POST),
    "meetings.feed": ("GET", "/meetings/feed/{feed}.ics", PUBLIC),
    "meetings.meeting_tasks": ("GET", "/meetings/{m}/tasks", R_READ),
    "meetings.share_out": ("POST", "/meetings/{m}/tasks/share-out", F_PLAN),
    "meetings.task_action": (
        "POST",
        "/meetings/{m}/tasks/{task}/take",
        (LOGIN, 200, 403, 403, 200, 404, 404),  # a free catering task: participants only
    ),
    "meetings.task_assign": ("POST", "/meetings/{m}/tasks/{task}/assign", F_PLAN),
    "meetings.topic_wishes": ("GET", "/meetings/network/{net}/wishes", R_NET),
    "meetings.wish_vote": (
        "POST",
        "/meetings/network/{net}/wishes/{wish}/vote",
        (LOGIN, 200, 403, 403, 200, 404, 404),
    ),
    "meetings.wish_adopt": ("POST", "/meetings/network/{net}/wishes/{wish}/adopt", P_PLAN),
}


def _ids(world, app):
    mtg = f.meeting(world.net, topic="Konflikter")
    item = AgendaItem(meeting_id=mtg.id, title="Sparring", minutes=30, position=0)
    db.session.add(item)
    task = f.task(mtg, "catering")
    goal = goals.create_goal(world.net, world.members[0], "Mit mål")
    wish = wishes.add_wish(world.net.id, world.members[1].id, "topic", "Delegering")
    feed = reset_feed(world.members[0].id)
    db.session.commit()
    with app.test_request_context():
        token = answer_token(mtg, world.members[0])
    return {
        "net": world.net.id,
        "m": mtg.id,
        "item": item.id,
        "task": task.id,
        "goal": goal.id,
        "wish": wish.id,
        "feed": feed,
        "token": token,
        "member": world.members[2].id,
    }


def _visitor(world, role):
    return {
        "anonymous": None,
        "member": world.members[0],
        "guest": world.guest,
        "facilitator": world.facilitator,
        "coordinator": world.coordinator,
        "other": world.other_coordinator,
        "admin": world.admin,
    }[role]


def _enter(client, user, token=None) -> None:
    """Log in by session (the login form's scrypt check would make 200 logins slow)."""
    with client.session_transaction() as session:
        session.clear()
        if user is not None:
            session["_user_id"], session["_fresh"] = token or f.device_token(user), True


def test_every_route_has_a_row(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("meetings.")}
    assert endpoints == set(TABLE), f"missing rows: {endpoints - set(TABLE)}"


@pytest.mark.parametrize("endpoint", sorted(TABLE))
def test_access(app, client, world, endpoint):
    method, pattern, expected = TABLE[endpoint]
    for role, code in zip(ROLES, expected, strict=True):
        ids = _ids(world, app)
        _enter(client, _visitor(world, role))
        data = {
            "answer": "yes",
            "which": "following",
            "title": "T",
            "minutes": "5",
            "kind": "other",
            "text": "Et mål",
            "status": "done",
            "meeting_id": ids["m"],
            "assignee_id": str(world.members[1].id),
            "summary": "Opsamling",
            "password": f.PASSWORD,
            "once": once(),
        }
        response = client.open(
            pattern.format(**ids),
            method=method,
            data=data,
            headers={"HX-Request": "true"} if code == 200 and method == "POST" else {},
        )
        assert response.status_code == code, (role, response.status_code, response.text[:300])


def test_a_guest_facilitator_runs_only_their_meeting(client, login_as, world):
    mtg = f.meeting(world.net)
    f.task(mtg, TaskKind.FACILITATION.value, world.guest)
    f.answer(f.meeting(world.net, starts_at=datetime(2020, 1, 1, 12)), world.members[0], "yes")
    login_as(world.guest)
    assert client.get(f"/meetings/{mtg.id}").status_code == 200
    assert client.get(f"/meetings/{mtg.id}/checkin").status_code == 200
    assert client.post(f"/meetings/{mtg.id}/checkin/{world.members[0].id}").status_code == 302
    assert client.get(f"/meetings/{mtg.id}/agenda").status_code == 403
    assert client.post(f"/meetings/{mtg.id}/answer", data={"answer": "yes"}).status_code == 403
    listing = client.get(f"/meetings/network/{world.net.id}")
    assert listing.text.count("meeting-row") == 1  # only the meeting they facilitate


def test_get_never_writes(app, client, world):
    """A flush during any GET of the table fails the test."""
    import sqlalchemy as sa

    ids = _ids(world, app)
    tokens = {role: f.device_token(_visitor(world, role)) for role in ROLES
              if _visitor(world, role) is not None}  # made before the flushes are watched
    writes = []

    def on_flush(session, context, instances):
        if session.new or session.dirty or session.deleted:
            writes.append(True)

    sa.event.listen(db.session, "before_flush", on_flush)
    try:
        for role in ROLES:
            _enter(client, _visitor(world, role), tokens.get(role))
            for method, pattern, _codes in TABLE.values():
                if method == "GET":
                    client.get(pattern.format(**ids))
                    assert writes == [], (role, pattern)
    finally:
        sa.event.remove(db.session, "before_flush", on_flush)
