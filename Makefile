# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test lint format worker migrate fixtures clean chromium lock wrk

# Every package comes from a lock file (requirements/, made by `make lock`): exact versions, each
# checked against its hashes, so a fresh machine installs exactly what CI tested. The project itself
# is installed on top, without dependencies, built by the setuptools the lock pins. A changed lock
# file (or pyproject.toml) installs again; `make clean` starts afresh, dropping what a lock no longer lists.
$(STAMP): pyproject.toml requirements/test.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/test.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13) and "Python 3.13 is required (see .python-version)")'
	$(PYTHON) -m venv $(VENV)

# The lock files, from pyproject.toml's ranges, by pip-tools (installed here on demand; not a dependency
# of the project). bench.txt, everything (the main dependencies, the test and bench extras, and the
# setuptools that builds the project), is resolved first; test.txt (what make run and make test install)
# and base.txt (production: the main dependencies alone) take their versions from it, so the three agree.
# Pins already in bench.txt are kept: LOCK_ARGS='--upgrade-package django' moves one package to the
# newest release its range allows, LOCK_ARGS=--upgrade every one. pip's own configuration is left out,
# so that the files name only PyPI's packages and hashes. Commit pyproject.toml and requirements/ together.
PIP_COMPILE = PIP_CONFIG_FILE=/dev/null CUSTOM_COMPILE_COMMAND='make lock' $(BIN)/pip-compile --quiet \
	--generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links

lock: | $(BIN)/python
	$(BIN)/pip install --quiet 'pip-tools>=7.5,<8'
	$(PIP_COMPILE) --allow-unsafe --all-build-deps --extra test --extra bench $(LOCK_ARGS) \
		-o requirements/bench.txt pyproject.toml
	$(PIP_COMPILE) --allow-unsafe --all-build-deps --extra test --upgrade -c requirements/bench.txt \
		-o requirements/test.txt pyproject.toml
	$(PIP_COMPILE) --upgrade -c requirements/bench.txt -o requirements/base.txt pyproject.toml

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

fixtures: migrate
	$(BIN)/python manage.py seed

# The email worker runs beside the development server; stopping one stops both.
run: fixtures
	@echo "Register of training providers: http://$(HOST):$(PORT)/ (persona sign-in at /personas/)"
	@trap 'kill 0' INT TERM EXIT; \
	$(BIN)/python manage.py email_worker --interval 1 & \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

worker: $(STAMP)
	$(BIN)/python manage.py email_worker

# The service as production runs it: DEBUG off, gunicorn's sync workers, static files through
# whitenoise, JSON logs, and the email worker as a process of its own; Ctrl-C stops both, gracefully:
# each runs in a session of its own, so the terminal's SIGINT reaches only this shell, which sends
# them SIGTERM (gunicorn's workers finish the requests they have, the worker its email). The email
# worker is started again whenever it exits (it does when it loses the database), after a wait that
# doubles from 1 to 30 seconds while it keeps exiting; the web server goes on serving meanwhile, and
# make serve stops when the web server does. Settings come from the environment, and those not set
# get a local value (README, "Run it like production").
# The generated keys are kept in the virtual environment's folder, which git ignores.
SERVE_SECRETS := $(VENV)/serve-secrets.env
# Nothing listens there: without a Notify key, emails are queued and retried but never leave the machine.
SERVE_NOTIFY_NOWHERE := http://127.0.0.1:9
SERVE_NOTIFY_KEY := local-00000000-0000-0000-0000-000000000000-00000000-0000-0000-0000-000000000000

$(SERVE_SECRETS): | $(STAMP)
	@umask 077; $(BIN)/python -c 'import secrets; t = secrets.token_urlsafe; \
	print(f"LOCAL_SECRET_KEY={t(50)}\nLOCAL_API_TOKEN_HMAC_KEY={t(48)}")' > $@.tmp && mv $@.tmp $@

