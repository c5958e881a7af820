# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format worker migrate fixtures clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13) and "Python 3.13 is required (see .python-version)")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

fixtures: migrate
	$(BIN)/python manage.py loaddata fixtures/*.json

# The email worker runs beside the development server; stopping one stops both.
run: fixtures
	@echo "Register of training providers: http://$(HOST):$(PORT)/ (persona sign-in at /personas/)"
	@trap 'kill 0' INT TERM EXIT; \
	$(BIN)/python manage.py db_worker --queue-name emails --interval 1 & \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

worker: $(STAMP)
	$(BIN)/python manage.py db_worker --queue-name emails

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3
