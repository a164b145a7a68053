"""Faults on the way to a live screen: a proxy that closes idle connections (the stream is
never idle for long), a client that never reads (its response is cut off, its stream leaves)."""

import random
import socket
import threading
import time

import pytest

from netapp import write_timeout
from netapp.live import push
from tests.live.test_push import events_of

PROXY_IDLE_S = 60  # nginx's proxy_read_timeout and most load balancers' idle timeout


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FakeHub:
    """A hub whose waits pass on the fake clock: a change at each of `changes` (fake times)."""

    def __init__(self, clock: FakeClock, changes: list[float]) -> None:
        self.clock, self.changes, self.counter = clock, sorted(changes), 0
        self.listeners = 0

    def listening(self, key):
        self.listeners += 1
        return self.counter

    def leave(self, key):
        self.listeners -= 1

    def moves(self, key):
        return 0  # the meeting never moves here: only the exercise's own changes

    def wait(self, key, seen, timeout):
        due = self.clock.now + timeout
        if self.changes and self.changes[0] <= due:
            self.clock.now = max(self.clock.now, self.changes.pop(0))
            self.counter += 1
        else:
            self.clock.now = due
        return self.counter


@pytest.mark.parametrize("changes", [[], [1003.1, 1003.2, 1050.0, 1170.5]])
def test_a_stream_is_never_idle_long_enough_for_a_proxy_to_close_it(changes, monkeypatch):
    clock = FakeClock()
    hub = FakeHub(clock, changes)
    monkeypatch.setattr(push, "serving", lambda: True)
    monkeypatch.setattr(random, "uniform", lambda low, high: high)  # the longest life
    sent: list[tuple[float, str]] = []
    started = clock.now
    for chunk in push.stream(hub, 1, lifetime=300, clock=lambda: "T", monotonic=clock):
        sent.append((clock.now, events_of(chunk)[0]))
    times = [started] + [at for at, _name in sent]
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert sent[0] == (started, "changed")  # the first event leaves at once
    assert max(gaps) <= push.HEARTBEAT_SECONDS <= PROXY_IDLE_S / 10
    assert [name for _at, name in sent].count("changed") == 1 + len(changes)
    assert times[-1] - started == pytest.approx(300, abs=push.HEARTBEAT_SECONDS)
    assert hub.listeners == 0  # it ended by itself, and left


def test_a_stream_lives_between_eight_tenths_and_all_of_its_lifetime(monkeypatch):
    monkeypatch.setattr(push, "serving", lambda: True)
    for spread in (0.8, 1.0):
        clock = FakeClock()
        monkeypatch.setattr(random, "uniform", lambda low, high, s=spread: s)
        list(push.stream(FakeHub(clock, []), 1, lifetime=100, clock=lambda: "T",
                         monotonic=clock))
        assert clock.now - 1000.0 == pytest.approx(100 * spread)


def _never_reading_pair():
    """A connected pair of sockets whose reading end takes nothing and buffers little."""
    listener = socket.create_server(("127.0.0.1", 0))
    client = socket.socket()
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    client.connect(listener.getsockname())
    server, _ = listener.accept()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    listener.close()
    return server, client


def _serve(body, sock, outcome):
    """What a WSGI server does with a response body: write every piece, then close it."""
    try:
        for piece in body:
            sock.sendall(piece)
        outcome.append("written")
    except OSError as exc:
        outcome.append(type(exc).__name__)
    finally:
        body.close()
        sock.close()


def test_a_response_its_client_never_reads_is_cut_off_and_its_stream_leaves():
    hub = push.Hub()
    server, client = _never_reading_pair()
    pieces = (chunk.encode() + b"x" * 8000
              for chunk in push.stream(hub, 5, lifetime=600, clock=lambda: "T", heartbeat=0.01))
    dog = write_timeout.Watchdog(0.5)
    body = write_timeout.Watched(pieces, server, "GET /live/exercise/5/events", dog)
    outcome: list[str] = []
    writer = threading.Thread(target=_serve, args=(body, server, outcome), daemon=True)
    started = time.monotonic()
    writer.start()
    writer.join(5)
    assert not writer.is_alive(), "the write waited for ever"
    assert outcome and outcome[0] != "written"
    assert 0.5 <= time.monotonic() - started < 3
    assert hub.listeners() == 0 and hub.watched() == []  # the stream left its exercise
    assert dog.watching() == 0
    client.close()


def test_a_stream_waiting_for_a_change_is_not_a_slow_reader():
    hub = push.Hub()
    listener = socket.create_server(("127.0.0.1", 0))
    client = socket.create_connection(listener.getsockname())
    server, _ = listener.accept()
    listener.close()
    dog = write_timeout.Watchdog(0.2)
    pieces = (chunk.encode() for chunk in
              push.stream(hub, 5, lifetime=1.0, clock=lambda: "T", heartbeat=0.6))
    body = write_timeout.Watched(pieces, server, "GET /live/exercise/5/events", dog)
    outcome: list[str] = []
    writer = threading.Thread(target=_serve, args=(body, server, outcome), daemon=True)
    writer.start()
    received = b""
    client.settimeout(3)
    while chunk := client.recv(4096):
        received += chunk
    writer.join(3)
    assert outcome == ["written"]  # 0.6 s between events, each read at once: never cut
    assert events_of(received.decode())[:2] == ["changed", "tick"]
    client.close()
