"""gunicorn settings for `make serve`: workers from the core count, behind a reverse proxy."""

import multiprocessing
import os
import sys
from pathlib import Path

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# gevent: each open live screen holds one idle event stream (netapp.live.push); a greenlet
# holds it for a few KB where a thread would take a whole thread. GUNICORN_WORKER_CLASS=gthread
# serves the same app with threads (then GUNICORN_THREADS bounds the open streams per worker).
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gevent")
# A gevent worker keeps one core busy by itself: one per core, at least two (a slow request
# in one never holds up every screen). Fewer processes also share more rendered clock fragments
# (netapp.live.sharing) and hold fewer database connections. Threads wait instead: 2 × cores + 1.
_cores = multiprocessing.cpu_count()
workers = int(os.environ.get("WEB_CONCURRENCY",
                             max(2, _cores) if worker_class == "gevent" else _cores * 2 + 1))
_program = Path(sys.argv[0])  # .venv/bin/gunicorn, or gunicorn/__main__.py for -m gunicorn
if worker_class == "gevent" and "gunicorn" in (_program.name, _program.parent.name):
    # The app is loaded once in the master (preload_app) before the workers fork: patch
    # first, so the locks, queues and sockets it makes while loading are gevent's, and a
    # worker waiting on its connection pool yields instead of stopping every stream. Only
    # in gunicorn itself: a program that reads these settings is left as it is.
    from gevent import monkey

    monkey.patch_all()
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", "2000"))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))  # gthread only
timeout = 30
# Reloads (SIGHUP) drain without stalls: workers fork from the app the master loaded once,
# so each new worker answers at once instead of importing the app while the old ones stop.
# New code therefore needs a restart of the instance (README, "Deploying"), one at a time.
preload_app = True
graceful_timeout = 20  # an old worker finishes its requests (a slow export) before it stops
keepalive = 5
max_requests = 5000  # recycle workers now and then against slow leaks
max_requests_jitter = 500
accesslog = "-"
errorlog = "-"
logger_class = "netapp.logs.GunicornLogger"  # access log lines without link tokens
control_socket_disable = True  # gunicorn 27 would open ~/.gunicorn/ otherwise
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """Live streams end soon after this worker is asked to stop (TERM, HUP, recycling), once
    its successors have had time to boot, and well before graceful_timeout kills it."""
    from netapp.live import push

    push.serving = push.until_stopped(lambda: worker.alive)
