"""OWASP ASVS 5.0 8.2.1/8.3.1/8.4.1: every route × every persona, expectations in one table.

A route without a row fails the test, so a new page or fragment cannot slip through
unchecked. Every answer is checked for its exact status. Denied means: anonymous → sent to
login; a member of another network or an organisation admin → 404 wherever the URL names an
object of network A (ids of other networks reveal nothing); the wrong role inside the
network → 403, or 404 where the object itself is hidden from them (HIDDEN). Allowed means a
page (200) or a redirect inside the app after a POST (302), or the answer ANSWERS names for
that route; nobody ever gets a 5xx, and no GET, for any persona, writes to the database (the
autouse `get_never_writes` guard of tests/conftest.py fails the request).

The world (tests/access_world.py) has a real object of network A for every URL argument.
Requests that change who is who or what exists (CHANGES_WORLD) run in a fresh world of their
own for each persona the table lets through, so an allowed one cannot pull the ground from
under the requests after it; a denied one changes nothing and runs in the shared world,
which is built again if the denial failed, so a failure is reported once instead of as a
cascade of later failures.
"""

import pytest

from netapp.extensions import db
from netapp.live.models import CaseNote
from tests import access_world
from tests import factories as f
from tests.submits import once

# "phase_member" is a participant per phase brought into phase 1 only: the meeting under test
# lies in phase 2, so it and its content are closed to them (their own phase's meeting is
# tested below, test_participant_per_phase_opens_their_phase).
# "facilitator" is the network's own and does not hold the meeting's facilitation task;
# "guest" is a guest facilitator of another meeting of network A. "other_member" and
# "other_coordinator" belong to network B of the same organisation; "stranger_admin"
# administers another organisation.
PERSONAS = ("anonymous", "member", "facilitator", "guest", "coordinator", "phase_member",
            "other_member", "other_coordinator", "org_admin", "stranger_admin")

# Shorthands for who gets through. Everyone else is denied.
ANYONE = set(PERSONAS)
LOGGED_IN = ANYONE - {"anonymous"}
IN_NETWORK = {"member", "facilitator", "guest", "coordinator", "phase_member"}  # its own pages
IN_MEETING = {"member", "facilitator", "coordinator"}  # not a guest of another meeting, nor
# a participant of another phase
MEMBERS = {"member", "coordinator"}  # the core participants: not the facilitators
PARTICIPANTS = MEMBERS | {"phase_member"}  # core and per phase
RUNNERS = {"facilitator", "coordinator"}
COORDINATOR = {"coordinator"}
ORG_ADMIN = {"org_admin"}  # of network A's organisation
ADMINS = {"org_admin", "stranger_admin"}  # of any organisation
OUTSIDERS = {"other_member", "other_coordinator", "org_admin", "stranger_admin"}

