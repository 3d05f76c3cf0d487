# PCC Practice: `make run` to serve the seeded site, `make test` to run the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
FIXTURES := themes areas partners sources approaches initiatives evidence claims

# A Python 3.12+ interpreter: PYTHON=... wins, then python3.13/3.12/python3 on PATH, then pyenv's.
# Each candidate is run, because pyenv shims exist even when they cannot start.
PYTHON_OK = "$(1)" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1
find_python = for p in $(PYTHON) python3.13 python3.12 python3 \
	$$(ls -d $$(pyenv root 2>/dev/null)/versions/3.1[2-9]*/bin/python 2>/dev/null | sort -rV); do \
	if command -v "$$p" >/dev/null 2>&1 && $(call PYTHON_OK,$$(command -v $$p)); then \
	command -v "$$p"; break; fi; done

.PHONY: help install assets system-deps run serve test test-fast test-e2e lint migrate seed reseed backup restore soak abuse bench deploy-check cluster failover postgres clean

help:
	@echo "make run     set everything up and serve the seeded site at http://$(HOST):$(PORT)"
	@echo "make test    set everything up and run the whole test suite"
	@echo "make test-fast / make test-e2e   only the Python tests / only the browser tests"
	@echo "make serve   run under gunicorn with production settings (debug off)"
	@echo "make lint    ruff, Django checks and the migrations check"
	@echo "make cluster nginx, two app nodes, PostgreSQL, Redis and the timers on loopback (deploy/)"
	@echo "make failover  kill and restart a node under load through nginx, then stop Redis"

$(BIN)/python:
	@py="$$($(find_python))"; \
	if [ -z "$$py" ]; then \
	  echo "No Python 3.12 or newer found. Install one (for example 'apt-get install python3.12'" >&2; \
	  echo "or 'pyenv install 3.13') or name it: make PYTHON=/path/to/python3.12 ..." >&2; exit 1; fi; \
	echo "Creating $(VENV) with $$py"; "$$py" -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed to build the styles: apt-get install npm" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

assets/css/app.css: node_modules/.package-lock.json $(wildcard scss/*.scss)
	npm run --silent build

assets: assets/css/app.css

# Development commands run with debug on; `make serve` runs as production does.
DEV := DJANGO_DEBUG=1
# A throwaway key for `make serve` when none is set; production sets its own.
SERVE_KEY = $${DJANGO_SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')}

migrate: install
	$(DEV) $(BIN)/python manage.py migrate --noinput

# Adds whatever seed data is missing, and brings seed entries that no editor has changed up
# to date; never overwrites an edit (manage.py seed --update).
seed: migrate
	$(DEV) $(BIN)/python manage.py seed --update

# Loads the seed fixtures over the database: edits to seed entries are overwritten.
reseed: migrate
	$(DEV) $(BIN)/python manage.py loaddata $(FIXTURES)

# A backup is one JSON file with all content, editors and history (manage.py backup);
# restore replaces the database's content with it.
BACKUP_DIR ?= backups
backup: install
	$(DEV) $(BIN)/python manage.py backup --output $(BACKUP_DIR)/pcc-practice-$$(date +%Y%m%d-%H%M%S).json

restore: install
	@[ -n "$(FILE)" ] || { echo "Name the backup: make restore FILE=$(BACKUP_DIR)/pcc-practice-....json" >&2; exit 1; }
	@[ -f "$(FILE)" ] || { echo "No such file: $(FILE)" >&2; exit 1; }
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py restore --noinput "$(FILE)"

run: install assets seed
	$(DEV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

serve: install assets seed
	@[ -n "$$DJANGO_SECRET_KEY" ] || echo "DJANGO_SECRET_KEY is not set: using a throwaway key for this run."
	export DJANGO_SECRET_KEY=$(SERVE_KEY) DJANGO_HTTPS=$${DJANGO_HTTPS:-0}; \
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0 && \
	exec $(BIN)/gunicorn pcc_practice.wsgi --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-2} \
	  --threads $${WEB_THREADS:-8} --timeout 120 --access-logfile -

# The browser and HTML-validation tests need Debian's Chromium and a Java runtime; board-pack
# PDFs need Pango (WeasyPrint), which the PDF tests use; the tests through the proxy and
# `make cluster` need nginx, redis-server and openssl (Debian's nginx is not started: the
# cluster runs its own, with a configuration of its own, as an ordinary process).
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	ldconfig -p | grep -q libpangoft2-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core"; \
	command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	command -v openssl >/dev/null || missing="$$missing openssl"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing$$missing"; apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else echo "The tests need:$$missing. Install with: sudo apt-get install$$missing" >&2; exit 1; fi; \
	fi

# The suite runs in one worker a core (pytest-xdist), each test file in one worker, so that
# a file's fixtures (the seed's rows, the browser, the cluster) are made once. PYTEST_ARGS
# adds options, such as PYTEST_ARGS="-n 0 -x" for one process that stops at the first failure.
PYTEST := $(BIN)/python -m pytest -n auto --dist loadfile $(PYTEST_ARGS)

test: install assets system-deps
	$(PYTEST)

test-fast: install
	$(PYTEST) -m "not e2e"

test-e2e: install assets system-deps
	$(PYTEST) -m e2e

# 60 seconds of 32 connections against gunicorn: zero errors and flat worker memory.
soak: install assets
	bash tests/load/soak.sh

# The abuse review replayed against gunicorn (production settings, 2 workers) on loopback,
# then a mixed hostile load while /healthz is probed; prints its figures (tests/load/abuse.py).
abuse: install assets system-deps
	$(BIN)/python tests/load/abuse.py

# Load figures at 10,000 and 100,000 initiatives (BENCH_DB=sqlite for SQLite).
bench: install assets
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq wrk >/dev/null; } || { echo "make bench needs wrk: sudo apt-get install wrk" >&2; exit 1; }
	@[ "$${BENCH_DB:-postgres}" != postgres ] || pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | sort -V | tail -n 1) main start
	$(BIN)/python tests/load/bench.py

# PostgreSQL at 127.0.0.1:5432, started if it is installed but down (as .ci/run does).
postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || { \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | sort -V | tail -n 1) main start && \
	  for _ in $$(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; }

# The recipe in deploy/ on loopback: nginx in front of two gunicorn nodes, PostgreSQL, Redis and
# the timers' jobs every CLUSTER_TICK_SECONDS (60). Ctrl-C stops everything it started.
cluster: install assets system-deps postgres
	$(BIN)/python tests/load/cluster.py

# About 90 seconds of mixed load through nginx while a node is killed and started again, then
# with Redis stopped; prints requests sent and failed, p99 and form posts stored.
failover: install assets system-deps postgres
	$(BIN)/python tests/load/failover.py

# Production settings must pass Django's deployment checks without a warning.
deploy-check: install
	DJANGO_SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	DJANGO_ALLOWED_HOSTS=practice.example.org DJANGO_HTTPS=1 DJANGO_DEBUG=0 \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

lint: install
	$(BIN)/ruff check .
	$(DEV) $(BIN)/python manage.py check
	$(DEV) $(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) node_modules assets/css staticfiles
