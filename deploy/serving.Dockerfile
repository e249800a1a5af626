# The model service as an image (Chapter 3). There is no Docker daemon on the course machines,
# so the chapter explains these steps instead of running them. From the repository root:
#   docker build -f deploy/serving.Dockerfile -t wdbc-service .
#   docker run --rm -p 127.0.0.1:8080:8080 \
#       -e SERVING_API_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe())')" \
#       -e SERVING_ADMIN_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe())')" \
#       -v "$PWD/registry:/srv/registry:ro" wdbc-service
# The registry is mounted read-only: the image holds code and packages, never a model, so one
# image serves every model version and a rollback needs no rebuild.
FROM python:3.11.7-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    OMP_NUM_THREADS=1 \
    SERVING_REGISTRY=/srv/registry \
    SERVING_MODEL=wdbc-forest \
    SERVING_ALIAS=champion

RUN useradd --create-home --uid 10001 service
WORKDIR /srv/app

# Dependencies first (cached until the lock changes), at the versions of the course lock.
# A leaner image would install only the serving packages (no torch, no JupyterLab): smaller,
# faster to start, fewer packages to patch. The course lock keeps it identical to the notebooks.
COPY requirements.txt .
RUN pip install "$(grep '^pip==' requirements.txt)" \
 && pip install --extra-index-url https://download.pytorch.org/whl/cpu -r requirements.txt

# Only what the service needs: the helpers package and its metadata, no notebooks or data.
COPY pyproject.toml README.md ./
COPY helpers ./helpers
RUN pip install --no-deps --no-build-isolation .

USER service
EXPOSE 8080
# Liveness for `docker run --health-cmd`-style checks; readiness is /ready (model loaded).
HEALTHCHECK --interval=10s --timeout=2s --start-period=60s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/health')"
# `helpers.service.launch` is uvicorn's command line with torch hidden from imports (the lock
# installs it for other chapters; the service never uses it). The limits bound how many
# connections one container holds and how long an idle one stays open; the app itself bounds
# the time to read a body (SERVING_READ_TIMEOUT_S) and the batching queue (SERVING_MAX_QUEUE).
CMD ["python", "-m", "helpers.service.launch", "--factory", "helpers.service.app:create_app", \
     "--host", "0.0.0.0", "--port", "8080", "--no-access-log", \
     "--limit-concurrency", "1000", "--timeout-keep-alive", "5"]