# endpoint → who may use it (for each of its methods).
ACCESS: dict[str, set[str]] = {
    "static": ANYONE,
    "main.index": ANYONE,
    "main.home": LOGGED_IN,
    "main.healthz": ANYONE,
    "auth.login": ANYONE,
    "auth.logout": LOGGED_IN,
    "auth.language": ANYONE,  # the profile's language, or this browser's
    "auth.logout_everywhere": LOGGED_IN,
    "auth.confirm_email": {"anonymous", "member"},  # token route: the member's new address
    "auth.forgot": ANYONE,
    "auth.reset": ANYONE,  # token route (see TOKEN_ROUTES)
    "auth.password": LOGGED_IN,
    "auth.profile": LOGGED_IN,
    "privacy.policy": ANYONE,
    "privacy.export": LOGGED_IN,
    "privacy.delete": LOGGED_IN,
    # --- networks ---
    "networks.network": IN_NETWORK,
    "networks.members": IN_NETWORK,  # a guest sees names, not contact details
    "networks.composition": PARTICIPANTS,  # figures only
    "networks.phases_plan": COORDINATOR,  # and the co-driver (tests/networks/test_phases.py)
    "networks.edit_phase": COORDINATOR,
    "networks.delete_phase": COORDINATOR,
    "networks.set_co_driver": COORDINATOR,
    "networks.org_network": ORG_ADMIN,  # the set-up answers and the phase plan: no content
    "networks.contract": IN_NETWORK,
    "networks.accept_contract": IN_NETWORK,
    "networks.create_contract": COORDINATOR,
    "networks.edit_contract": COORDINATOR,
    "networks.add_rule": COORDINATOR,
    "networks.rule_action": COORDINATOR,
    "networks.setup": COORDINATOR,
    "networks.invitations": COORDINATOR,
    "networks.invitation_link": COORDINATOR,
    "networks.invitation_action": COORDINATOR,
    "networks.join_link": COORDINATOR,
    "networks.decide_request": COORDINATOR,
    "networks.change_role": COORDINATOR,
    "networks.remove_member": COORDINATOR,
    "networks.hand_on": COORDINATOR,
    "networks.leave": IN_NETWORK,  # the last coordinator is told to hand on first
    "networks.invitation": ANYONE,  # token route: the invitation link is the key
    "networks.join": LOGGED_IN,  # token route: the open network's join link, after login
    # Coordinators of any network and organisation admins may start a network.
    "networks.new": {"coordinator", "other_coordinator"} | ADMINS,
    "networks.profile": LOGGED_IN,
    "networks.org_home": ADMINS,  # on to their own organisation
    "networks.org": ORG_ADMIN,
    "networks.org_new": ORG_ADMIN,
    "networks.org_coordinators": ORG_ADMIN,
    "networks.org_unappoint": ORG_ADMIN,
    # --- meetings (the network's facilitator runs every one; a guest only their own) ---
    "meetings.network_meetings": IN_NETWORK,  # a guest: only the meetings they facilitate
    "meetings.meeting": IN_MEETING,
    "meetings.new_meeting": COORDINATOR,
    "meetings.plan_series": COORDINATOR,
    "meetings.planning_year": COORDINATOR,
    "meetings.edit_meeting": COORDINATOR,
    "meetings.delete_meeting": COORDINATOR,
    "meetings.cancel_meeting": COORDINATOR,
    "meetings.settings": COORDINATOR,
    "meetings.agenda_editor": COORDINATOR,
    "meetings.agenda_print": IN_MEETING,
    "meetings.agenda_template": COORDINATOR,
    "meetings.agenda_add": COORDINATOR,
    "meetings.agenda_edit": COORDINATOR,
    "meetings.agenda_update": COORDINATOR,
    "meetings.agenda_move": COORDINATOR,
    "meetings.agenda_delete": COORDINATOR,
    "meetings.answer": MEMBERS,
    "meetings.rsvp": ANYONE,  # token route: the e-mailed answer link
    "meetings.invite": COORDINATOR,
    "meetings.remind": COORDINATOR,
    "meetings.checkin": RUNNERS,
    "meetings.toggle_checkin": RUNNERS,
    "meetings.meeting_ics": IN_MEETING,
    "meetings.network_goals": MEMBERS,  # goals are confidential to the members
    "meetings.meeting_goal": MEMBERS,
    "meetings.goal_follow_up": {"member"},  # only the goal's owner
    "meetings.meeting_summary": COORDINATOR,
    "meetings.send_summary": COORDINATOR,
    "meetings.calendar_page": LOGGED_IN,
    "meetings.calendar_reset": LOGGED_IN,
    "meetings.feed": ANYONE,  # token route: the private calendar feed
    "meetings.meeting_tasks": IN_MEETING,
    "meetings.share_out": COORDINATOR,
    "meetings.task_action": MEMBERS,  # a guest facilitator may take only the facilitation
    "meetings.task_assign": COORDINATOR,
    "meetings.topic_wishes": MEMBERS,
    "meetings.wish_vote": MEMBERS,
    "meetings.wish_adopt": COORDINATOR,
    # --- live ---
    "live.meeting": IN_MEETING,
    "live.create": RUNNERS,
    "live.flipover": IN_MEETING,
    "live.add_point": IN_MEETING,
    "live.facilitate": RUNNERS,
    "live.tablet": IN_MEETING,
    "live.projector": IN_MEETING,
    "live.clock": IN_MEETING,
    "live.events": IN_MEETING,
    "live.room_control": RUNNERS,
    "live.control": RUNNERS,
    "live.start_all": RUNNERS,
    "live.options": RUNNERS,
    "live.order": RUNNERS,
    "live.regroup": RUNNERS,
    "live.move": RUNNERS,
    "live.add_question": RUNNERS,
    "live.group": IN_MEETING,
    "live.group_clock": IN_MEETING,
    "live.group_control": RUNNERS,  # a group the member does not sit in
    "live.group_notes": IN_MEETING,  # each reader sees only their own notes
    "live.add_note": IN_MEETING,  # anyone may try; only the round's note-takers store one
    "live.note_goal": {"member"},  # only the note's case-giver
    "live.run": RUNNERS,
    "live.run_move": RUNNERS,
    "live.run_open": RUNNERS,
    "live.programme_screen": IN_MEETING,
    "live.programme_clock": IN_MEETING,
    "live.now": IN_MEETING,
    "live.meeting_events": IN_MEETING,  # the programme's change stream
    "live.rename": RUNNERS,
    "live.delete": RUNNERS,
    "live.group_roles": IN_MEETING,  # the group's own members, and those who run the meeting
    # --- evaluations ---
    "evaluations.index": IN_NETWORK,  # a guest: only the meetings they facilitate
    "evaluations.answer": IN_MEETING,
    "evaluations.round": RUNNERS,
    "evaluations.open_round": RUNNERS,
    "evaluations.close_round": RUNNERS,
    "evaluations.qr": RUNNERS,
    "evaluations.kiosk": RUNNERS,
    "evaluations.kiosk_start": RUNNERS,
    "evaluations.kiosk_leave": RUNNERS,
    "evaluations.health": COORDINATOR,
    "evaluations.settings": COORDINATOR,
    "evaluations.export": COORDINATOR,
    "evaluations.org": ORG_ADMIN,
}

