"""Running the meeting from its agenda over the web: the facilitator's moves, an item opening
its exercise, members' tablets and the projector following what runs, and bad input."""

import re
from datetime import timedelta

import sqlalchemy as sa

from netapp.evaluations.models import MeetingEvaluation
from netapp.extensions import db
from netapp.live.clock import Status
from netapp.live.models import Exercise, SparringGroup
from netapp.meetings import agenda
from netapp.meetings.models import AgendaItem, AgendaKind, Meeting
from tests import factories as f
from tests.live.helpers import HX


def following_agenda(meeting):
    """The seed's following meeting: follow-up, topic, break, sparring, evaluation."""
    from flask import current_app
    from flask_babel import force_locale

    with current_app.test_request_context(), force_locale("en"):
        agenda.apply_template(meeting, "following", expected=8)
    db.session.commit()


def version(meeting_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Meeting, meeting_id).run_version


def move(client, meeting, action, item=None, at=None):
    data = {"version": version(meeting.id) if at is None else at}
    if item is not None:
        data["item"] = item
    return client.post(f"/live/meeting/{meeting.id}/run/{action}", data=data,
                       follow_redirects=True)


def statuses(meeting_id: int) -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AgendaItem.status).where(
        AgendaItem.meeting_id == meeting_id).order_by(AgendaItem.position)))


def now_target(client, meeting, at="nothing", mode="tablet"):
    """Where the follower of a screen is sent (None: stay)."""
    response = client.get(f"/live/meeting/{meeting.id}/now?mode={mode}&at={at}", headers=HX)
    assert response.status_code in (200, 204)
    return response.headers.get("HX-Redirect")


def test_the_agenda_runs_the_room_from_the_first_item_to_the_evaluation(
        room, client, login_as, frozen_clock):
    meeting = room.meeting
    meeting.starts_at = frozen_clock.now
    meeting.ends_at = frozen_clock.now + timedelta(hours=3)
    following_agenda(meeting)
    login_as(room.facilitator)
    page = client.get(f"/live/meeting/{meeting.id}/run")
    assert page.status_code == 200 and "Start the programme" in page.text
    page = move(client, meeting, "begin")
    assert statuses(meeting.id)[0] == "running"
    assert "Follow-up on cases and goals from last time" in page.text and "On plan" in page.text

    frozen_clock.advance(minutes=32)  # the follow-up of 20 minutes ran twelve minutes over
    page = client.get(f"/live/meeting/{meeting.id}/programme/clock?mode=projector")
    assert "12 min behind" in page.text and "0:00" in page.text
    move(client, meeting, "next")  # the topic
    move(client, meeting, "skip", item=db.session.scalars(sa.select(AgendaItem.id).where(
        AgendaItem.meeting_id == meeting.id, AgendaItem.kind == AgendaKind.BREAK)).one())
    move(client, meeting, "next")  # the break is skipped: on to the sparring
    assert statuses(meeting.id) == ["done", "done", "skipped", "running", "ready"]

    # The member's tablet follows: to the programme while the sparring is not open yet ...
    login_as(room.members[0])
    assert now_target(client, meeting) == f"/live/meeting/{meeting.id}/programme?mode=tablet"
    login_as(room.facilitator)
    opened = client.post(f"/live/meeting/{meeting.id}/run/open")
    exercise = db.session.scalars(sa.select(Exercise).where(
        Exercise.meeting_id == meeting.id)).one()
    assert opened.status_code == 303
    assert opened.headers["Location"] == f"/live/exercise/{exercise.id}/facilitate"
    assert exercise.agenda_item_id is not None
    assert exercise.title == "Sparring on current challenges"
    assert exercise.rounds == max(len(g.members) for g in exercise.groups)  # all can give a case
    again = client.post(f"/live/meeting/{meeting.id}/run/open")
    assert again.headers["Location"] == opened.headers["Location"]  # the same exercise
    # ... and on to their own group once it is opened, without a tap
    login_as(room.members[0])
    mine = next(g for g in exercise.groups if room.members[0].id in g.member_ids)
    assert now_target(client, meeting) == f"/live/group/{mine.id}"
    assert now_target(client, meeting, at=f"exercise-{exercise.id}") is None  # it is there
    live_page = client.get(f"/live/meeting/{meeting.id}")
    assert live_page.headers["Location"] == f"/live/group/{mine.id}"
    login_as(room.facilitator)
    on_the_wall = now_target(client, meeting, mode="projector")
    assert on_the_wall == f"/live/exercise/{exercise.id}/projector"

    client.post(f"/live/exercise/{exercise.id}/start-all")
    refused = move(client, meeting, "next")
    assert "The exercise of this item is still running" in refused.text
    assert statuses(meeting.id)[3] == "running"  # nothing moved
    db.session.execute(sa.update(SparringGroup).values(status=Status.FINISHED))
    db.session.commit()
    move(client, meeting, "next")
    assert statuses(meeting.id)[4] == "running"
    client.post(f"/live/meeting/{meeting.id}/run/open")
    assert db.session.scalar(sa.select(MeetingEvaluation.id).where(
        MeetingEvaluation.meeting_id == meeting.id)) is not None
    login_as(room.members[0])
    assert now_target(client, meeting) == f"/evaluations/meeting/{meeting.id}"
    assert now_target(client, meeting, at="evaluation") is None
    login_as(room.facilitator)
    projector = now_target(client, meeting, mode="projector")
    assert projector == f"/evaluations/meeting/{meeting.id}/round?mode=projector"
    move(client, meeting, "next")
    page = client.get(f"/live/meeting/{meeting.id}/run")
    assert "The programme is done" in page.text
    login_as(room.members[0])
    assert now_target(client, meeting) is None  # after the end nobody is moved


