# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: install run test lint audit format messages services-test worker demo clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip uv

install: $(PY)  ## Python dependencies from the lock, compiled translations
	$(VENV)/bin/uv pip install --quiet --python $(PY) --require-hashes -r requirements-dev.lock
	$(PY) manage.py compilemessages --ignore=$(VENV) -v 0

run: install  ## Install, migrate, load demo data and serve on http://127.0.0.1:8000
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py seed_demo
	REQUIRE_STAFF_MFA=$${REQUIRE_STAFF_MFA:-false} $(PY) manage.py runserver $(HOST)

test: install  ## The whole suite (PostgreSQL/Redis tests run when DATABASE_URL and REDIS_URL are set)
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest $(PYTEST_ARGS)

worker: install  ## A Celery worker on REDIS_URL
	$(VENV)/bin/celery -A omradelos worker -l info

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
