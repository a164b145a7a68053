"""The world the authorization matrix (tests/test_access_matrix.py) runs in.

Network A holds one real object for every id a URL can take, and one person per persona;
network B, a sibling in A's organisation, has its own member and coordinator; an
organisation admin administers A's organisation, and a stranger admin another one.
`build()` may be called many times in one database: each call makes a new, independent
world (a request that changes it gets a fresh one).
"""

from dataclasses import dataclass, field
from datetime import timedelta

from netapp.auth import email_change
from netapp.auth import services as auth_services
from netapp.auth.models import User
from netapp.extensions import db
from netapp.live.clock import Status
from netapp.live.models import CaseNote
from netapp.meetings import goals, wishes
from netapp.meetings.attendance import answer_token
from netapp.meetings.calendar import reset_feed
from netapp.meetings.models import AgendaItem, AgendaKind
from netapp.meetings.zones import to_local, zone_of
from netapp.networks import invitations as inv
from netapp.networks import phases
from netapp.networks.models import JoinRequest, Membership, Participation, Phase, Role
from tests import factories as f

EXTRAS = 6  # plain members of A who are no persona: 8 attendees make two sparring groups
# (the facilitator runs the room and takes no part)
# Confidential texts planted in the world; the matrix checks who may read them.
NOTE_TEXT = "Sparring note only the case-giver reads"
GOAL_TEXT = "Goal only the members read"
EVALUATION_TEXT = "Anonymous evaluation text"
MEETING_TEXT = "Description only those at the meeting read"  # a meeting of phase 2
PHASE_TOPIC = "Meeting of phase one"  # the participant per phase's meeting
PHASE_PURPOSE = "Phase two tests the ideas"


@dataclass
class World:
    people: dict[str, User]  # persona → user (no entry for "anonymous")
    ids: dict[str, object]  # URL argument name → value
    overrides: dict[str, dict[str, object]] = field(default_factory=dict)  # endpoint → args
    confidential: dict[str, str] = field(default_factory=dict)  # planted text → its kind

    def values(self, endpoint: str) -> dict[str, object]:
        """The URL arguments for one endpoint: the world's ids, then the endpoint's own."""
        return self.ids | self.overrides.get(endpoint, {})


def _membership(network_id: int, user: User) -> Membership:
    return db.session.scalar(
        db.select(Membership).where(
            Membership.network_id == network_id, Membership.user_id == user.id
        )
    )


