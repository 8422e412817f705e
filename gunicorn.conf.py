"""gunicorn settings for production serving; gunicorn reads ./gunicorn.conf.py by itself,
so `make serve` (and the bench scripts, which start gunicorn from the repository root)
run with these. Command-line flags still win (the bench scripts pass --workers).

Threaded workers (gthread): each request runs in one of a worker's threads while the
worker's main loop keeps reporting to the master, so `timeout` restarts a worker that
hangs, not one that streams a long response. With sync workers the default 30 s timeout
killed the worker in the middle of a full CSV export of 1,000,000 movements (about a
minute): the client got status 200 and a file cut off at 423,000 lines.

Each thread keeps its own database connection (CONN_MAX_AGE), so the database sees up
to workers x threads connections from one app server: 16 with the defaults.

The variables come from the environment or the .env next to this file, as Django's
settings read them (inventory_system/environment.py).
"""

from pathlib import Path

from inventory_system.environment import Env, environment_with_file

env = Env(environment_with_file(Path(__file__).resolve().parent / ".env"))

wsgi_app = "inventory_system.wsgi"
worker_class = "gthread"
workers = env.int("WEB_CONCURRENCY", default=4)
threads = env.int("GUNICORN_THREADS", default=4)
# Seconds a worker may go silent (its main loop blocked) before the master restarts it.
timeout = env.int("GUNICORN_TIMEOUT", default=30)
graceful_timeout = 30
keepalive = 5
# One line per request on stdout ("-"), in the file named, or none ("off"); errors go
# to stderr.
access_log = env.str("GUNICORN_ACCESS_LOG", default="-")
accesslog = None if access_log == "off" else access_log
