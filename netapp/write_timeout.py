"""A reader that stops reading is cut off: no response waits longer than WRITE_TIMEOUT_SECONDS
for its client to take the next piece of it.

gunicorn (gevent or gthread) writes a response on the client's socket with no time limit. A
client that never reads (a frozen tablet's browser, a script that sends requests and reads
nothing) fills the socket's buffers, and the write then waits for ever, holding its greenlet
or thread, its socket and, for a live stream, its place among the exercise's listeners; the
stream's own lifetime cannot end it, as the stream is not asked for its next event while the
last one is still being written.

`WriteTimeout` notes when a response hands a piece of itself to the server and when the
server asks for the next (the time the app itself takes, such as a live stream waiting for a
change, does not count). One watchdog per process closes the socket of a write that has
waited longer than the limit: the write then fails as if the client had gone away (gunicorn
passes over a broken pipe quietly), the response is closed (a live stream leaves its
listeners) and one line is logged.
"""

import logging
import os
import socket
import struct
import threading
import time

from netapp.logs import redact

log = logging.getLogger(__name__)

# The server's client socket in the WSGI environ: gunicorn's, or Werkzeug's development server's.
SOCKET_KEYS = ("gunicorn.socket", "werkzeug.socket")


class WriteTimeout:
    """WSGI middleware: every response of APP whose socket the server names is watched."""

    def __init__(self, app, seconds: float) -> None:
        self.app = app
        self.seconds = float(seconds)

    def __call__(self, environ, start_response):
        body = self.app(environ, start_response)
        sock = next((environ[k] for k in SOCKET_KEYS if environ.get(k) is not None), None)
        if sock is None or self.seconds <= 0:
            return body
        what = f"{environ.get('REQUEST_METHOD', '')} {redact(environ.get('PATH_INFO', ''))}"
        return Watched(body, sock, what, watchdog(self.seconds))


class Watched:
    """A response body that tells its watchdog while the server is writing a piece of it."""

    def __init__(self, body, sock, what: str, dog: "Watchdog") -> None:
        self._body = body
        self._pieces = iter(body)
        self.sock = sock
        self.what = what
        self.writing_since: float | None = None  # None: the app is making the next piece
        self.cut = False
        self._dog = dog
        dog.add(self)

    def __iter__(self):
        return self

    def __next__(self):
        self.writing_since = None
        try:
            piece = next(self._pieces)
        except StopIteration:
            self.writing_since = time.monotonic()  # the server still writes the last bytes
            raise
        except BaseException:
            self._dog.discard(self)
            raise
        self.writing_since = time.monotonic()
        return piece

    def close(self) -> None:
        self._dog.discard(self)
        close = getattr(self._body, "close", None)
        try:
            if close is not None:
                close()
        finally:
            # Let the others have a turn between two responses: under gevent, a client that
            # sends many requests at once and whose writes all succeed would otherwise be
            # served one after the other without a pause for anyone else.
            time.sleep(0)


class Watchdog:
    """Looks at the watched responses of this process every `period` seconds."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.period = min(1.0, seconds / 4)
        self._lock = threading.Lock()
        self._watched: set[Watched] = set()
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name="netapp-write-timeout")
        self._thread.start()

    def add(self, watched: Watched) -> None:
        with self._lock:
            self._watched.add(watched)

    def discard(self, watched: Watched) -> None:
        with self._lock:
            self._watched.discard(watched)

    def watching(self) -> int:
        with self._lock:
            return len(self._watched)

    def overdue(self, now: float) -> list[Watched]:
        with self._lock:
            return [w for w in self._watched
                    if w.writing_since is not None and now - w.writing_since > self.seconds
                    and not w.cut]

    def _run(self) -> None:
        while True:
            time.sleep(self.period)
            for watched in self.overdue(time.monotonic()):
                cut_off(watched, self.seconds)


def cut_off(watched: Watched, seconds: float) -> None:
    """Close the connection at once (a reset, so the kernel does not keep trying to deliver
    what the client never takes); the server's waiting write then fails."""
    watched.cut = True
    try:
        # On a duplicate of the socket: gevent's own socket object would cancel the waiting
        # write with "file descriptor closed" (logged with a traceback), where the shut socket
        # wakes it with a broken pipe, which the server passes over as a client gone away.
        with socket.fromfd(watched.sock.fileno(), socket.AF_INET, socket.SOCK_STREAM) as dup:
            dup.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            dup.shutdown(socket.SHUT_RDWR)
    except OSError:  # already closed by the client or the server
        return
    log.warning("closed a connection whose client read nothing for %.0f s: %s", seconds,
             watched.what)


_dogs: dict[float, Watchdog] = {}
_dogs_pid = 0
_dogs_lock = threading.Lock()


def watchdog(seconds: float) -> Watchdog:
    """This process's watchdog (a forked worker starts its own: threads do not survive a fork)."""
    global _dogs_pid
    with _dogs_lock:
        if _dogs_pid != os.getpid():
            _dogs.clear()
            _dogs_pid = os.getpid()
        if seconds not in _dogs:
            _dogs[seconds] = Watchdog(seconds)
        return _dogs[seconds]


def init_app(app) -> None:
    """Watch every response of the app (WRITE_TIMEOUT_SECONDS; 0 switches it off)."""
    app.wsgi_app = WriteTimeout(app.wsgi_app, app.config.get("WRITE_TIMEOUT_SECONDS", 30))
