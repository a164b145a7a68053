"""Every creating form stores one row however often it arrives (netapp.once says which tool).

Each row of RACES is tried against a real threaded server on a file database (SQLite, or the
suite's PostgreSQL with --db postgresql): the form is rendered to get its token, then the same
POST is sent three times at the same moment from behind a barrier. Exactly one row (or one
series) may result, at most one e-mail, never a 500, and every copy answers as the first did.
`test_every_post_endpoint_is_classified` fails when a new POST route is not sorted into
"creates by token", "natural key" or "creates nothing", so a new creating form cannot slip by.
"""

import http.client
import inspect
import re
import threading
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from netapp import create_app
from netapp.auth.models import User
from netapp.extensions import db
from netapp.live.models import Exercise, FlipoverPoint
from netapp.meetings.models import AgendaItem, Attendance, Goal, Meeting, MeetingSettings, TopicWish
from netapp.networks import invitations as inv
from netapp.networks.contract import Contract, ContractAcceptance, GroundRule
from netapp.networks.models import Invitation, JoinRequest, Membership, Network, Phase, Role
from netapp.once import OnceField
from tests import factories as f

COPIES = 3

# POST endpoints whose view makes a new row each time: the once-token, checked by the view.
BY_TOKEN = {
    "networks.new", "networks.org_new", "networks.invitations", "networks.invitation_link",
    "networks.invitation", "networks.join", "networks.add_rule", "networks.phases_plan",
    "meetings.new_meeting", "meetings.plan_series", "meetings.agenda_add",
    "meetings.agenda_template", "meetings.network_goals", "meetings.meeting_goal",
    "meetings.topic_wishes",
    "live.create", "live.add_point", "live.add_question", "live.add_note", "live.note_goal",
    # buttons that e-mail the members: a repeat sends no second round
    "meetings.invite", "meetings.remind", "meetings.send_summary", "meetings.cancel_meeting",
}
# One row per natural key: a unique constraint and an insert-once upsert in the service.
NATURAL_KEY = {
    "networks.accept_contract": "one acceptance per member and contract version",
    "networks.create_contract": "one contract per network",
    "networks.decide_request": "one membership per person and network",
    "networks.org_coordinators": "appointing: one membership per person and network",
    "meetings.answer": "one attendance answer per member and meeting",
    "meetings.rsvp": "one attendance answer per member and meeting",
    "meetings.settings": "one settings row per network",
    "evaluations.answer": "one evaluation answer per member and round",
    "evaluations.kiosk": "one evaluation answer per member and round",
    "evaluations.open_round": "one evaluation round per meeting",
    "evaluations.settings": "one settings row per network",
    "meetings.wish_vote": "one vote per member and wish",
    "live.run_open": "one exercise per agenda item: the item's row is locked before looking",
}
# POSTs that change or remove what exists, or write nothing: a repeat finds nothing new to make.
CREATES_NOTHING = {
    "auth.confirm_email", "auth.forgot", "auth.language", "auth.login", "auth.logout",
    "auth.logout_everywhere",
    "auth.password", "auth.profile", "auth.reset",
    "evaluations.close_round", "evaluations.export", "evaluations.kiosk_start",
    "evaluations.kiosk_leave",
    "live.control", "live.group_control", "live.move", "live.options", "live.order",
    "live.regroup", "live.room_control", "live.start_all",
    "live.run_move", "live.rename", "live.delete", "live.group_roles",
    "meetings.agenda_delete", "meetings.agenda_move", "meetings.agenda_update",
    "meetings.calendar_reset", "meetings.delete_meeting", "meetings.edit_meeting",
    "meetings.goal_follow_up", "meetings.meeting_summary", "meetings.share_out",
    "meetings.task_action", "meetings.task_assign",
    "meetings.toggle_checkin", "meetings.wish_adopt",
    "networks.change_role", "networks.edit_contract", "networks.hand_on",
    "networks.invitation_action", "networks.join_link", "networks.leave", "networks.profile",
    "networks.org_unappoint", "networks.edit_phase", "networks.delete_phase",
    "networks.set_co_driver", "meetings.planning_year",
    "networks.remove_member", "networks.rule_action", "networks.setup",
    "privacy.delete", "privacy.export",
}
# Creating endpoints whose race needs a running sparring round: their views use the same
# first_submit() as the rest and the tests in tests/live cover their forms.
RACED_ELSEWHERE = {"live.add_note", "live.note_goal"}


