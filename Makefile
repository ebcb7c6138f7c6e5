# Quick start: `make run` serves the demo at http://127.0.0.1:8000; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format sysdeps migrate seed bench clean-db backup restore

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when the requirements change.
$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

sysdeps:
	@bash .ci/sysdeps.sh

var:
	mkdir -p var

migrate: $(VENV)/.installed | var
	$(MANAGE) migrate --no-input

seed: migrate
	$(MANAGE) seed_demo

run: sysdeps seed
	@echo ""
	@echo "莱州消保 已启动：http://$(HOST):$(PORT)/   （管理后台：http://$(HOST):$(PORT)/admin/）"
	@echo "演示账号见上方列表；按 Ctrl+C 停止。"
	$(MANAGE) runserver $(HOST):$(PORT)

# Two xdist workers, each with its own test database (var/test-db.sqlite3_gw0, …_gw1, or test_<name>_gwN on
# PostgreSQL); `--dist loadgroup` keeps the real-Celery-worker tests together on one of them (tests/conftest.py).
# PYTEST_WORKERS=0 runs in one process; PYTEST_ARGS="--reuse-db tests/complaints" keeps the databases and runs a part.
PYTEST_WORKERS ?= 2
test: sysdeps $(VENV)/.installed | var
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -c pyproject.toml -r . -q

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The benchmark database: PostgreSQL on 127.0.0.1, created and seeded once with BENCH_CASES demo cases, then reused.
# `bench` measures in-process with the production settings (DEBUG off), then over HTTP (gunicorn + wrk, from
# sysdeps); BENCH_ARGS go to `manage.py bench`.
BENCH_CASES ?= 1000000
BENCH_DB ?= laizhou_bench
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/$(BENCH_DB)
# The server runs as in production, which refuses the development keys: the benchmark database gets its own keys,
# generated once into var/bench-keys.env and used for the seeding and the server alike.
BENCH_KEYS := var/bench-keys.env
$(BENCH_KEYS): | $(BIN)/python var
	$(BIN)/python -c "import secrets; from cryptography.fernet import Fernet; \
		print('SECRET_KEY=' + secrets.token_urlsafe(50)); \
		print('PERSONAL_DATA_KEYS=' + Fernet.generate_key().decode()); \
		print('PERSONAL_DATA_HASH_KEY=' + secrets.token_urlsafe(40))" > $@
bench: sysdeps $(VENV)/.installed $(BENCH_KEYS)
	@psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$(BENCH_DB)'" | grep -q 1 \
		|| createdb -h 127.0.0.1 -U postgres -E UTF8 -T template0 $(BENCH_DB)
	set -a && . ./$(BENCH_KEYS) && set +a && export DATABASE_URL=$(BENCH_DATABASE_URL) && \
		$(MANAGE) migrate --no-input -v0 && \
		$(MANAGE) seed_demo --cases $(BENCH_CASES) && \
		DEBUG=false ALLOWED_HOSTS=testserver STATIC_ROOT=$(CURDIR)/var/bench-static $(MANAGE) bench $(BENCH_ARGS)

# Backup and restore (README「可靠性与备份」): PostgreSQL by pg_dump/pg_restore plus the private files, one tar file.
BACKUP_DIR ?= var/backups
backup: $(VENV)/.installed
	$(MANAGE) backup --output $(BACKUP_DIR)

# make restore FILE=var/backups/xiaobao-backup-….tar [RESTORE_ARGS="--database-url postgres://… --files-root …"]
restore: $(VENV)/.installed
	@test -n "$(FILE)" || { echo "用法：make restore FILE=var/backups/xiaobao-backup-YYYYmmdd-HHMMSS.tar" >&2; exit 2; }
	$(MANAGE) restore $(FILE) $(RESTORE_ARGS)