# Routes guarded by a secret in the URL instead of (or besides) a login: whoever holds the
# link is let through, so the world gives each a valid token and the rows above classify
# that; a wrong token must open nothing, for every persona (status expected for it).
TOKEN_ROUTES = {
    "auth.reset": 400,
    "auth.confirm_email": 400,
    "meetings.rsvp": 400,
    "meetings.feed": 404,
    "networks.invitation": 404,
    "networks.join": 404,  # anonymous: the login first
}
# Routes that redirect by design (the front door, the login page once logged in, logging
# out ends at the login page).
REDIRECTS = {"main.index", "auth.login", "auth.logout", "auth.logout_everywhere",
             "networks.profile"}  # the member profile is a part of the one profile page
# URL arguments naming an object of network A or its organisation: outsiders get 404 there.
A_IDS = {"network_id", "organisation_id", "org_id", "meeting_id", "item_id", "task_id",
         "phase_id",
         "goal_id", "wish_id", "user_id", "rule_id", "invitation_id", "request_id",
         "membership_id", "exercise_id", "group_id", "note_id"}
# Requests that change the world for the requests after them (end a session, remove a
# person or an object, spend or rotate a token, hand a role on, form groups again): each
# runs in a fresh world of its own.
CHANGES_WORLD = {
    ("auth.logout", "POST"),
    ("privacy.delete", "POST"),
    ("networks.leave", "POST"),
    ("networks.remove_member", "POST"),
    ("networks.hand_on", "POST"),
    ("networks.org_unappoint", "POST"),
    ("networks.delete_phase", "POST"),
    ("networks.invitation", "POST"),
    ("auth.logout_everywhere", "POST"),
    ("auth.confirm_email", "POST"),
    ("networks.invitation_action", "POST"),
    ("networks.join_link", "POST"),
    ("networks.decide_request", "POST"),
    ("meetings.delete_meeting", "POST"),
    ("meetings.cancel_meeting", "POST"),
    ("meetings.agenda_delete", "POST"),
    ("meetings.calendar_reset", "POST"),
    ("live.regroup", "POST"),
    ("live.delete", "POST"),
    ("evaluations.kiosk_start", "POST"),  # the tablet is locked to the kiosk after it
    ("meetings.toggle_checkin", "POST"),  # once someone is checked in, only they are present
}
# Confidential content is readable only by those the feature names. A sparring
# note is the case-giver's (and its author's, who is no persona here); goals are the members',
# and whoever runs a meeting sees those of the people coming, because they run the
# follow-up round that opens the meeting (the network's goal page stays members-only:
# netapp.access.members_only); anonymous evaluation text is read by those who run the
# round, without the author's name (tests/evaluations/test_anonymity.py), and a guest
# facilitator only of the meetings they facilitate. The organisation admin sees figures,
# never text.
# A meeting's own text (its description) is read by those who may open the meeting: not a
# participant per phase of another phase, not a guest facilitator of another meeting (the
# member's calendar feed and answer link are the member's keys, whoever holds them:
# KEYS_SHOW).
READERS = {"note": {"member"}, "goal": MEMBERS | {"facilitator"}, "evaluation": RUNNERS,
           "meeting": IN_MEETING}
