"""Gunicorn settings for production (`make serve` and the Docker image).

The port comes from $PORT (gunicorn's own convention), 8000 when unset.
"""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
worker_class = "gthread"
timeout = 60
accesslog = "-"
# An edit sends the page's state twice (its fields and "good", the last state that worked), so a drawing or a
# typed 7×7 kernel makes a request line over 4 KB: allow what nginx allows in front (8 KB), not gunicorn's 4 KB.
limit_request_line = 8190
