"""Gunicorn settings for production (`make serve` and the Docker image).

The port comes from $PORT (gunicorn's own convention), 8000 when unset.
"""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = 60
accesslog = "-"