KEYS_SHOW = {"meeting"}
# Form data a route needs to get past its own checks (an unknown order action is a 404),
# or to reach its success answer instead of the form again; each POST also carries a fresh
# once-token.
DATA = {
    "live.order": {"action": "shuffle"},
    "meetings.agenda_template": {"which": "following", "mode": "add"},
    "meetings.calendar_reset": {"password": f.PASSWORD},  # a feed address asks for it
    "evaluations.answer": {"good": "The case round", "missed": "More time", "energy": "4",
                           "rating": "5", "comment": ""},
    "evaluations.settings": {"anonymous_text": "y", "check_every": "3"},
    "evaluations.kiosk_start": {"pin": "2468"},
}
# Where the wrong role inside the network gets 404, not 403: the object is hidden from them
# (an organisation exists only for its admin; a sparring note only for its case-giver).
HIDDEN = {"networks.org_home", "networks.org", "networks.org_network",
           "networks.org_new", "networks.org_coordinators",
          "networks.org_unappoint", "evaluations.org", "live.note_goal"}
# What a persona the table lets through gets, where it is not 200 for a GET and 302 for a
# POST. A form posted without its fields answers 200 with the form and its field messages;
# htmx fragments and files answer 200; the live controls answer 303 (see other).
FORM_AGAIN, SEE_OTHER = 200, 303
ANSWERS: dict[tuple[str, str], int | set[int]] = {
    ("auth.forgot", "POST"): FORM_AGAIN,
    ("auth.password", "POST"): FORM_AGAIN,
    ("auth.reset", "POST"): FORM_AGAIN,
    ("privacy.delete", "POST"): FORM_AGAIN,
    ("privacy.export", "POST"): 200,  # the export file
    ("networks.org_home", "GET"): 302,  # on to the admin's organisation
    ("networks.add_rule", "POST"): FORM_AGAIN,
    ("networks.invitations", "POST"): FORM_AGAIN,
    ("networks.invitation", "POST"): {200, 302},  # the addressee joins; others see the page
    ("networks.new", "POST"): FORM_AGAIN,
    ("networks.org_new", "POST"): FORM_AGAIN,
    ("networks.org_coordinators", "POST"): FORM_AGAIN,
    ("networks.phases_plan", "POST"): FORM_AGAIN,
    ("networks.edit_phase", "POST"): FORM_AGAIN,
    ("networks.set_co_driver", "POST"): 302,  # nothing chosen: nobody is the co-driver
    ("meetings.new_meeting", "POST"): FORM_AGAIN,
    ("meetings.plan_series", "POST"): FORM_AGAIN,
    ("meetings.edit_meeting", "POST"): FORM_AGAIN,
    ("meetings.settings", "POST"): FORM_AGAIN,
    ("meetings.network_goals", "POST"): FORM_AGAIN,
    ("meetings.topic_wishes", "POST"): FORM_AGAIN,
    ("meetings.rsvp", "POST"): FORM_AGAIN,
    ("meetings.agenda_add", "POST"): 200,  # the editor fragment
    ("meetings.agenda_update", "POST"): 200,
    ("meetings.share_out", "POST"): 200,
    ("meetings.task_action", "POST"): 200,
    ("meetings.task_assign", "POST"): 200,
    ("meetings.wish_vote", "POST"): 200,
    ("live.create", "POST"): FORM_AGAIN,
    ("live.add_point", "POST"): 200,  # the flip-over fragment
    ("live.add_question", "POST"): 200,
    ("live.control", "POST"): SEE_OTHER,
    ("live.start_all", "POST"): SEE_OTHER,
    ("live.room_control", "POST"): SEE_OTHER,
    ("live.options", "POST"): SEE_OTHER,
    ("live.order", "POST"): SEE_OTHER,
    ("live.regroup", "POST"): SEE_OTHER,
    ("live.move", "POST"): SEE_OTHER,
    ("live.group_control", "POST"): SEE_OTHER,
    ("live.add_note", "POST"): SEE_OTHER,
    ("live.note_goal", "POST"): SEE_OTHER,
    ("live.now", "GET"): 204,  # the programme is not running: nothing to follow
    ("live.run_move", "POST"): SEE_OTHER,
    ("live.run_open", "POST"): SEE_OTHER,
    ("live.rename", "POST"): SEE_OTHER,
    ("live.delete", "POST"): SEE_OTHER,
    ("live.group_roles", "POST"): SEE_OTHER,
    ("evaluations.kiosk", "POST"): 200,  # the kiosk is ready for the next person
    ("evaluations.export", "POST"): 200,  # the CSV file
}