def test_every_post_endpoint_is_classified(app):
    posts = {r.endpoint for r in app.url_map.iter_rules() if "POST" in (r.methods or ())}
    classified = BY_TOKEN | set(NATURAL_KEY) | CREATES_NOTHING
    assert not BY_TOKEN & set(NATURAL_KEY) and not BY_TOKEN & CREATES_NOTHING
    assert posts - classified == set(), "classify these POST routes in this module"
    assert classified - posts == set(), "these routes are gone: remove their rows"


@pytest.mark.parametrize("endpoint", sorted(BY_TOKEN))
def test_a_creating_view_claims_the_token(app, endpoint):
    """The view calls first_submit, and every form it builds carries a OnceField."""
    view = app.view_functions[endpoint]
    source = inspect.getsource(view)
    assert re.search(r"first_(submit|button)\(", source), f"{endpoint} must claim its token"
    module = inspect.getmodule(view)
    made_by = r"form = (\w+Form)\(|(?:meeting_form|first_button)\((\w+Form)"
    names = set(re.findall(made_by, source))
    names = {n for pair in names for n in pair if n}
    if endpoint == "live.create":
        names = {cls.__name__ for cls in module.FORMS.values()}
    forms = [getattr(module, n) for n in names if isinstance(getattr(module, n, None), type)]
    made = [cls for cls in forms if "Button" not in cls.__name__]
    assert made, endpoint
    for cls in made:
        assert isinstance(getattr(cls, "once", None), type(OnceField())), cls.__name__
    assert {e.endpoint for e in RACES} >= BY_TOKEN - RACED_ELSEWHERE


def test_every_once_form_template_renders_the_token():
    """A template that renders a form with a OnceField prints its hidden fields (or the token)."""
    templates = Path(__file__).parent.parent / "templates"
    for path in templates.rglob("*.html"):
        text = path.read_text()
        for form in re.findall(r"<form\b.*?</form>", text, re.S):
            if "hidden_tag()" in form or 'name="csrf_token"' not in form:
                continue
            posts_to = re.search(r"url_for\('([\w.]+)'", form)
            if posts_to and posts_to.group(1) in BY_TOKEN:
                assert ".once(" in form, f"{path.name}: a form to {posts_to.group(1)} lacks once"


# --- the races ----------------------------------------------------------------------------


@dataclass
class Race:
    """One creating POST: who sends it, from which page, and how its rows are counted."""

    endpoint: str
    who: str
    page: str
    post: str
    data: dict
    count: object  # a function of the world: the SELECT COUNT that must come out as `rows`
    rows: int | None = 1
    mails: int = 0
    prefix: str = ""
    headers: dict = field(default_factory=dict)