def test_two_facilitators_tapping_next_at_once_move_the_room_once(room, client, login_as):
    following_agenda(room.meeting)
    login_as(room.facilitator)
    move(client, room.meeting, "begin")
    seen = version(room.meeting.id)
    move(client, room.meeting, "next", at=seen)
    page = move(client, room.meeting, "next", at=seen)
    assert statuses(room.meeting.id)[:3] == ["done", "running", "ready"]
    assert "had already moved on" in page.text


def test_an_empty_agenda_says_so_and_nothing_breaks(room, client, login_as):
    login_as(room.facilitator)
    page = client.get(f"/live/meeting/{room.meeting.id}/run")
    assert page.status_code == 200 and "The agenda has no items yet." in page.text
    for action in ("begin", "next", "extend", "skip"):
        response = move(client, room.meeting, action, item=12345)
        assert response.status_code == 200
    assert "Add them in the agenda editor first" in move(client, room.meeting, "begin").text
    assert client.post(f"/live/meeting/{room.meeting.id}/run/open").status_code == 303
    assert client.post(f"/live/meeting/{room.meeting.id}/run/jump",
                       data={"version": 0}).status_code == 404


def test_extend_gives_five_minutes(room, client, login_as, frozen_clock):
    following_agenda(room.meeting)
    login_as(room.facilitator)
    move(client, room.meeting, "begin")
    move(client, room.meeting, "extend")
    page = client.get(f"/live/meeting/{room.meeting.id}/programme/clock")
    assert 'data-remaining="1500.0"' in page.text  # 20 + 5 minutes


def test_a_member_sees_the_programme_but_cannot_move_it(room, client, login_as):
    following_agenda(room.meeting)
    login_as(room.members[0])
    assert client.get(f"/live/meeting/{room.meeting.id}/run").status_code == 403
    page = client.get(f"/live/meeting/{room.meeting.id}/programme")
    assert page.status_code == 200 and "Start the programme" not in page.text
    response = client.post(f"/live/meeting/{room.meeting.id}/run/begin", data={"version": 0})
    assert response.status_code == 403 and statuses(room.meeting.id)[0] == "ready"
    # before the programme starts nobody is moved anywhere
    assert now_target(client, room.meeting) is None


def test_exercises_are_renamed_and_deleted_only_before_they_start(room, client, login_as):
    exercise = f.live_exercise(room.meeting, "presentation")
    started = f.live_exercise(room.meeting, "interviews")
    login_as(room.facilitator)
    client.post(f"/live/exercise/{started.id}/control/start", data={"version": 0})
    client.post(f"/live/exercise/{exercise.id}/rename", data={"title": "Runden om bordet"})
    page = client.get(f"/live/meeting/{room.meeting.id}")
    assert "Runden om bordet" in page.text
    assert re.search(r'data-state="running"', page.text) and 'data-state="ready"' in page.text
    refused = client.post(f"/live/exercise/{started.id}/delete", follow_redirects=True)
    assert "The exercise has started, so this can no longer be changed." in refused.text
    gone, kept = exercise.id, started.id
    client.post(f"/live/exercise/{gone}/delete")
    db.session.expire_all()
    assert db.session.get(Exercise, gone) is None
    assert db.session.get(Exercise, kept) is not None