def _url(rule, world, **replace) -> str:
    values = world.values(rule.endpoint) | replace
    missing = [arg for arg in rule.arguments if arg not in values]
    assert not missing, f"{rule.endpoint}: add an id for {missing} to tests/access_world.py"
    return rule.build({arg: values[arg] for arg in rule.arguments}, append_unknown=False)[1]


def _to_login(response) -> bool:
    location = response.headers.get("Location", "")
    return response.status_code == 302 and "/auth/login" in location


def _expected(persona: str, rule, method: str, allowed: bool) -> set[int]:
    """The exact statuses this persona may get from this route."""
    if allowed:
        default = 200 if method == "GET" else 302
        answer = ANSWERS.get((rule.endpoint, method), default)
        return answer if isinstance(answer, set) else {answer}
    if persona in OUTSIDERS and A_IDS & set(rule.arguments):
        return {404}
    return {404} if rule.endpoint in HIDDEN else {403}


def _problem(persona: str, rule, method: str, response, allowed: bool) -> str | None:
    """What is wrong with this answer for this persona, or None."""
    status = response.status_code
    if status >= 500:
        return "server error"
    if allowed and rule.endpoint in REDIRECTS:
        return "refused, but the table lets them through" if status >= 400 else None
    if allowed and _to_login(response):
        return "sent to the login, but the table lets them through"
    if not allowed and persona == "anonymous":
        return None if _to_login(response) else "expected a redirect to the login"
    expected = _expected(persona, rule, method, allowed)
    if status in expected:
        return None
    verdict = "allowed" if allowed else "denied"
    return f"expected {sorted(expected)} ({verdict})"


def _log_in(client, person) -> None:
    """Log in by session: a fresh world per destructive request would mean many scrypts."""
    with client.session_transaction() as session:
        session.clear()
        if person is not None:
            session["_user_id"], session["_fresh"] = f.device_token(person), True


