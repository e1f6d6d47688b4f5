# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: install run test lint audit format messages services-test worker demo bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip uv

# Installed once per lock file, compiled once per catalogue change: a second `make test` (or two
# at once, as CI runs them) finds both up to date and goes straight to the tests.
INSTALLED := $(VENV)/.installed-dev-lock
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

$(INSTALLED): requirements-dev.lock | $(PY)
	$(VENV)/bin/uv pip install --quiet --python $(PY) --require-hashes -r requirements-dev.lock
	touch $@

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po | $(INSTALLED)
	$(PY) manage.py compilemessages --ignore=$(VENV) -l $* -v 0
	touch $@

install: $(INSTALLED) $(CATALOGUES)  ## Python dependencies from the lock, compiled translations

run: install  ## Install, migrate, load demo data and serve on http://127.0.0.1:8000
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py seed_demo
	REQUIRE_STAFF_MFA=$${REQUIRE_STAFF_MFA:-false} $(PY) manage.py runserver $(HOST)

test: install  ## The whole suite (PostgreSQL/Redis tests run when DATABASE_URL and REDIS_URL are set)
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest $(PYTEST_ARGS)

worker: install  ## A Celery worker on REDIS_URL
	$(VENV)/bin/celery -A omradelos worker -l info

bench: install  ## The portal benchmark (PostgreSQL, Redis, gunicorn); writes docs/benchmarks.md
	$(PY) -m benchmarks $(BENCH_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

audit: install  ## bandit on the code, pip-audit on requirements.lock (says so if offline)
	VENV=$(VENV) .ci/audit

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install  ## Refresh the nb, nn and en catalogues from the source
	$(PY) manage.py makemessages -l nb -l nn -l en --ignore=$(VENV) --ignore=static --ignore=staticfiles --no-obsolete

lock:  ## Re-resolve pinned dependencies after editing pyproject.toml (runtime and dev locks)
	$(VENV)/bin/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 --no-header -o requirements.lock
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 --no-header -o requirements-dev.lock

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
