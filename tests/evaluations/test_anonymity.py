"""Anonymous free text: no page, fragment or export the coordinator, facilitator or
organisation admin can open ties a text to its author."""

from datetime import datetime

import pytest

from tests import factories as f

HX = {"HX-Request": "true"}


PASSWORD = {"password": f.PASSWORD}  # the export asks for it again


def urls(world) -> list[tuple[str, dict]]:
    m, n = world.meeting.id, world.net.id
    return [
        (f"/evaluations/meeting/{m}/round", {}), (f"/evaluations/meeting/{m}/round", HX),
        (f"/evaluations/meeting/{m}", {}), (f"/evaluations/meeting/{m}/kiosk", {}),
        (f"/evaluations/network/{n}", {}), (f"/evaluations/network/{n}/health", {}),
        (f"/evaluations/network/{n}/settings", {}), (f"/evaluations/network/{n}/export.csv", {}),
        (f"/evaluations/org/{world.net.organisation_id}", {}), ("/home", {}),
    ]


@pytest.fixture
def anonymous_round(world):
    evaluation = f.evaluation(world.meeting, anonymous=True)
    texts = {}
    # answered in the order Mads, Maja, Mikkel; texts chosen so sorting by text reverses it
    for person, letter in zip(world.members, "CBA", strict=True):
        mark = f"{letter}-secret-{person.id}"
        texts[person] = mark
        f.evaluation_answer(evaluation, person, good=f"{mark} good", missed=f"{mark} missed",
                            comment=f"{mark} comment")
    return texts


@pytest.mark.parametrize("viewer", ["coordinator", "facilitator", "admin"])
def test_author_of_anonymous_text_cannot_be_found(world, anonymous_round, client, login_as,
                                                  viewer):
    login_as(getattr(world, viewer))
    seen_text = False
    for url, headers in urls(world):
        response = client.get(url, headers=headers)
        assert response.status_code in (200, 286, 403, 404), url
        body = response.text
        if any(mark in body for mark in anonymous_round.values()):
            seen_text = True
            for author in anonymous_round:
                assert author.name not in body, f"{author.name} named on {url}"
                assert author.email not in body, url
    assert seen_text or viewer == "admin"


def test_admin_sees_figures_but_never_text(world, anonymous_round, client, login_as):
    login_as(world.admin)
    page = client.get(f"/evaluations/org/{world.net.organisation_id}").text
    assert world.net.name in page
    assert not any(mark in page for mark in anonymous_round.values())
    assert not any(p.name in page for p in world.members)


def test_anonymous_texts_are_ordered_by_text_not_by_answering(world, anonymous_round, client,
                                                              login_as):
    login_as(world.coordinator)
    body = client.get(f"/evaluations/meeting/{world.meeting.id}/round").text
    positions = [body.index(f"{mark} good") for mark in anonymous_round.values()]
    assert positions == sorted(positions, reverse=True)  # A.., B.., C..: not Mads first
    csv = client.post(f"/evaluations/network/{world.net.id}/export.csv", data=PASSWORD).text
    positions = [csv.index(f"{mark} good") for mark in anonymous_round.values()]
    assert positions == sorted(positions, reverse=True)


def test_export_of_an_anonymous_round_has_no_names_or_times(world, anonymous_round, client,
                                                             login_as):
    login_as(world.coordinator)
    export = f"/evaluations/network/{world.net.id}/export.csv"
    csv = client.post(export, data=PASSWORD).text.splitlines()
    header = csv[0].split(",")
    for line in csv[1:]:
        cells = line.split(",")
        assert cells[header.index("anonymous")] == "yes"
        assert cells[header.index("name")] == "" and cells[header.index("answered_at")] == ""


def test_named_rounds_do_show_names(world, client, login_as):
    """The control: where the network chose names, the same pages show them."""
    evaluation = f.evaluation(world.meeting, anonymous=False)
    f.evaluation_answer(evaluation, world.members[0], good="Named praise", comment="Named note")
    login_as(world.coordinator)
    round_page = client.get(f"/evaluations/meeting/{world.meeting.id}/round").text
    assert "Named praise" in round_page and "Mads Member" in round_page
    export = f"/evaluations/network/{world.net.id}/export.csv"
    assert "Mads Member" in client.post(export, data=PASSWORD).text
    assert "Mads Member" in client.get(f"/evaluations/network/{world.net.id}/health").text


def test_export_neutralises_spreadsheet_formulas(world, client, login_as):
    evaluation = f.evaluation(world.meeting)
    f.evaluation_answer(evaluation, world.members[0], good="=HYPERLINK(\"x\")")
    login_as(world.coordinator)
    csv = client.post(f"/evaluations/network/{world.net.id}/export.csv", data=PASSWORD)
    assert csv.headers["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK" in csv.text


def test_export_gives_days_and_times_in_the_networks_zone(world, client, login_as):
    """Just after midnight in Copenhagen it is still yesterday in UTC: the export says the
    day the members met on, and the time they answered with its offset."""
    meeting = f.meeting(world.net, starts_at=datetime(2027, 1, 1, 23, 30), topic="Nytår")
    named = f.evaluation(meeting, anonymous=False)
    f.evaluation_answer(named, world.members[0], updated_at=datetime(2027, 1, 2, 0, 5))
    summer = f.meeting(world.net, starts_at=datetime(2027, 6, 30, 22, 15), topic="Sommer")
    f.evaluation_answer(f.evaluation(summer, anonymous=False), world.members[0],
                        updated_at=datetime(2027, 6, 30, 22, 40))
    login_as(world.coordinator)
    header, *rows = [line.split(",") for line in
                     client.post(f"/evaluations/network/{world.net.id}/export.csv",
                                 data=PASSWORD).text.splitlines()]
    cells = {row[header.index("meeting_topic")]: row for row in rows}
    day, at = header.index("meeting_date"), header.index("answered_at")
    assert (cells["Nytår"][day], cells["Nytår"][at]) == ("2027-01-02", "2027-01-02T01:05+01:00")
    assert (cells["Sommer"][day], cells["Sommer"][at]) == ("2027-07-01", "2027-07-01T00:40+02:00")


def test_free_text_is_escaped(world, client, login_as):
    evaluation = f.evaluation(world.meeting)
    f.evaluation_answer(evaluation, world.members[0], good='<script>alert(1)</script>',
                        missed='" onmouseover="x" hx-get="/x')
    login_as(world.coordinator)
    body = client.get(f"/evaluations/meeting/{world.meeting.id}/round").text
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
    assert 'hx-get="/x' not in body


def test_export_asks_for_the_password_again(world, client, login_as):
    """The password is asked again before an export."""
    login_as(world.coordinator)
    url = f"/evaluations/network/{world.net.id}/export.csv"
    page = client.get(url)
    assert page.status_code == 200 and page.mimetype == "text/html"
    wrong = client.post(url, data={"password": "not it at all"})
    assert wrong.mimetype == "text/html" and "That is not your password." in wrong.text
    assert client.post(url, data=PASSWORD).mimetype == "text/csv"
