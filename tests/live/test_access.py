"""Who may use each live route: a table keyed by endpoint; a new route without a row fails."""

import pytest
import sqlalchemy as sa

from netapp.extensions import db
from netapp.live.models import CaseNote
from netapp.networks.models import Role
from tests import factories as f
from tests.live.conftest import make_room

# The facilitator is the network's own and holds no task; the guest is a guest facilitator
# of another meeting of the network: denied everywhere on this one.
ROLES = ("anonymous", "member", "facilitator", "guest", "coordinator", "outsider", "admin")
OK, DENIED, HIDDEN, LOGIN = "ok", 403, 404, "login"
MEMBERS_ONLY = {"member": OK, "facilitator": OK, "coordinator": OK}
RUNNERS_ONLY = {"member": DENIED, "facilitator": OK, "coordinator": OK}

# endpoint: (method, path template, form data, expectations for network members)
# Outsiders (a member of another network) and the organisation admin always get 404, and
# anonymous visitors the login page, on every route.
TABLE = {
    "live.meeting": ("GET", "/live/meeting/{meeting}", None, MEMBERS_ONLY),
    "live.create": ("POST", "/live/meeting/{meeting}/exercises/presentation",
                    {"presentation-minutes": 2}, RUNNERS_ONLY),
    "live.flipover": ("GET", "/live/meeting/{meeting}/flipover", None, MEMBERS_ONLY),
    "live.add_point": ("POST", "/live/meeting/{meeting}/flipover", {"text": "Et punkt"},
                       MEMBERS_ONLY),
    "live.facilitate": ("GET", "/live/exercise/{presentation}/facilitate", None, RUNNERS_ONLY),
    "live.tablet": ("GET", "/live/exercise/{presentation}", None, MEMBERS_ONLY),
    "live.projector": ("GET", "/live/exercise/{presentation}/projector", None, MEMBERS_ONLY),
    "live.clock": ("GET", "/live/exercise/{sparring}/clock", None, MEMBERS_ONLY),
    "live.control": ("POST", "/live/exercise/{presentation}/control/start", {"version": 0},
                     RUNNERS_ONLY),
    "live.start_all": ("POST", "/live/exercise/{sparring}/start-all", {}, RUNNERS_ONLY),
    "live.options": ("POST", "/live/exercise/{presentation}/options", {"sound": "y"},
                     RUNNERS_ONLY),
    "live.order": ("POST", "/live/exercise/{presentation}/order", {"action": "shuffle"},
                   RUNNERS_ONLY),
    "live.regroup": ("POST", "/live/exercise/{interviews}/regroup", {}, RUNNERS_ONLY),
    "live.move": ("POST", "/live/exercise/{sparring}/move", {"person": 0, "group": 1},
                  RUNNERS_ONLY),
    "live.add_question": ("POST", "/live/exercise/{interviews}/questions", {"text": "Hvorfor?"},
                          RUNNERS_ONLY),
    "live.group": ("GET", "/live/group/{group}", None, MEMBERS_ONLY),
    "live.group_clock": ("GET", "/live/group/{group}/clock", None, MEMBERS_ONLY),
    # The group is one the member does not sit in: only its own members and facilitators run it.
    "live.group_control": ("POST", "/live/group/{group}/control/start", {"version": 0},
                           RUNNERS_ONLY),
    "live.group_notes": ("GET", "/live/group/{group}/notes", None, MEMBERS_ONLY),
    # Anyone in the network may try; only a note-taker of the round gets a note stored.
    "live.add_note": ("POST", "/live/group/{group}/notes", {"round": 0, "text": "x"},
                      MEMBERS_ONLY),
    # Only the case-giver, who is none of these.
    "live.note_goal": ("POST", "/live/note/{note}/goal", {"text": "Mål"},
                       {"member": HIDDEN, "facilitator": HIDDEN, "guest": HIDDEN,
                        "coordinator": HIDDEN}),
}


def test_every_live_route_has_a_row(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("live.")}
    assert endpoints == set(TABLE)


def _world():
    room = make_room(members=6)
    ids = {
        "meeting": room.meeting.id,
        "presentation": f.live_exercise(room.meeting, "presentation").id,
        "interviews": f.live_exercise(room.meeting, "interviews").id,
    }
    sparring = f.live_exercise(room.meeting, "sparring")
    ids["sparring"] = sparring.id
    group = next(g for g in sparring.groups if room.members[0].id not in g.member_ids)
    ids["group"] = group.id
    runners = {room.facilitator.id, room.coordinator.id}
    case_giver, author, *_ = [i for i in group.member_ids if i not in runners]
    note = CaseNote(group_id=group.id, round_index=0, network_id=room.net.id,
                    author_id=author, case_giver_id=case_giver, text="fortroligt")
    db.session.add(note)
    db.session.commit()
    ids["note"] = note.id
    guest = f.member(room.net, Role.GUEST, name="Gitte Guest")
    f.task(f.meeting(room.net), "facilitation", guest)
    users = {"member": room.members[0], "facilitator": room.facilitator, "guest": guest,
             "coordinator": room.coordinator, "outsider": room.outsider, "admin": room.admin}
    assert {users["facilitator"].id, users["coordinator"].id}.isdisjoint({case_giver, author})
    return ids, users


def _log_in(client, user):
    with client.session_transaction() as session:
        session.clear()
        if user is not None:
            session["_user_id"] = f.device_token(user)
            session["_fresh"] = True


@pytest.mark.parametrize("endpoint", sorted(TABLE))
def test_access(app, client, endpoint):
    method, template, data, expected = TABLE[endpoint]
    ids, users = _world()
    path = template.format(**ids)
    for role in ROLES:
        want = {"anonymous": LOGIN, "guest": DENIED, "outsider": HIDDEN, "admin": HIDDEN,
                **expected}[role]
        _log_in(client, users.get(role))
        response = client.open(path, method=method, data=data)
        got = response.status_code
        if want == LOGIN:
            assert got == 302 and "/auth/login" in response.headers["Location"], (role, got)
        elif want == OK:
            assert got < 400, (role, got)
            assert "/auth/login" not in response.headers.get("Location", ""), role
        else:
            assert got == want, (role, got)
        db.session.expire_all()
    assert db.session.scalar(sa.select(CaseNote.text)) == "fortroligt"


def test_an_expired_session_on_a_poll_answers_hx_redirect(app, client, room):
    exercise = f.live_exercise(room.meeting, "presentation")
    response = client.get(f"/live/exercise/{exercise.id}/clock", headers={"HX-Request": "true"})
    assert response.status_code == 401 and "/auth/login" in response.headers["HX-Redirect"]