def test_exercises_follow_the_check_in_until_they_start(room, client, login_as):
    walk_in = f.member(room.net, name="Walk In")
    before = f.live_exercise(room.meeting, "sparring")
    presentation = f.live_exercise(room.meeting, "presentation")
    login_as(room.facilitator)
    client.post(f"/live/exercise/{presentation.id}/control/start", data={"version": 0})
    client.post(f"/meetings/{room.meeting.id}/checkin/{walk_in.id}")  # a walk-in arrives
    client.post(f"/meetings/{room.meeting.id}/checkin/{room.members[0].id}")  # leaves
    db.session.expire_all()
    sparring = db.session.get(Exercise, before.id)
    people = {i for g in sparring.groups for i in g.member_ids}
    assert walk_in.id in people and room.members[0].id not in people
    started = db.session.get(Exercise, presentation.id)
    assert walk_in.id not in started.speaker_ids  # a started exercise keeps its people
    assert room.members[0].id in started.speaker_ids


def test_the_facilitator_takes_part_only_when_choosing_to(room, client, login_as):
    exercise = f.live_exercise(room.meeting, "presentation")
    assert room.facilitator.id not in exercise.speaker_ids
    f.attendance(room.meeting, room.facilitator, checked_in=True)
    login_as(room.coordinator)
    from tests.submits import once

    client.post(f"/live/meeting/{room.meeting.id}/exercises/presentation",
                data={"presentation-minutes": 2, "presentation-take_part": "y",
                      "presentation-once": once()})
    mine = db.session.scalars(sa.select(Exercise).order_by(Exercise.id.desc())).first()
    assert room.coordinator.id in mine.speaker_ids
    assert room.facilitator.id not in mine.speaker_ids


def test_three_interviewees_see_on_their_tablets_what_the_projector_says(room, client, login_as):
    three = room.members[:3]
    meeting = f.meeting(room.net)
    for person in three:
        f.attendance(meeting, person, checked_in=True)
    exercise = f.live_exercise(meeting, "interviews")
    assert len(exercise.pairs) == 1 and len(exercise.pairs[0].member_ids) == 3
    for step in range(3):
        login_as(room.facilitator)
        if step:
            for action in (["start", "next"] if step == 1 else ["next"]):
                db.session.expire_all()
                current = db.session.get(Exercise, exercise.id)
                client.post(f"/live/exercise/{exercise.id}/control/{action}",
                            data={"version": current.version})
            db.session.expire_all()
            assert db.session.get(Exercise, exercise.id).step_index == step
        projector = client.get(f"/live/exercise/{exercise.id}/projector").text
        interviewer = re.search(r"<strong data-interviewer>([^<]+)<", projector).group(1)
        interviewee = re.search(r"<strong data-interviewee>([^<]+)<", projector).group(1)
        # the projector names the third too, so each of the three finds themself on the wall
        listener = re.search(r"data-listener>· ([^<]+) listens and takes notes<",
                             projector).group(1)
        assert {interviewer, interviewee, listener} == {p.name for p in three}
        seen = set()
        for person in three:
            login_as(person)
            tablet = client.get(f"/live/exercise/{exercise.id}").text
            if person.name == interviewer:
                assert re.search(r"data-interviewee>([^<]+)<", tablet).group(1) == interviewee
                seen.add("interviewer")
            elif person.name == interviewee:
                assert re.search(r"data-interviewer>([^<]+)<", tablet).group(1) == interviewer
                seen.add("interviewee")
            else:
                listening = re.search(r"data-listening>(.+?)</p>", tablet).group(1)
                assert interviewer in listening and interviewee in listening
                assert person.name == listener
                seen.add("listener")
        assert seen == {"interviewer", "interviewee", "listener"}


def test_a_waiting_sparring_card_shows_the_whole_round(room, client, login_as):
    exercise = f.live_exercise(room.meeting, "sparring", round_minutes=15)
    login_as(room.facilitator)
    page = client.get(f"/live/exercise/{exercise.id}/facilitate")
    # the countdowns, not the whole page: the server's time in it ("…T23:15:00Z") may hold "15:00"
    countdowns = re.findall(r"data-countdown[^>]*>([^<]*)<", page.text)
    assert countdowns == ["15:00"] * len(exercise.groups)
    group = exercise.groups[0]
    login_as(db.session.get(type(room.facilitator), group.member_ids[0]))
    assert "A round of 15 minutes" in client.get(f"/live/group/{group.id}").text