def build(app) -> World:
    """A fresh world: network A with every object, network B, an organisation admin."""
    org = f.organisation()
    a, b = f.network(org, is_open=True), f.network(org)
    people = {
        "member": f.member(a, Role.MEMBER),
        "facilitator": f.member(a, Role.FACILITATOR),  # the network's own
        "guest": f.member(a, Role.GUEST),  # an external coach, of another meeting of A
        "coordinator": f.member(a, Role.COORDINATOR),
        "phase_member": f.member(a, Role.MEMBER),  # a participant per phase, of phase 1 only
        "other_member": f.member(b, Role.MEMBER),
        "other_coordinator": f.member(b, Role.COORDINATOR),
        "org_admin": f.org_admin(org),
        "stranger_admin": f.org_admin(f.organisation()),
    }
    extras = [f.member(a, Role.MEMBER) for _ in range(EXTRAS)]
    member, coordinator = people["member"], people["coordinator"]

    # A meeting in two weeks that everyone of A said yes to. Nobody holds its facilitation
    # task: the network's facilitator runs it all the same. The guest facilitator holds the
    # task of another meeting of A, which opens nothing of this one.
    meeting = f.meeting(a, topic="Delegering", description=MEETING_TEXT)
    for person in (member, people["facilitator"], coordinator, *extras):
        f.answer(meeting, person, "yes")
    f.attendance(meeting, people["other_member"])  # listed by mistake: still opens nothing
    f.task(f.meeting(a, topic="Guest's meeting"), "facilitation", people["guest"])
    # The phase plan: phase 1 (the participant per phase's, with a meeting of its own) is now,
    # phase 2 holds the meetings above; the participant per phase sees phase 1's only.
    phase_member = people["phase_member"]
    _membership(a.id, phase_member).participation = Participation.PHASE
    today = to_local(f.utcnow(), zone_of(a)).date()  # the network's today, as its pages count
    own_meeting = f.meeting(a, starts_at=(f.utcnow() + timedelta(days=3)).replace(microsecond=0),
                            topic=PHASE_TOPIC)
    one = Phase(network_id=a.id, name="Phase one", starts_on=today - timedelta(days=30),
                ends_on=today + timedelta(days=7))
    two = Phase(network_id=a.id, name="Phase two", purpose=PHASE_PURPOSE,
                starts_on=today + timedelta(days=8), ends_on=today + timedelta(days=120))
    db.session.add_all([one, two])
    db.session.flush()
    one.participants = [phases.PhaseParticipant(user_id=phase_member.id)]
    phases.assign_meetings(a)
    db.session.commit()
    task = f.task(meeting, "catering")  # free: a member may take it, a guest may not
    item = AgendaItem(meeting_id=meeting.id, kind=AgendaKind.SPARRING, title="Sparring",
                      minutes=30, position=0)
    db.session.add(item)
    goal = goals.create_goal(a, member, GOAL_TEXT)  # the member's own goal
    wish = wishes.add_wish(a.id, extras[2].id, "topic", "Conflicts")
    feed = reset_feed(member.id)
    evaluation = f.evaluation(meeting, anonymous=True)  # open, anonymous free text
    f.evaluation_answer(evaluation, extras[3], good=EVALUATION_TEXT)

    # Networks: a contract, an e-mail invitation to B's member, the open network's join
    # link and a stranger's request to join. The invitation's sender is none of the personas,
    # so each one's answer to its link is the token's (its sender may not accept it).
    contract = f.contract(a)
    invitation = inv.invite_many(a, extras[4], people["other_member"].email, "core")[0][0]
    inv.rotate_join_token(a)
    request = JoinRequest(network_id=a.id, user_id=f.user().id)
    db.session.add(request)
    db.session.commit()

    # Live: one exercise of each kind; the member sits in one sparring group and is the
    # case-giver of a note in it; the other group (without the member) is for group_control.
    presentation = f.live_exercise(meeting, "presentation")
    interviews = f.live_exercise(meeting, "interviews")
    sparring = f.live_exercise(meeting, "sparring")
    mine = next(g for g in sparring.groups if member.id in g.member_ids)
    not_mine = next(g for g in sparring.groups if member.id not in g.member_ids)
    persona_ids = {p.id for p in people.values()}
    # 8 attendees make groups of four, so the member's group has someone who is no persona.
    author = next(i for i in mine.member_ids if i not in persona_ids)
    note = CaseNote(group_id=mine.id, round_index=0, network_id=a.id, author_id=author,
                    case_giver_id=member.id, text=NOTE_TEXT)
    db.session.add(note)
    # the group has finished, so the note's round is over and its case-giver may read it
    mine.status, mine.started_at = Status.FINISHED, meeting.starts_at
    db.session.commit()

    with app.test_request_context():
        rsvp = answer_token(meeting, member)
        reset = auth_services.reset_token(member)
        new_email = email_change.request_change(member, f"new.{member.email}", f.utcnow())
    db.session.commit()

    ids = {
        "network_id": a.id,
        "organisation_id": org.id,
        "org_id": org.id,
        "meeting_id": meeting.id,
        "item_id": item.id,
        "task_id": task.id,
        "goal_id": goal.id,
        "wish_id": wish.id,
        "user_id": extras[1].id,  # checked in (or out) at the door
        "rule_id": contract.rules[0].id,
        "invitation_id": invitation.invitation.id,
        "request_id": request.id,
        "membership_id": _membership(a.id, extras[0]).id,  # a plain member, no persona
        "exercise_id": presentation.id,
        "group_id": mine.id,
        "note_id": note.id,
        "step": 1,
        "direction": "down",
        "kind": "presentation",
        "answer": "decline",
        "decision": "decline",
        "filename": "css/app.css",
        "phase_id": two.id,
    }
    overrides = {
        "auth.reset": {"token": reset},
        "meetings.rsvp": {"token": rsvp},
        "meetings.feed": {"token": feed},
        "auth.confirm_email": {"token": new_email},
        "networks.invitation": {"token": invitation.token},
        "networks.join": {"token": a.join_token},
        "networks.rule_action": {"action": "down"},
        "networks.invitation_action": {"action": "revoke"},
        "meetings.task_action": {"action": "take"},
        "live.control": {"action": "next"},
        "live.room_control": {"action": "pause", "exercise_id": sparring.id},
        "live.group_control": {"action": "start", "group_id": not_mine.id},
        "live.start_all": {"exercise_id": sparring.id},
        "live.move": {"exercise_id": sparring.id},
        "live.regroup": {"exercise_id": sparring.id},
        "live.add_question": {"exercise_id": interviews.id},
        "live.run_move": {"action": "next"},
    }
    ids["own_meeting_id"] = own_meeting.id  # no URL takes it: the phase tests use it
    return World(people, ids, overrides, {
        NOTE_TEXT: "note", GOAL_TEXT: "goal", EVALUATION_TEXT: "evaluation",
        MEETING_TEXT: "meeting"})