def _world():
    org = f.organisation()
    a, b, c = f.network(org, name="Øst"), f.network(org, name="Vest"), f.network(org, name="Nord")
    coordinator = f.member(a, Role.COORDINATOR)
    f.member(c, Role.COORDINATOR, person=coordinator)
    members = [f.member(a, Role.MEMBER) for _ in range(4)]
    f.member(b, Role.MEMBER, person=members[0])  # a member of two networks
    outsider = f.member(b, Role.MEMBER)
    joiner = f.member(b, Role.MEMBER)
    admin = f.org_admin(org)
    meeting = f.meeting(a, topic="Delegering", summary="Vi talte om delegering.")
    for person in [coordinator, *members]:
        f.attendance(meeting, person, checked_in=True)
    f.member(a, Role.MEMBER)  # has not answered: the one a reminder goes to
    exercise = f.live_exercise(meeting, "interviews")
    f.contract(a)
    a.is_open, a.join_token = True, "join-token-of-ost"
    link = inv.create_link(a, coordinator, "core")
    invited = inv.invite_many(a, coordinator, members[0].email.replace("@", "+b@"), "core")
    mail_invitation = inv._new(b, outsider, members[1].email, "core").invitation
    join_request = inv.request_join(a, outsider, "Hej")
    db.session.commit()
    del invited
    return {
        "org": org.id, "a": a.id, "b": b.id, "c": c.id, "m": meeting.id, "e": exercise.id,
        "coordinator": coordinator.email, "member": members[0].email,
        "member1": members[1].email, "outsider": outsider.email, "admin": admin.email,
        "link": link.token, "mail_invitation": mail_invitation.id, "request": join_request.id,
        "joiner": joiner.email, "joiner_id": joiner.id, "member_id": members[0].id,
        "member1_id": members[1].id, "outsider_id": outsider.id,
    }


def _n(model, *where):
    return lambda w: db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


