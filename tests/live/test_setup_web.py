"""Setting exercises up and changing them: order, pairs, groups, questions, the flipover."""

import sqlalchemy as sa

from netapp.extensions import db
from netapp.live.models import Exercise, FlipoverPoint, InterviewPair, SparringGroup
from netapp.live.services import group_rounds
from netapp.meetings.models import MeetingKind
from tests import factories as f
from tests.live.helpers import HX, version_in
from tests.submits import once


def fresh(model, ident):
    db.session.expire_all()
    return db.session.get(model, ident)


def test_presentation_takes_those_checked_in_else_those_who_said_yes(room):
    late = f.member(room.net, name="Late Lars")
    f.attendance(room.meeting, late, checked_in=False)  # said yes, not checked in
    exercise = f.live_exercise(room.meeting, "presentation")
    assert late.id not in exercise.speaker_ids and len(exercise.speaker_ids) == 8
    meeting = f.meeting(room.net)
    for person in room.members[:3]:
        f.attendance(meeting, person)
    f.attendance(meeting, room.coordinator, answer="no")
    assert set(f.live_exercise(meeting, "presentation").speaker_ids) == {
        p.id for p in room.members[:3]
    }


def test_the_facilitator_moves_speakers_and_shuffles(room, client, login_as):
    exercise = f.live_exercise(room.meeting, "presentation")
    before = list(exercise.speaker_ids)
    login_as(room.facilitator)
    client.post(f"/live/exercise/{exercise.id}/order", data={"action": "down", "index": 0})
    assert fresh(Exercise, exercise.id).speaker_ids == [before[1], before[0], *before[2:]]
    response = client.post(f"/live/exercise/{exercise.id}/order",
                           data={"action": "up", "index": 0}, follow_redirects=True)
    assert "That move is not possible." in response.text
    client.post(f"/live/exercise/{exercise.id}/order", data={"action": "shuffle"})
    assert sorted(fresh(Exercise, exercise.id).speaker_ids) == sorted(before)


def test_speakers_who_have_spoken_stay_put(room, client, login_as):
    exercise = f.live_exercise(room.meeting, "presentation")
    login_as(room.facilitator)
    client.post(f"/live/exercise/{exercise.id}/control/start", data={"version": 0})
    spoken = fresh(Exercise, exercise.id).speaker_ids[0]
    client.post(f"/live/exercise/{exercise.id}/order", data={"action": "down", "index": 0})
    for _ in range(5):
        client.post(f"/live/exercise/{exercise.id}/order", data={"action": "shuffle"})
    assert fresh(Exercise, exercise.id).speaker_ids[0] == spoken


def test_interview_pairs_avoid_pairs_from_earlier_meetings(room):
    first = f.live_exercise(room.meeting, "interviews")
    earlier = {frozenset(p.member_ids) for p in first.pairs}
    assert [len(p.member_ids) for p in first.pairs] == [2, 2, 2, 2]
    assert first.durations == [300, 300]
    later = f.meeting(room.net, kind=MeetingKind.FOLLOWING)
    for person in room.everyone:
        f.attendance(later, person, checked_in=True)
    second = f.live_exercise(later, "interviews")
    assert not earlier & {frozenset(p.member_ids) for p in second.pairs}


def test_an_odd_number_interviews_in_a_three(room):
    f.attendance(room.meeting, f.member(room.net, name="Ninth"), checked_in=True)
    exercise = f.live_exercise(room.meeting, "interviews", seconds=240)
    assert sorted(len(p.member_ids) for p in exercise.pairs) == [2, 2, 2, 3]
    assert exercise.durations == [240, 240, 240]


def test_questions_for_a_first_meeting_are_about_expectations(room, client, login_as):
    room.meeting.kind = MeetingKind.FIRST
    db.session.commit()
    exercise = f.live_exercise(room.meeting, "interviews")
    login_as(room.facilitator)
    page = client.get(f"/live/exercise/{exercise.id}/facilitate")
    assert "What do you especially hope to get out of the network?" in page.text
    client.post(f"/live/exercise/{exercise.id}/questions", data={"once": once(),
                                                                 "text": "Hvad fik dig hertil?"})
    assert "Hvad fik dig hertil?" in client.get(f"/live/exercise/{exercise.id}").text
    too_long = client.post(f"/live/exercise/{exercise.id}/questions", data={"once": once(),
                                                                            "text": "x" * 201})
    assert too_long.status_code == 200 and "200" in too_long.text


def test_get_to_know_questions_at_later_meetings(room, client, login_as):
    exercise = f.live_exercise(room.meeting, "interviews")
    login_as(room.members[0])
    page = client.get(f"/live/exercise/{exercise.id}")
    assert "Who is your role model as a leader?" in page.text
    assert "You interview" in page.text or "You are interviewed by" in page.text


def test_pairs_are_formed_again_only_before_the_start(room, client, login_as):
    exercise = f.live_exercise(room.meeting, "interviews")
    login_as(room.facilitator)
    assert client.post(f"/live/exercise/{exercise.id}/regroup").status_code == 303
    assert db.session.scalar(sa.select(sa.func.count(InterviewPair.id))) == 4
    client.post(f"/live/exercise/{exercise.id}/control/start", data={"version": 0})
    response = client.post(f"/live/exercise/{exercise.id}/regroup", follow_redirects=True)
    assert "can no longer be changed" in response.text


