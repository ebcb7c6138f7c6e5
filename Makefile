# Quick start: `make run` serves the demo at http://127.0.0.1:8000; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format sysdeps migrate seed bench clean-db

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

test: sysdeps $(VENV)/.installed | var
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.installed
	$(MANAGE) bench $(BENCH_ARGS)
