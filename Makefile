# PTĐV — two commands: `make demo` and `make test`.
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: demo demo-db test lint check-messages messages venv system-deps serve bench clean

$(BIN)/ptdv: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip >/dev/null 2>&1 || true
	$(BIN)/pip install -q -e '.[test]'
	touch $(BIN)/ptdv

venv: $(BIN)/ptdv

system-deps:
	bash scripts/system-deps.sh

compile: venv
	@command -v msgfmt >/dev/null 2>&1 || bash scripts/system-deps.sh
	$(BIN)/python scripts/messages.py --compile

## make demo: install, migrate, load the Chợ Đồn demo and serve it (gunicorn) on 127.0.0.1:$(PORT)
# loaddemo restores the shipped demo (ptdv/demo/data/demo.tar.xz, built by `make demo-db`)
# when it was built from this checkout, else it runs the loader (minutes).
# DEBUG is off by default (production); the demo turns it on for itself (development
# secret key, plain HTTP on loopback).
demo: export DEBUG = 1
demo: venv compile
	$(BIN)/ptdv migrate --noinput -v 0
	$(BIN)/ptdv loaddemo
	PORT=$(PORT) $(BIN)/ptdv serve --bind 127.0.0.1:$(PORT)

## make demo-db: rebuild the shipped demo after a change to the demo, a policy or an old migration
demo-db: export DEBUG = 1
demo-db: venv compile
	$(BIN)/ptdv builddemo

LINT_PATHS = $(wildcard ptdv tests bench scripts conftest.py)

lint: export DEBUG = 1
lint: venv
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/ptdv makemigrations --check --dry-run -v 1
	$(BIN)/python scripts/messages.py --check

## make test: install what the tests need (Chromium, fonts, gettext) and run the suite
test: venv system-deps compile lint
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest $(PYTEST_ARGS)

messages: venv
	$(BIN)/python scripts/messages.py

bench: venv
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var
