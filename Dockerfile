# syntax=docker/dockerfile:1
#
# Production image of the områdeløft portal. One image, three roles (see docker-compose.yml):
#   default CMD            gunicorn + whitenoise on port 8000
#   celery ... worker      background tasks (PDF rendering, e-mail)
#   celery ... beat        the periodic-task scheduler
#
#   docker build -t omradelos .
#
# Runtime configuration comes only from the environment (DJANGO_SECRET_KEY, DATABASE_URL, ...);
# nothing secret is baked into the image.

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=omradelos.settings.production \
    MEDIA_ROOT=/data/media \
    PRIVATE_MEDIA_ROOT=/data/private-media

# WeasyPrint: pango/pangoft2, harfbuzz with its subsetter, fontconfig and fonts (Liberation is
# metric-compatible with the Arial fallback in the stylesheets). gettext: compilemessages.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        fontconfig \
        fonts-dejavu-core \
        fonts-liberation \
        shared-mime-info \
        gettext \
 && rm -rf /var/lib/apt/lists/*

# Unprivileged runtime user; a fixed numeric id lets Kubernetes' runAsNonRoot verify it.
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --create-home --home-dir /home/app \
        --shell /usr/sbin/nologin app

# Dependencies first, so code changes do not invalidate this layer. Every wheel is checked
# against the sha256 pinned in requirements.lock.
COPY requirements.lock /tmp/requirements.lock
RUN python -m venv "$VIRTUAL_ENV" \
 && pip install --require-hashes -r /tmp/requirements.lock \
 && rm /tmp/requirements.lock

WORKDIR /app
# Code stays owned by root: the app user can read it but not change it.
COPY . /app

# Production settings refuse to load without a real secret key, so these two commands get a
# random throwaway key that lives only in this RUN's shell and never reaches an image layer.
RUN DJANGO_SECRET_KEY="build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
 && export DJANGO_SECRET_KEY \
 && python manage.py compilemessages --ignore=.venv \
 && python manage.py collectstatic --noinput \
 && mkdir -p "$MEDIA_ROOT" "$PRIVATE_MEDIA_ROOT" \
 && chown app:app "$MEDIA_ROOT" "$PRIVATE_MEDIA_ROOT" \
 && chmod 750 "$PRIVATE_MEDIA_ROOT"

USER 10001:10001

EXPOSE 8000

# worker and beat override this in docker-compose.yml (they serve no HTTP).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "/app/docker/healthcheck.py"]

CMD ["gunicorn", "--config", "/app/docker/gunicorn.conf.py", "omradelos.wsgi:application"]