def test_a_group_chooses_its_case_giver_and_questioner_before_the_round(
        room, client, login_as):
    exercise = f.live_exercise(room.meeting, "sparring")
    group = exercise.groups[0]
    ids = group.member_ids
    login_as(db.session.get(type(room.facilitator), ids[0]))
    client.post(f"/live/group/{group.id}/roles", data={"person": ids[2], "role": "case_giver"})
    client.post(f"/live/group/{group.id}/roles", data={"person": ids[0], "role": "questioner"})
    page = client.get(f"/live/group/{group.id}").text
    names = {i: db.session.get(type(room.facilitator), i).name for i in ids}
    assert re.search(r"Case-giver</dt><dd>([^<]+)<", page).group(1) == names[ids[2]]
    assert re.search(r"Questioner</dt><dd>([^<]+)<", page).group(1) == names[ids[0]]
    db.session.execute(sa.update(SparringGroup).where(SparringGroup.id == group.id).values(
        status=Status.RUNNING, step_index=1, started_at=room.meeting.starts_at, version=5))
    db.session.commit()
    refused = client.post(f"/live/group/{group.id}/roles",
                          data={"person": ids[1], "role": "case_giver"}, follow_redirects=True)
    assert "The round is under way" in refused.text


def test_a_presentation_round_and_interviews_open_from_their_items_with_the_items_time(
        room, client, login_as):
    meeting = room.meeting
    for position, (kind, minutes) in enumerate(
            [(AgendaKind.PRESENTATION_ROUND, 16), (AgendaKind.INTERVIEWS, 20)]):
        db.session.add(AgendaItem(meeting_id=meeting.id, kind=kind, title=kind.value,
                                  minutes=minutes, position=position))
    db.session.commit()
    login_as(room.facilitator)
    move(client, meeting, "begin")
    client.post(f"/live/meeting/{meeting.id}/run/open")
    presentation = db.session.scalars(sa.select(Exercise)).one()
    assert len(presentation.speaker_ids) == 8 and presentation.durations == [120] * 8
    client.post(f"/live/exercise/{presentation.id}/control/end",
                data={"version": presentation.version})
    move(client, meeting, "next")
    client.post(f"/live/meeting/{meeting.id}/run/open")
    interviews = db.session.scalars(sa.select(Exercise).order_by(Exercise.id.desc())).first()
    assert interviews.kind == "interviews" and interviews.durations == [600, 600]


def test_each_speaker_gets_whole_minutes_when_fewer_came_than_the_item_was_planned_for(
        room, client, login_as):
    meeting = f.meeting(room.net)
    for person in room.members[:7]:
        f.attendance(meeting, person, checked_in=True)
    db.session.add(AgendaItem(meeting_id=meeting.id, kind=AgendaKind.PRESENTATION_ROUND,
                              title="Presentation round", minutes=16, position=0))
    db.session.commit()
    login_as(room.facilitator)
    move(client, meeting, "begin")
    client.post(f"/live/meeting/{meeting.id}/run/open")
    presentation = db.session.scalars(sa.select(Exercise)).one()
    assert presentation.durations == [120] * 7  # 16 min planned for 8: two minutes each
    login_as(room.members[0])
    tablet = client.get(f"/live/exercise/{presentation.id}").text
    assert "Tell us in 2 minutes:" in tablet and "2:00" in tablet


def test_a_walk_in_after_the_groups_started_is_told_what_changed(room, client, login_as):
    sparring = f.live_exercise(room.meeting, "sparring")
    f.live_exercise(room.meeting, "presentation")
    login_as(room.facilitator)
    client.post(f"/live/exercise/{sparring.id}/start-all")
    walk_in = f.member(room.net, name="Late Comer")
    row = client.post(f"/meetings/{room.meeting.id}/checkin/{walk_in.id}", headers=HX)
    assert row.status_code == 200 and 'aria-pressed="true"' in row.text
    assert "formed again with those checked in" in row.text  # the presentation took them
    assert "Already under way, and so not changed: Sparring exercise." in row.text
