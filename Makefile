# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.txt | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run start test test-pg lint format setup migrate seed serve pg bench-posting bench-dashboard bench-http bench-pages race crash clean

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.12)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	rm -f $(VENV)/.installed-* && touch $(STAMP)

setup: $(STAMP) migrate

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

## Set up, load the demo data once, and serve on http://127.0.0.1:8000/
run: seed
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## Set up and serve your own data: no demo data is ever added
start: setup
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Lint, check migrations, and run the whole pytest suite (SQLite)
test: setup lint
	$(BIN)/python manage.py makemigrations --check --dry-run >/dev/null
	$(BIN)/pytest $(PYTEST_ARGS)

## The same suite against a throwaway PostgreSQL cluster
test-pg: $(STAMP)
	scripts/pg-tmp.sh $(BIN)/pytest $(PYTEST_ARGS)

## Production-style serving: collectstatic, migrate, gunicorn (gunicorn.conf.py; reads .env)
serve: $(STAMP)
	DEBUG=0 $(BIN)/python manage.py collectstatic --noinput
	DEBUG=0 $(BIN)/python manage.py migrate --noinput
	DEBUG=0 $(BIN)/gunicorn inventory_system.wsgi --bind $(HOST):$(PORT)

bench-posting: $(STAMP)
	scripts/pg-tmp.sh $(BIN)/python -m bench.posting --ceilings

bench-dashboard: $(STAMP)
	scripts/pg-tmp.sh $(BIN)/python -m bench.dashboard

## Rate, p50/p95 and CPU per request of the main pages through gunicorn, against GET /login/
bench-http: $(STAMP)
	scripts/pg-tmp.sh $(BIN)/python -m bench.http

## Every list and detail page (deep pages too) at 10,000 and 1,000,000 ledger rows, and the full CSV export through gunicorn
bench-pages: $(STAMP)
	scripts/pg-tmp.sh $(BIN)/python -m bench.pages

race: $(STAMP)
	scripts/pg-tmp.sh $(BIN)/python -m bench.race

crash: $(STAMP)
	scripts/pg-tmp.sh $(BIN)/python -m bench.crash

clean:
	rm -rf $(VENV) staticfiles .test-db.sqlite3*