def test_sparring_groups_of_three_or_four_and_rounds(room):
    exercise = f.live_exercise(room.meeting, "sparring", rounds=3)
    sizes = sorted(len(g.members) for g in exercise.groups)
    assert sizes == [4, 4]
    assert exercise.durations == [180, 600, 300, 120]
    assert group_rounds(exercise.groups[0]) == 3


def test_sparring_avoids_the_groups_of_the_last_meeting(room):
    first = f.live_exercise(room.meeting, "sparring")
    earlier = [set(g.member_ids) for g in first.groups]
    later = f.meeting(room.net, starts_at=room.meeting.starts_at.replace(year=2099))
    for person in room.everyone:
        f.attendance(later, person, checked_in=True)
    second = f.live_exercise(later, "sparring")
    for group in second.groups:  # two groups of four from two of four: two per old group
        assert all(len(set(group.member_ids) & old) == 2 for old in earlier)


def test_the_facilitator_moves_a_person_to_another_group(room, client, login_as):
    f.attendance(room.meeting, f.member(room.net, name="Ninth"), checked_in=True)
    exercise = f.live_exercise(room.meeting, "sparring")  # 9: groups of 3, 3, 3
    person = exercise.groups[0].member_ids[0]
    login_as(room.facilitator)
    client.post(f"/live/exercise/{exercise.id}/move", data={"person": person, "group": 2})
    groups = fresh(Exercise, exercise.id).groups
    assert person in groups[1].member_ids and len(groups[0].members) == 2
    response = client.post(f"/live/exercise/{exercise.id}/move",
                           data={"person": groups[0].member_ids[0], "group": 3},
                           follow_redirects=True)
    assert "A group needs at least two people." in response.text
    response = client.post(f"/live/exercise/{exercise.id}/move",
                           data={"person": room.outsider.id, "group": 1}, follow_redirects=True)
    assert "That move is not possible." in response.text


def test_start_all_groups_at_once_and_each_group_runs_its_own_clock(room, client, login_as):
    exercise = f.live_exercise(room.meeting, "sparring")
    login_as(room.facilitator)
    response = client.post(f"/live/exercise/{exercise.id}/start-all", headers=HX)
    assert response.status_code == 200 and response.text.count("Round 1 of 2") == 2
    groups = db.session.scalars(sa.select(SparringGroup).order_by(SparringGroup.number)).all()
    assert {g.status for g in groups} == {"running"}
    assert len({g.started_at for g in groups}) == 1
    first = groups[0]
    response = client.post(f"/live/group/{first.id}/control/next", data={"version": 1},
                           headers=HX)
    assert "Questions for the questioner" in response.text
    assert "What is holding you back?" in response.text
    db.session.expire_all()
    assert [g.step_index for g in groups] == [1, 0]


def test_members_run_their_own_group_but_not_another(room, client, login_as):
    exercise = f.live_exercise(room.meeting, "sparring")
    mine, theirs = exercise.groups
    member = next(u for u in room.members if u.id in mine.member_ids)
    login_as(member)
    assert client.get(f"/live/exercise/{exercise.id}").headers["Location"].endswith(
        f"/live/group/{mine.id}")
    page = client.get(f"/live/group/{mine.id}")
    assert "/control/start" in page.text
    assert client.post(f"/live/group/{mine.id}/control/start", data={"version": 0},
                       headers=HX).status_code == 200
    assert "/control/" not in client.get(f"/live/group/{theirs.id}").text
    assert client.post(f"/live/group/{theirs.id}/control/start",
                       data={"version": 0}).status_code == 403
    assert fresh(SparringGroup, theirs.id).status == "ready"


def test_flipover_points_are_shown_and_kept_with_the_meeting(room, client, login_as, app):
    login_as(room.members[0])
    response = client.post(f"/live/meeting/{room.meeting.id}/flipover",
                           data={"once": once(), "text": "Vi vil lære af hinanden"}, headers=HX)
    assert response.status_code == 200 and 'hx-swap-oob="true"' in response.text
    assert "Vi vil lære af hinanden" in response.text
    empty = client.post(f"/live/meeting/{room.meeting.id}/flipover", data={"once": once(),
                                                                           "text": ""},
                        headers=HX)
    assert empty.status_code == 200 and "This field is required." in empty.text
    assert db.session.scalar(sa.select(sa.func.count(FlipoverPoint.id))) == 1
    page = client.get(f"/meetings/{room.meeting.id}")  # the meeting's summary shows it
    assert page.status_code == 200 and "Vi vil lære af hinanden" in page.text


def test_the_polled_fragment_names_the_server_time_and_the_end(room, client, login_as):
    exercise = f.live_exercise(room.meeting, "presentation")
    login_as(room.members[1])
    fragment = client.get(f"/live/exercise/{exercise.id}/clock", headers=HX).text
    assert fragment.lstrip().startswith('<section id="live-clock"')
    assert 'data-ends-at=""' in fragment and 'data-remaining="120.0"' in fragment
    assert version_in(fragment) == 0