RACES = [
    Race("networks.new", "coordinator", "/networks/new", "/networks/new",
         {"organisation": "{org}", "name": "Syd"}, _n(Network, Network.name == "Syd"),
         mails=1),  # the new coordinator is told, once
    Race("networks.org_new", "admin", "/networks/org/{org}/new", "/networks/org/{org}/new",
         {"name": "Midt", "purpose": "", "coordinator": "ny.tovholder@example.com"},
         _n(Network, Network.name == "Midt"), mails=1),
    Race("networks.invitations", "coordinator", "/networks/{a}/invitations",
         "/networks/{a}/invitations", {"emails": "ny@example.com", "position": "core"},
         _n(Invitation, Invitation.email == "ny@example.com"), mails=1),
    Race("networks.invitation_link", "coordinator", "/networks/{a}/invitations",
         "/networks/{a}/invitations/link", {"position": "phase"},
         _n(Invitation, Invitation.email.is_(None), Invitation.participation == "phase")),
    Race("networks.invitation", "", "/networks/invitation/{link}", "/networks/invitation/{link}",
         {"name": "Gæst", "email": "gaest@example.com", "password": "a long passphrase",
          "confirm": "a long passphrase"}, _n(User, User.email == "gaest@example.com")),
    Race("networks.join", "joiner", "/networks/join/join-token-of-ost",
         "/networks/join/join-token-of-ost", {"message": "Må jeg være med?"},
         _n(JoinRequest, JoinRequest.message == "Må jeg være med?")),
    Race("networks.add_rule", "coordinator", "/networks/{a}/contract/edit",
         "/networks/{a}/contract/rules", {"text": "Mød op til tiden"},
         _n(GroundRule, GroundRule.text == "Mød op til tiden")),
    Race("networks.phases_plan", "coordinator", "/networks/{a}/phases", "/networks/{a}/phases",
         {"name": "Fase én", "purpose": "", "starts_on": "2031-01-01", "ends_on": "2031-02-01"},
         _n(Phase, Phase.name == "Fase én")),
    Race("meetings.new_meeting", "coordinator", "/meetings/network/{a}/new",
         "/meetings/network/{a}/new",
         {"kind": "following", "day": "2031-03-04", "start": "13:00", "end": "16:00",
          "venue": "Klinikken", "topic": "Feedback", "host_id": ""},
         _n(Meeting, Meeting.topic == "Feedback")),
    Race("meetings.plan_series", "coordinator", "/meetings/network/{a}/series",
         "/meetings/network/{a}/series",
         {"kind": "following", "day": "2031-05-06", "start": "13:00", "end": "16:00",
          "venue": "Klinikken", "topic": "Serie", "host_id": "", "count": "3",
          "every_months": "2"}, _n(Meeting, Meeting.topic == "Serie"), rows=3),
    Race("meetings.agenda_add", "coordinator", "/meetings/{m}/agenda",
         "/meetings/{m}/agenda/items", {"kind": "other", "title": "Kaffe", "minutes": "10"},
         _n(AgendaItem, AgendaItem.title == "Kaffe")),
    Race("meetings.agenda_template", "coordinator", "/meetings/{m}/agenda",
         "/meetings/{m}/agenda/template", {"which": "following"},
         lambda w: _template_copies(w["m"]), headers={"HX-Request": "true"}),
    Race("meetings.network_goals", "member", "/meetings/network/{a}/goals",
         "/meetings/network/{a}/goals", {"text": "Delegere mere"},
         _n(Goal, Goal.text == "Delegere mere")),
    Race("meetings.meeting_goal", "member", "/meetings/{m}", "/meetings/{m}/goals",
         {"text": "Sige nej"}, _n(Goal, Goal.text == "Sige nej")),
    Race("meetings.topic_wishes", "member", "/meetings/network/{a}/wishes",
         "/meetings/network/{a}/wishes", {"kind": "topic", "text": "Konflikter"},
         _n(TopicWish, TopicWish.text == "Konflikter")),
    Race("live.create", "coordinator", "/live/meeting/{m}",
         "/live/meeting/{m}/exercises/presentation", {"presentation-minutes": "2"},
         _n(Exercise, Exercise.kind == "presentation"), prefix="presentation-"),
    Race("live.add_point", "member", "/live/meeting/{m}/flipover", "/live/meeting/{m}/flipover",
         {"text": "Vi lærer af hinanden"},
         _n(FlipoverPoint, FlipoverPoint.text == "Vi lærer af hinanden"),
         headers={"HX-Request": "true"}),
    Race("meetings.invite", "coordinator", "/meetings/{m}", "/meetings/{m}/invite", {},
         lambda w: int(db.session.get(Meeting, w["m"]).invited_at is not None), mails=6),
    Race("meetings.remind", "coordinator", "/meetings/{m}", "/meetings/{m}/remind", {},
         lambda w: None, rows=None, mails=1),  # it stores nothing: the e-mails are the rows
    Race("meetings.cancel_meeting", "coordinator", "/meetings/{m}/edit", "/meetings/{m}/cancel",
         {}, lambda w: int(db.session.get(Meeting, w["m"]).cancelled_at is not None)),
    Race("meetings.send_summary", "coordinator", "/meetings/{m}", "/meetings/{m}/summary/send",
         {}, lambda w: int(db.session.get(Meeting, w["m"]).summary_sent_at is not None), mails=6),
    Race("live.add_question", "coordinator", "/live/exercise/{e}/facilitate",
         "/live/exercise/{e}/questions", {"text": "Hvad fik dig hertil?"},
         lambda w: db.session.get(Exercise, w["e"]).questions.count("Hvad fik dig hertil?")),
    # natural keys: no token needed, and copies from one page still make one row
    Race("networks.accept_contract", "member", "/networks/{a}/contract",
         "/networks/{a}/contract/accept", {"version": "1"},
         _n(ContractAcceptance, ContractAcceptance.version == 1)),
    Race("networks.create_contract", "coordinator", "/networks/{c}",
         "/networks/{c}/contract/create", {}, lambda w: db.session.scalar(
             sa.select(sa.func.count()).select_from(Contract).where(
                 Contract.network_id == w["c"]))),
    Race("networks.decide_request", "coordinator", "/networks/{a}/invitations",
         "/networks/{a}/requests/{request}/approve", {},
         lambda w: _memberships(w["a"], w["outsider_id"])),
    Race("meetings.answer", "member", "/meetings/{m}", "/meetings/{m}/answer",
         {"answer": "no", "reason": "Syg"},
         lambda w: db.session.scalar(sa.select(sa.func.count()).select_from(Attendance).where(
             Attendance.meeting_id == w["m"], Attendance.user_id == w["member_id"]))),
    Race("meetings.settings", "coordinator", "/meetings/network/{a}/settings",
         "/meetings/network/{a}/settings",
         {"reminder_days_before": "2", "answer_deadline_days": "5", "lunch_budget": "3000"},
         _n(MeetingSettings, MeetingSettings.lunch_budget == 3000)),
]


