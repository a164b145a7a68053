"""Charts say their figures in text too: a screen reader hears the counts, not a picture."""

import re
from html.parser import HTMLParser

from tests import factories as f


class _Tables(HTMLParser):
    """The tables hidden from the eye, as {caption: [[cell, ...], ...]}."""

    def __init__(self):
        super().__init__()
        self.tables, self._depth, self._caption, self._row, self._cell = {}, 0, None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "div" and ("class", "visually-hidden") in attrs:
            self._depth = 1
        elif self._depth and tag == "div":
            self._depth += 1
        elif self._depth and tag == "caption":
            self._cell = []
        elif self._depth and tag == "tr":
            self._row = []
        elif self._depth and tag in ("th", "td"):
            self._cell = []

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if not self._depth:
            return
        text = "".join(self._cell or []).strip()
        if tag == "caption":
            self._caption, self._cell = text, None
            self.tables[text] = []
        elif tag in ("th", "td") and self._row is not None:
            self._row.append(text)
            self._cell = None
        elif tag == "tr":
            self.tables[self._caption].append(self._row)
            self._row = None
        elif tag == "div":
            self._depth -= 1


def _tables(html: str) -> dict:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def test_the_round_says_how_many_chose_each_score(world, client, login_as):
    evaluation = f.evaluation(world.meeting)
    for person, energy in zip(world.members, (2, 4, 4), strict=True):
        f.evaluation_answer(evaluation, person, energy=energy, rating=5)
    login_as(world.facilitator)
    tables = _tables(client.get(f"/evaluations/meeting/{world.meeting.id}/round").text)
    assert tables["Did you leave with energy?"] == [
        ["Score", "Answers"], ["1", "0"], ["2", "1"], ["3", "0"], ["4", "2"], ["5", "0"]]
    assert tables["Overall rating"][-1] == ["5", "3"]


def test_the_health_charts_say_each_meetings_figures(world, client, login_as):
    evaluation = f.evaluation(world.meeting)
    f.evaluation_answer(evaluation, world.members[0], energy=3, rating=4)
    login_as(world.coordinator)
    tables = _tables(client.get(f"/evaluations/network/{world.net.id}/health").text)
    [header, *rows] = tables["Energy and rating per meeting (1-5)"]
    assert header == ["Meeting", "Energy", "Rating"]
    assert [row[1:] for row in rows if row[1:] != ["–", "–"]] == [["3", "4"]]
    [header, *rows] = tables["Present and cancelled per meeting"]
    assert header[1:] == ["Present", "Cancellations"] and rows
    assert all(re.fullmatch(r"\d+", cell) for row in rows for cell in row[1:])
