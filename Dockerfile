FROM python:3.11.14-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PORT=8000

WORKDIR /app

COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY app.py gunicorn.conf.py ./
COPY kernels/ kernels/
COPY imaging/ imaging/
COPY web/ web/
COPY templates/ templates/
COPY static/ static/

RUN mkdir -p /app/instance && chown 10001:10001 /app/instance
USER 10001:10001

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ['PORT']}/healthz\", timeout=4)"]

CMD ["gunicorn", "--config", "gunicorn.conf.py", "app:create_app()"]
