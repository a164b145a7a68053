"""Clock fragments rendered once and shared by the screens that show the same thing.

A press makes every open screen of its room ask for its clock fragment at once: 15 tablets,
the projector and the overview. Most of them show the very same HTML, so a worker renders a
fragment once per key and answers the other screens from it, after one query that checks
the reader's access and reads the fingerprint (netapp.live.polling).

The key is what the HTML depends on: the exercise (and which one of that id: a deleted
row's id can come back), the kind of screen (tablet or projector),
the exercise's fingerprint (its set-up revision and clock state, and the current refresh
window: polling.fingerprint), the reader's language and time zone, and whatever names the
reader themselves: on a presentation tablet whether the reader is the one speaking now ("It
is your turn"), on an interviews tablet the reader (their own pair and role). The
facilitator's fragment carries the controls and a CSRF token of its own session: never
shared. Nothing but the fingerprint says whether an entry is current, so a worker holds
only a memo of what the database says: workers stay stateless, and any number of instances
agree; a change makes a new fingerprint, and the next request renders anew.

The reader's access is decided on every request by netapp.access's READ rule in that one
query (or by the full view): a shared fragment is only ever handed to a reader the rule
admits to the exercise.

The server's time in the fragment (data-server-now, the clock sync) is the one part that
differs from one answer to the next: it is set on each answer.

Screens that ask at the same moment for a fragment nobody has rendered yet wait for the
first of them to render it (at most WAIT_SECONDS), instead of each rendering it, and hold no
database connection meanwhile (a burst of them would take the whole pool from the renderer).
"""

import threading
from collections import OrderedDict
from typing import NamedTuple

from flask import current_app, g, request

from netapp.extensions import db
from netapp.i18n import locale_for
from netapp.live.polling import Reading, origin

SHARED_MODES = ("tablet", "projector")
SIZE = 1024  # entries per worker; a fragment is about 3 KB
WAIT_SECONDS = 1.0
SERVER_NOW = 'data-server-now="{}"'
_MARK = "\x00server-now\x00"  # a NUL never comes out of a template's escaped text


class Key(NamedTuple):
    exercise_id: int
    origin: str
    mode: str
    fingerprint: str
    locale: str
    zone: str
    viewer: str


def viewer_part(kind: str, mode: str, reader_id: int, speaker_id: int | None) -> str:
    """What a fragment of `kind` in `mode` says about its reader, as a key part."""
    if mode != "tablet":
        return ""
    if kind == "presentation":
        return "speaking" if speaker_id == reader_id else ""
    if kind == "interviews":
        return f"reader {reader_id}"  # their own pair, and whether they ask or answer
    return ""  # a sparring overview names no reader


def speaker_at(speaker_ids: list, step_index: int) -> int | None:
    return speaker_ids[step_index] if 0 <= step_index < len(speaker_ids) else None


def key_of(exercise_id: int, mode: str, reading: Reading) -> Key | None:
    """The key of the fragment this request asks for, from the one query's reading."""
    if mode not in SHARED_MODES:
        return None
    speaker = speaker_at(reading.speaker_ids, reading.step_index)
    return Key(exercise_id, reading.origin, mode, reading.fingerprint,
               locale_for(reading.reader_language), _zone(),
               viewer_part(reading.kind, mode, reading.reader_id, speaker))


def _zone() -> str:
    return str(current_app.config["BABEL_DEFAULT_TIMEZONE"])


class Shelf:
    """The rendered fragments of this process, the least recently used dropped first."""

    def __init__(self, size: int = SIZE) -> None:
        self._lock = threading.Lock()
        self._items: OrderedDict[Key, str] = OrderedDict()
        self._making: dict[Key, threading.Event] = {}
        self.size = size

    def get(self, key: Key) -> str | None:
        with self._lock:
            body = self._items.get(key)
            if body is not None:
                self._items.move_to_end(key)
            return body

    def claim(self, key: Key) -> threading.Event | None:
        """None: the caller renders `key` (and must `release` it); else the Event set when
        the screen that renders it is done."""
        with self._lock:
            making = self._making.get(key)
            if making is not None:
                return making
            self._making[key] = threading.Event()
            return None

    def put(self, key: Key, body: str) -> None:
        with self._lock:
            self._items[key] = body
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def release(self, key: Key) -> None:
        with self._lock:
            making = self._making.pop(key, None)
        if making is not None:
            making.set()

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)


shelf = Shelf()


def shared_answer(key: Key, server_now: str) -> str | None:
    """The fragment of `key` with this answer's server time, or None: the view renders it
    (this request then holds the claim, if nobody else did, until `keep` or the teardown)."""
    body = shelf.get(key)
    if body is None:
        making = shelf.claim(key)
        if making is None:
            g.live_shared_claim = key
            return None
        # No connection is held while waiting: the one query ran on a connection of its own,
        # and whatever this request's session took before goes back to the pool (a render
        # after all takes one again).
        db.session.close()
        making.wait(WAIT_SECONDS)
        body = shelf.get(key)
        if body is None:
            return None
    return body.replace(_MARK, SERVER_NOW.format(server_now), 1)


def keep(exercise, mode: str, body: str, context: dict) -> None:
    """Shelve the fragment the view rendered, under the key its own context gives; only when
    that is the key this request claimed (same fingerprint, language, reader part), so a
    change between the query and the render, or any disagreement, shelves nothing."""
    claimed = g.pop("live_shared_claim", None)
    if claimed is None:
        return
    try:
        speaker = context.get("speaker")
        own = Key(exercise.id, origin(exercise.network_id, exercise.created_at), mode,
                  context["seen"], str(_rendered_locale()), _zone(),
                  viewer_part(exercise.kind, mode, _reader_id(), speaker.id if speaker else None))
        stamp = SERVER_NOW.format(context["server_now"])
        if own == claimed and body.count(stamp) == 1 and _MARK not in body:
            shelf.put(own, body.replace(stamp, _MARK))
    finally:
        shelf.release(claimed)


def forget_claim(_exc=None) -> None:
    """Teardown: a request that claimed a key and did not shelve it lets the waiters go."""
    claimed = g.pop("live_shared_claim", None)
    if claimed is not None:
        shelf.release(claimed)


def _rendered_locale():
    from netapp.i18n import _reading

    return _reading()[0]


def _reader_id() -> int:
    from flask_login import current_user

    return current_user.id


def asked_mode() -> str:
    """The screen kind a clock request names, as the view reads it."""
    from netapp.live.screens import MODES

    mode = request.args.get("mode", "tablet")
    return mode if mode in MODES else "tablet"