def test_every_route_has_a_row(app):
    missing = sorted({r.endpoint for r in app.url_map.iter_rules()} - set(ACCESS))
    assert not missing, f"routes without a row in ACCESS: {missing}"
    assert set(TOKEN_ROUTES) <= set(ACCESS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_access(app, persona):
    world = access_world.build(app)
    client = app.test_client()
    if persona != "anonymous":  # once through the real login form
        response = client.post("/auth/login", data={"email": world.people[persona].email,
                                                    "password": f.PASSWORD})
        assert response.status_code == 302, f"{persona} could not log in"
    problems = []
    for rule in app.url_map.iter_rules():
        allowed = persona in ACCESS[rule.endpoint]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            here, url, now = client, _url(rule, world), world
            if (rule.endpoint, method) in CHANGES_WORLD and allowed:
                now = access_world.build(app)
                here, url = app.test_client(), _url(rule, now)
                _log_in(here, now.people.get(persona))
            data = DATA.get(rule.endpoint, {}) | {"once": once()}
            response = here.open(url, method=method, data=data)
            problem = _problem(persona, rule, method, response, allowed)
            if problem:
                problems.append(f"{method} {url}: {response.status_code} {problem}")
            problems += [f"{method} {url} shows the {kind}: {text!r}"
                         for text, kind in world.confidential.items()
                         if persona not in READERS[kind] and text.encode() in response.data
                         and not (kind in KEYS_SHOW and rule.endpoint in TOKEN_ROUTES)]
            response.close()
            if problem and now is world and (rule.endpoint, method) in CHANGES_WORLD:
                # a denial that let them through may have changed the world: start again
                world = access_world.build(app)
                client = app.test_client()
                _log_in(client, world.people.get(persona))
            if rule.endpoint in TOKEN_ROUTES and method == "GET":
                wrong = client.get(_url(rule, world, token="wrong-token"))
                wrong.close()
                expected = TOKEN_ROUTES[rule.endpoint]
                if wrong.status_code != expected and not (_to_login(wrong) and not allowed):
                    problems.append(f"GET {rule.endpoint} with a wrong token: "
                                    f"{wrong.status_code}, expected {expected}")
    db.session.expire_all()
    note = db.session.get(CaseNote, world.ids["note_id"])
    if note.text != access_world.NOTE_TEXT:
        problems.append(f"the sparring note was changed to {note.text!r}")
    assert not problems, f"{persona}:\n" + "\n".join(problems)


# The meeting routes a participant per phase opens on a meeting of their own phase, with what
# they then see; the same routes on a meeting of another phase are refused above (IN_MEETING).
PHASE_MEETING_GETS = {
    "meetings.meeting", "meetings.agenda_print", "meetings.meeting_ics", "meetings.meeting_tasks",
    "live.meeting", "live.flipover", "evaluations.answer",
}


def test_participant_per_phase_opens_their_phase(app):
    world = access_world.build(app)
    client = app.test_client()
    _log_in(client, world.people["phase_member"])
    own = world.ids["own_meeting_id"]
    rules = [r for r in app.url_map.iter_rules() if r.endpoint in PHASE_MEETING_GETS]
    assert {r.endpoint for r in rules} == PHASE_MEETING_GETS
    problems = []
    for rule in rules:
        url = _url(rule, world, meeting_id=own)
        response = client.get(url)
        if response.status_code != 200:
            problems.append(f"GET {url}: {response.status_code}, expected 200")
        if access_world.MEETING_TEXT.encode() in response.data:
            problems.append(f"GET {url} shows another phase's meeting")
    assert not problems, "\n".join(problems)
    # the network's meeting list and the home page show their phase's meeting, not the other's
    listing = client.get(f"/meetings/network/{world.ids['network_id']}").get_data(as_text=True)
    assert access_world.PHASE_TOPIC in listing and "Delegering" not in listing
    home = client.get("/home").get_data(as_text=True)
    assert "Delegering" not in home
    # they answer their own phase's invitation, not another phase's
    answer = {"answer": "yes", "reason": "", "once": once()}
    assert client.post(f"/meetings/{own}/answer", data=answer).status_code == 302
    other = {"answer": "yes", "reason": "", "once": once()}
    assert client.post(f"/meetings/{world.ids['meeting_id']}/answer",
                       data=other).status_code == 403
