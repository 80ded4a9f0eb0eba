"""gunicorn's settings for ITA Tracker (`make serve`, and the systemd unit in docs/deploy.md).

Each can be changed from the environment without editing this file:
GUNICORN_BIND (127.0.0.1:8000), WEB_CONCURRENCY (workers: 2 per CPU + 1),
GUNICORN_TIMEOUT (seconds a request may take; a plan's PDF takes one or two).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# A worker is replaced now and then, so a slow leak never grows without bound.
max_requests = 1000
max_requests_jitter = 100
# nginx on the same machine sets X-Forwarded-For / -Proto; no one else is believed.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# The client's address as nginx saw it, then the usual fields and the time in microseconds.
access_log_format = '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(b)s %(D)sµs "%(a)s"'
# gunicorn 25.1+ opens a control socket under $HOME by default; systemd (or make serve's
# terminal) controls the server here, and the service's home is read-only.
control_socket_disable = True
