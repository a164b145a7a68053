"""gunicorn settings for `make serve`: workers from the core count, behind a reverse proxy."""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))  # tablets poll; a thread waits on the DB
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
