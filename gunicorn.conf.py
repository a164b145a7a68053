"""gunicorn settings for `make serve`: workers from the core count, behind a reverse proxy."""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))  # tablets poll; a thread waits on the DB
timeout = 30
graceful_timeout = 20
keepalive = 5
max_requests = 5000  # recycle workers now and then against slow leaks
max_requests_jitter = 500
accesslog = "-"
errorlog = "-"
control_socket_disable = True  # gunicorn 27 would open ~/.gunicorn/ otherwise
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
