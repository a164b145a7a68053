"""The health page and the organisation overview cost the same few queries at any size."""

import itertools
from datetime import timedelta

from netapp.auth.models import User, utcnow
from netapp.evaluations.models import EvaluationAnswer, MeetingEvaluation
from netapp.extensions import db
from netapp.meetings.models import Answer, Attendance, Goal, Meeting, TopicWish
from netapp.networks.models import Membership, Network, Role
from tests import factories as f

_people = itertools.count()


def build_network(org, meetings: int, people: int) -> tuple[Network, User]:
    """A network with `meetings` past meetings, each attended and evaluated by `people`."""
    net = Network(organisation_id=org.id, name=f"Net {next(_people)}")
    coordinator = f.user()
    members = [coordinator] + [
        User(email=f"speed{next(_people)}@example.com", name=f"P {i}", password_hash="x")
        for i in range(people - 1)
    ]
    db.session.add_all([net, *members])
    db.session.flush()
    db.session.add_all([Membership(network_id=net.id, user_id=u.id,
                                   role=Role.COORDINATOR if u is coordinator else Role.MEMBER)
                        for u in members])
    start = utcnow() - timedelta(days=30 * meetings + 1)
    for number in range(meetings):
        at = start + timedelta(days=30 * number)
        meeting = Meeting(network_id=net.id, starts_at=at, ends_at=at + timedelta(hours=3))
        db.session.add(meeting)
        db.session.flush()
        evaluation = MeetingEvaluation(meeting_id=meeting.id, network_id=net.id,
                                       includes_check=number % 3 == 2, closed_at=at)
        db.session.add(evaluation)
        db.session.flush()
        for index, person in enumerate(members):
            afbud = index % 7 == number % 7
            db.session.add(Attendance(meeting_id=meeting.id, user_id=person.id,
                                      answer=Answer.NO if afbud else Answer.YES))
            if not afbud:
                db.session.add(EvaluationAnswer(
                    evaluation_id=evaluation.id, user_id=person.id, energy=1 + (index % 5),
                    rating=1 + (number % 5), good="g", comment="c" if index == 1 else "",
                    check_goal=3 if evaluation.includes_check else None))
        db.session.add(Goal(network_id=net.id, owner_id=coordinator.id,
                            set_at_meeting_id=meeting.id, text="goal"))
    db.session.add(TopicWish(network_id=net.id, author_id=coordinator.id, text="wish"))
    db.session.commit()
    return net, coordinator


def _health_queries(client, login_as, count_queries, meetings, people) -> tuple[int, str]:
    net, coordinator = build_network(f.organisation(), meetings, people)
    login_as(coordinator)
    with count_queries() as n:
        response = client.get(f"/evaluations/network/{net.id}/health")
    assert response.status_code == 200
    return n(), response.text


def test_health_page_queries_do_not_grow(client, login_as, count_queries):
    small, _ = _health_queries(client, login_as, count_queries, meetings=3, people=5)
    client.post("/auth/logout")
    large, text = _health_queries(client, login_as, count_queries, meetings=50, people=22)
    assert text.count("<tr>") >= 50
    # 50 meetings x 21 present = 1,050 answers, in the same few queries
    assert large == small <= 11, (small, large)


def test_org_overview_queries_do_not_grow(client, login_as, count_queries):
    def measure(networks: int) -> int:
        org = f.organisation()
        for _ in range(networks):
            build_network(org, meetings=3, people=4)
        admin = f.org_admin(org)
        client.post("/auth/logout")
        login_as(admin)
        with count_queries() as n:
            response = client.get(f"/evaluations/org/{org.id}?sort=-energy")
        assert response.status_code == 200
        assert response.text.count("<tr>") == networks + 1
        return n()

    small, large = measure(5), measure(200)
    assert large == small <= 12, (small, large)


def test_org_overview_sorts_by_the_query_string(client, login_as):
    from netapp.evaluations.figures import sort_rows

    org = f.organisation()
    few, _ = build_network(org, meetings=1, people=3)
    many, _ = build_network(org, meetings=4, people=3)
    login_as(f.org_admin(org))
    by_meetings = client.get(f"/evaluations/org/{org.id}?sort=-meetings").text
    assert by_meetings.index(many.name) < by_meetings.index(few.name)
    ascending = client.get(f"/evaluations/org/{org.id}?sort=meetings").text
    assert ascending.index(few.name) < ascending.index(many.name)
    assert client.get(f"/evaluations/org/{org.id}?sort=<bogus>").status_code == 200
    assert sort_rows([], "nonsense") == []