serve: $(STAMP) $(SERVE_SECRETS)
	@. $(SERVE_SECRETS); \
	export DEBUG=false; \
	export SECRET_KEY="$${SECRET_KEY:-$$LOCAL_SECRET_KEY}"; \
	export API_TOKEN_HMAC_KEY="$${API_TOKEN_HMAC_KEY:-$$LOCAL_API_TOKEN_HMAC_KEY}"; \
	export ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}"; \
	export SERVICE_URL="$${SERVICE_URL:-http://$(HOST):$(PORT)}"; \
	export SECURE_SSL_REDIRECT="$${SECURE_SSL_REDIRECT:-false}"; \
	if [ -n "$${REDIS_URL:-}" ]; then \
		export WEB_CONCURRENCY="$${WEB_CONCURRENCY:-2}"; \
	else \
		export WEB_CONCURRENCY="$${WEB_CONCURRENCY:-1}"; \
		echo "make serve: no REDIS_URL, so one web worker (each process would have a cache of its own)."; \
	fi; \
	if [ -z "$${DFE_SIGN_IN_ISSUER:-}$${DFE_SIGN_IN_CLIENT_ID:-}$${DFE_SIGN_IN_CLIENT_SECRET:-}" ]; then \
		export DFE_SIGN_IN_ISSUER=https://dfe-sign-in.invalid DFE_SIGN_IN_CLIENT_ID=local DFE_SIGN_IN_CLIENT_SECRET=local; \
		echo "make serve: no DFE_SIGN_IN_*, so signing in is unavailable (make run has persona sign-in)."; \
	fi; \
	if [ -z "$${GOVUK_NOTIFY_API_KEY:-}" ]; then \
		export GOVUK_NOTIFY_API_KEY="$(SERVE_NOTIFY_KEY)"; \
		export GOVUK_NOTIFY_BASE_URL="$${GOVUK_NOTIFY_BASE_URL:-$(SERVE_NOTIFY_NOWHERE)}"; \
		export GOVUK_NOTIFY_TEMPLATE_SIGN_IN_DETAILS="$${GOVUK_NOTIFY_TEMPLATE_SIGN_IN_DETAILS:-00000000-0000-4000-8000-000000000001}"; \
		export GOVUK_NOTIFY_TEMPLATE_ACCOUNT_REMOVED="$${GOVUK_NOTIFY_TEMPLATE_ACCOUNT_REMOVED:-00000000-0000-4000-8000-000000000002}"; \
		echo "make serve: no GOVUK_NOTIFY_API_KEY, so emails go to $$GOVUK_NOTIFY_BASE_URL (not GOV.UK Notify)."; \
	fi; \
	$(BIN)/python manage.py migrate --noinput || exit 1; \
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0 || exit 1; \
	echo "Register of training providers, as in production: $$SERVICE_URL/ ($$WEB_CONCURRENCY web worker(s))"; \
	stopping=; \
	trap 'stopping=1; trap - INT TERM; kill -TERM $$web $$worker 2>/dev/null' INT TERM; \
	setsid $(BIN)/python manage.py email_worker & worker=$$!; worker_started=$$(date +%s); delay=1; \
	setsid $(BIN)/gunicorn --bind $(HOST):$(PORT) & web=$$!; \
	while [ -z "$$stopping" ] && kill -0 $$web 2>/dev/null; do \
		if ! kill -0 $$worker 2>/dev/null; then \
			wait $$worker; worker_status=$$?; \
			if [ $$(( $$(date +%s) - worker_started )) -ge 60 ]; then delay=1; fi; \
			echo "make serve: the email worker exited (status $$worker_status); starting it again in $$delay s."; \
			sleep $$delay; \
			[ -n "$$stopping" ] && break; \
			setsid $(BIN)/python manage.py email_worker & worker=$$!; worker_started=$$(date +%s); \
			delay=$$(( delay < 16 ? delay * 2 : 30 )); \
		fi; \
		sleep 1; \
	done; \
	kill -TERM $$web $$worker 2>/dev/null; wait $$web; status=$$?; wait $$worker; exit $$status

# The browser journeys (tests/e2e) drive Debian's chromium: installed here only when it is missing.
chromium:
	bash .ci/ensure-chromium

test: $(STAMP) chromium
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

# Benchmarks against peers measured in the same run (bench/README.md): PostgreSQL and Redis on
# 127.0.0.1 and Debian's wrk; each makes a database of its own and drops it. About 5 minutes.
BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): pyproject.toml requirements/bench.txt | $(STAMP)
	$(BIN)/pip install --quiet --require-hashes -r requirements/bench.txt
	touch $(BENCH_STAMP)

# The benchmarks' load generator is Debian's wrk: installed here only when it is missing.
wrk:
	bash .ci/ensure-wrk

.PHONY: bench
bench: $(BENCH_STAMP) wrk
	$(BIN)/python -m bench.api
	$(BIN)/python -m bench.admin_scaling
	$(BIN)/python -m bench.feed
	$(BIN)/python -m bench.activity_scaling
	$(BIN)/python -m bench.token_timing

# The load test (bench/load): `make serve` itself, on a PostgreSQL database of its own, driven by wrk.
# About 2–3 minutes; options through BENCH_LOAD_ARGS, e.g. BENCH_LOAD_ARGS='--duration 30'.
.PHONY: bench-load
bench-load: $(STAMP) wrk
	$(BIN)/python -m bench.load $(BENCH_LOAD_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3