def _template_copies(meeting_id: int) -> int:
    """1 when no agenda title is there twice (the template was added once)."""
    titles = db.session.scalars(
        sa.select(AgendaItem.title).where(AgendaItem.meeting_id == meeting_id)
    ).all()
    return max(titles.count(t) for t in titles) if titles else 0


def _memberships(network_id: int, user_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Membership).where(
        Membership.network_id == network_id, Membership.user_id == user_id))


class Browser:
    """One logged-in browser against the real server: its cookie, no redirects followed."""

    def __init__(self, port: int):
        self.port, self.cookie = port, ""

    def send(self, method: str, path: str, data: dict | None = None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        body = urllib.parse.urlencode(data or {}) if method == "POST" else None
        sent = {"Cookie": self.cookie, **(headers or {})}
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        text = response.read().decode()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("session="):
                self.cookie = value.split(";", 1)[0]
        connection.close()
        return response.status, response.getheader("Location") or "", text


@pytest.fixture
def server(tmp_path, empty_database_url):
    """A threaded werkzeug server on a database of its own that many connections share (the
    suite's PostgreSQL tables belong to the shared app: dropping them broke later tests)."""
    url = empty_database_url
    app = create_app({"TESTING": True, "SECRET_KEY": "race", "WTF_CSRF_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": url, "SESSION_COOKIE_SECURE": False})
    app.instance_path = str(tmp_path / "instance")
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    app.config.update(SERVER_NAME=f"127.0.0.1:{httpd.server_port}",
                      PUBLIC_URL=f"http://127.0.0.1:{httpd.server_port}")
    with app.app_context():
        db.create_all()
        world = _world()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield app, httpd.server_port, world
    httpd.shutdown()
    thread.join()
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def _browser(port: int, world: dict, who: str) -> Browser:
    browser = Browser(port)
    if who:
        status, _where, text = browser.send(
            "POST", "/auth/login", {"email": world[who], "password": f.PASSWORD})
        assert status == 302, text[:300]
    return browser


def _token(page: str, post: str, prefix: str, same_page: bool = False) -> str:
    """The once-token of the form on the page that posts to `post`."""
    for form in re.findall(r"<form\b.*?</form>", page, re.S):
        opening = form.split(">", 1)[0]
        if f'"{post}"' in opening or (same_page and "action=" not in opening):
            found = re.search(rf'name="{prefix}once"[^>]*value="([^"]+)"', form)
            if found:
                return found.group(1)
    raise AssertionError(f"no once-token in the form that posts to {post}")


def _outbox(app) -> int:
    from netapp.mail.models import OutgoingMail

    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(OutgoingMail.id)))


