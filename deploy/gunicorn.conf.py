"""gunicorn settings for the tracker: `gunicorn -c deploy/gunicorn.conf.py`.

No preload_app: each worker imports and builds the application after the fork, so every
worker opens its own database connections and pools (a pool inherited across a fork breaks).
The views are kept by a separate `tracker project` process, never by the workers.
"""

import multiprocessing
import os

wsgi_app = "shell.wsgi:app"
bind = os.environ.get("TRACKER_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("TRACKER_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("TRACKER_THREADS", "4"))
worker_class = "gthread"
# No keep-alive: a kept-alive connection stays with the worker that accepted it, and one
# worker would end up with every busy client while the others idle. Each request is accepted
# anew by whichever worker is free. The proxy in front keeps its own connections to clients.
keepalive = int(os.environ.get("TRACKER_KEEPALIVE", "0"))
preload_app = False
accesslog = "-"
logger_class = "shell.access_log.RedactingLogger"  # links' tokens never reach the log
errorlog = "-"
loglevel = os.environ.get("TRACKER_LOG_LEVEL", "info")
timeout = 30
graceful_timeout = 30
# The app reads the views; the projector keeps them. Workers never run the catch-up engine.
raw_env = ["TRACKER_PROJECT_IN_PROCESS=0"]
