# shequ — two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test install system-deps migrate demo worker beat check bench clean serve backup messages load

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# Debian packages the tests use: Chromium for browser tests, a CJK font and Pango for
# PDFs (WeasyPrint), poppler-utils to read PDFs back, gettext for `make messages` and the
# catalogue test. Installed only when missing and when we may.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -qi "WenQuanYi Zen Hei" || missing="$$missing fonts-wqy-zenhei"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	command -v xgettext >/dev/null 2>&1 || missing="$$missing gettext"; \
	ldconfig -p 2>/dev/null | grep -q libpangoft2 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Not installed (needs root/apt):$$missing — browser tests will be skipped outside CI."; \
	  fi; \
	fi

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo

# Web + Celery worker + beat; Ctrl-C stops all three.
run: demo
	@echo ""
	@echo "shequ: http://$(HOST):$(PORT)/  (logins above; API docs at /api/docs/)"
	@trap 'kill 0' INT TERM EXIT; \
	$(BIN)/celery -A shequ worker --loglevel=INFO --concurrency=2 & \
	$(BIN)/celery -A shequ beat --loglevel=INFO & \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# operations (#14): production settings on this machine (gunicorn + worker + beat);
# see deploy/ and README「部署 / Deployment」. `make backup` writes var/backups/<time>/.
serve: install
	HOST=$(HOST) PORT=$(PORT) BIN=$(BIN) deploy/serve.sh

backup: install
	$(BIN)/python manage.py backup

# Locust, a working morning (deploy/load/): 100 users against this checkout and against
# BASELINE (a commit, served from a worktree in /tmp), both on 127.0.0.1 only; results
# in var/load/ and docs/benchmarks.md. Needs PostgreSQL and Redis (LOAD_PG, LOAD_REDIS_URL).
load: install
	BIN=$(BIN) deploy/load/run.sh
# end operations

# English (#16): the Chinese msgids are the source, locale/en their English. `make messages`
# adds newly marked strings to the .po (translations kept, vanished ones dropped) and
# compiles the .mo, which is committed so `make run` needs no gettext (tests/test_english.py
# checks the .mo matches the .po and reads these flags).
MESSAGES_FLAGS := -l en --ignore=.venv --ignore=var --ignore=tests --ignore=static --no-obsolete
messages: install
	$(BIN)/python manage.py makemessages $(MESSAGES_FLAGS)
	$(BIN)/python manage.py compilemessages -l en --ignore=.venv --ignore=var

worker: install
	$(BIN)/celery -A shequ worker --loglevel=INFO

beat: install
	$(BIN)/celery -A shequ beat --loglevel=INFO

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

test: install system-deps
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Benchmark in its own database (SQLite var/bench.sqlite3, or <db>_bench on PostgreSQL
# when DATABASE_URL is set); prints a table and writes var/bench.json. SCALE=province
# needs PostgreSQL; FACTOR=0.3 shrinks a scale; BASELINE=file.json compares page by page;
# RESULTS=file.json judges a stored run against BASELINE without measuring again.
bench: install
	$(BIN)/python manage.py bench --scale $(or $(SCALE),city) --factor $(or $(FACTOR),1) \
	  $(if $(BASELINE),--baseline $(BASELINE)) $(if $(RESULTS),--results $(RESULTS))

clean:
	rm -rf var/celery var/staticfiles .pytest_cache
