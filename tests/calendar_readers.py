"""Three independent calendar readers of one file: python-icalendar, vobject and ical.js
(the library behind Thunderbird's calendar, under Node). Each gives the same summary per
event, so a test can demand that all three agree.

ical.js needs Node and `npm ci` in tests/js (the Makefile's test target runs it). Without
them the tests that read with it skip with the reason; with NETAPP_REQUIRE_BROWSER=true
(CI, as for Chromium) they fail instead.
"""

import json
import os
import shutil
import subprocess  # nosec B404: runs the system Node on our own script, no shell
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import icalendar
import pytest
import vobject

JS = Path(__file__).parent / "js"


@dataclass(frozen=True)
class Entry:
    """What a reader makes of one event."""

    uid: str
    sequence: int
    status: str
    start: datetime  # UTC
    end: datetime
    summary: str
    location: str


@dataclass(frozen=True)
class Reading:
    """What a reader makes of one file: its METHOD (None for a feed) and its events."""

    method: str | None
    events: tuple[Entry, ...]


def _utc(value: datetime) -> datetime:
    assert value.tzinfo is not None, f"a floating time, no reader can place it: {value}"
    return value.astimezone(UTC).replace(tzinfo=None)


def by_icalendar(data: bytes) -> Reading:
    """python-icalendar's reading."""
    cal = icalendar.Calendar.from_ical(data)
    events = tuple(
        Entry(str(e["UID"]), int(e.get("SEQUENCE", 0)), str(e.get("STATUS", "")),
              _utc(e["DTSTART"].dt), _utc(e["DTEND"].dt),
              str(e.get("SUMMARY", "")), str(e.get("LOCATION", "")))
        for e in cal.walk("VEVENT"))
    method = cal.get("METHOD")
    return Reading(str(method) if method else None, events)


def by_vobject(data: bytes) -> Reading:
    """vobject's reading: it builds its zones from the file's VTIMEZONEs."""
    cal = vobject.readOne(data.decode("utf-8"))
    events = tuple(
        Entry(e.uid.value, int(e.sequence.value) if hasattr(e, "sequence") else 0,
              e.status.value if hasattr(e, "status") else "",
              _utc(e.dtstart.value), _utc(e.dtend.value),
              e.summary.value if hasattr(e, "summary") else "",
              e.location.value if hasattr(e, "location") else "")
        for e in getattr(cal, "vevent_list", []))
    return Reading(cal.method.value if hasattr(cal, "method") else None, events)


def node_reader() -> str | None:
    """Why ical.js cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "Node is not installed (apt-get install nodejs)"
    if not (JS / "node_modules" / "ical.js").is_dir():
        return "ical.js is not installed (npm ci --prefix tests/js)"
    return None


def require_node() -> None:
    """Skip, with the reason, where ical.js cannot run; on CI fail instead."""
    missing = node_reader()
    if missing is None:
        return
    if os.environ.get("NETAPP_REQUIRE_BROWSER") == "true":
        pytest.fail(f"CI requires ical.js under Node: {missing}")
    pytest.skip(missing)


def by_icaljs(*files: bytes) -> list[Reading]:
    """ical.js's reading of each file, one Node run for all of them."""
    require_node()
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for i, data in enumerate(files):
            path = Path(folder) / f"{i}.ics"
            path.write_bytes(data)
            paths.append(str(path))
        done = subprocess.run(  # nosec B603: fixed argv, no shell
            [shutil.which("node"), str(JS / "read_ics.mjs"), *paths],
            capture_output=True, text=True, timeout=60, check=False, cwd=JS)
    assert done.returncode == 0, done.stderr
    readings = []
    for found in json.loads(done.stdout):
        events = tuple(
            Entry(e["uid"], int(e["sequence"] or 0), e["status"] or "",
                  _iso(e["start"]), _iso(e["end"]), e["summary"] or "", e["location"] or "")
            for e in found["events"])
        readings.append(Reading(found["method"], events))
    return readings


def _iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC).replace(tzinfo=None)


def read_by_all(*files: bytes) -> list[Reading]:
    """Each file read by all three; fails unless they agree. Returns the common readings."""
    from_js = by_icaljs(*files)
    for data, js in zip(files, from_js, strict=True):
        py, vo = by_icalendar(data), by_vobject(data)
        assert py == vo == js, (
            f"the readers disagree:\nicalendar {py}\nvobject   {vo}\nical.js   {js}")
    return from_js