def _all_at_once(send, copies: int = COPIES) -> list:
    barrier, answers = threading.Barrier(copies), []

    def one():
        barrier.wait()
        answers.append(send())

    threads = [threading.Thread(target=one) for _ in range(copies)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


@pytest.mark.parametrize("race", RACES, ids=lambda r: r.endpoint)
def test_three_copies_at_once_store_one_row(server, race, frozen_clock):  # 2031 is to come
    app, port, world = server
    browser = _browser(port, world, race.who)
    page_url, post_url = race.page.format(**world), race.post.format(**world)
    status, _where, page = browser.send("GET", page_url)
    assert status == 200, (page_url, status)
    data = {k: v.format(**world) for k, v in race.data.items()}
    if race.endpoint in BY_TOKEN:
        data[f"{race.prefix}once"] = _token(page, post_url, race.prefix, page_url == post_url)
    mails_before = _outbox(app)
    answers = _all_at_once(lambda: browser.send("POST", post_url, data, race.headers))
    assert all(code < 500 for code, _w, _t in answers), answers
    assert len({(code, where) for code, where, _t in answers}) == 1, answers  # the same answer
    with app.app_context():
        assert race.count(world) == race.rows
    assert _outbox(app) - mails_before <= race.mails


@pytest.mark.parametrize("race", [r for r in RACES if r.endpoint in BY_TOKEN],
                         ids=lambda r: r.endpoint)
def test_a_post_without_the_token_stores_nothing_and_offers_a_fresh_one(server, race):
    app, port, world = server
    browser = _browser(port, world, race.who)
    data = {k: v.format(**world) for k, v in race.data.items()}
    mails_before = _outbox(app)
    status, where, text = browser.send("POST", race.post.format(**world), data, race.headers)
    assert status < 500
    with app.app_context():
        assert race.count(world) == (0 if race.rows is not None else None)
    assert _outbox(app) == mails_before
    if status == 200:  # the form again, with what was typed and a token to send it with
        assert re.search(rf'name="{race.prefix}once"[^>]*value="[^"]+"', text)


def test_the_first_answer_is_repeated_and_a_token_replayed_elsewhere_is_its_own(server):
    app, port, world = server
    member = _browser(port, world, "member")
    page = member.send("GET", f"/meetings/network/{world['a']}/goals")[2]
    token = _token(page, f"/meetings/network/{world['a']}/goals", "", True)
    data = {"text": "Ét mål", "once": token}
    first = member.send("POST", f"/meetings/network/{world['a']}/goals", data)
    again = member.send("POST", f"/meetings/network/{world['a']}/goals", data)
    elsewhere = member.send("POST", f"/meetings/network/{world['b']}/goals", data)
    assert first[:2] == again[:2] and first[1].endswith(f"/meetings/network/{world['a']}/goals")
    assert elsewhere[1].endswith(f"/meetings/network/{world['b']}/goals")  # never A's answer
    outsider = _browser(port, world, "outsider")
    stolen = outsider.send("POST", f"/meetings/network/{world['b']}/goals", data)
    assert stolen[0] == 302
    with app.app_context():
        owners = db.session.execute(
            sa.select(Goal.network_id, Goal.owner_id).where(Goal.text == "Ét mål")
        ).all()
    assert sorted(owners) == sorted([(world["a"], world["member_id"]),
                                     (world["b"], world["member_id"]),
                                     (world["b"], world["outsider_id"])])


def test_a_repeated_new_network_lands_on_the_same_network(server):
    app, port, world = server
    coordinator = _browser(port, world, "coordinator")
    page = coordinator.send("GET", "/networks/new")[2]
    data = {"organisation": str(world["org"]), "name": "Samme", "once": _token(
        page, "/networks/new", "", True)}
    answers = [coordinator.send("POST", "/networks/new", data) for _ in range(2)]
    with app.app_context():
        made = db.session.scalar(sa.select(Network.id).where(Network.name == "Samme"))
    assert [a[1] for a in answers] == [f"http://127.0.0.1:{port}/networks/{made}/setup/1"] * 2 or [
        a[1] for a in answers] == [f"/networks/{made}/setup/1"] * 2


def test_addresses_left_in_the_box_go_out_with_a_new_token(client, login_as, outbox):
    """The invitation form comes back with the addresses that failed: sending it again is a
    new submission, not a repeat of the one already stored."""
    network = f.network()
    login_as(f.member(network, Role.COORDINATOR))
    page = client.get(f"/networks/{network.id}/invitations").text
    token = _token(page, f"/networks/{network.id}/invitations", "", True)
    back = client.post(f"/networks/{network.id}/invitations",
                       data={"emails": "en@example.com ikke-en-adresse", "position": "core",
                             "once": token})
    assert back.status_code == 200 and "ikke-en-adresse" in back.text
    fresh = _token(back.text, f"/networks/{network.id}/invitations", "", True)
    assert fresh != token
    client.post(f"/networks/{network.id}/invitations",
                data={"emails": "to@example.com", "position": "core", "once": fresh})
    sent = db.session.scalars(sa.select(Invitation.email).order_by(Invitation.id)).all()
    assert sent == ["en@example.com", "to@example.com"] and len(outbox()) == 2
