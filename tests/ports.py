"""Ports for servers the tests start: chosen so that nothing else takes them meanwhile."""

import random
import socket


def _ephemeral_ports() -> range:
    """The ports the kernel hands out for bind(0) and outgoing connections."""
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low, high = (int(n) for n in f.read().split())
        return range(low, high + 1)
    except (OSError, ValueError):
        return range(32768, 61000)


def free_port() -> int:
    """A port nothing holds now, outside the kernel's ephemeral range, for a server a test
    starts in another process (PostgreSQL, gunicorn) or stops and starts again. A bind(0)
    port, once let go, can be taken by any outgoing connection (a browser test opens hundreds)
    before that server binds it."""
    ephemeral = _ephemeral_ports()
    ports = [p for p in range(10000, 32768) if p not in ephemeral] or list(range(10000, 20000))
    # its own generator: a test that seeds the global one must not make workers pick alike
    for port in random.SystemRandom().sample(ports, min(200, len(ports))):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 10000-32767")
