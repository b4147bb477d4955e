# ParentPass: two commands do all the set-up.
#   make run   - virtual environment, install, migrate SQLite, demo data, serve on $(PORT)
#   make test  - the whole test suite, in parallel (set DATABASE_URL to a PostgreSQL server to run
#                it there; WORKERS=0 runs it in one process, for debugging)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
PORT ?= 5000
HOST ?= 127.0.0.1
WORKERS ?= auto

.PHONY: run test setup lint translations clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/activate
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $@

translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d app/translations >/dev/null

# axe-core (npm registry) for the browser tests' accessibility checks; test-only, never served.
node_modules/axe-core/axe.min.js: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent; touch $@; \
	else echo "npm not found: browser accessibility tests will be skipped"; fi

setup: $(VENV)/.installed translations node_modules/axe-core/axe.min.js

run: setup
	mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) demo load
	@echo
	@echo "ParentPass is running at http://$(HOST):$(PORT)  (Ctrl+C stops it)"
	@if [ "$(HOST)" = "0.0.0.0" ]; then echo "On a phone on the same network: http://$$(hostname -I | cut -d' ' -f1):$(PORT)"; fi
	@echo
	$(FLASK) run --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed
	$(BIN)/ruff check app tests
	$(BIN)/ruff format --check app tests
	$(BIN)/bandit -q -r app -c pyproject.toml
	$(BIN)/lint-imports --no-cache

# --dist worksteal: a worker that runs out of tests takes some of the other's (the browser
# journeys take 15-20 s each; with plain load balancing one worker can finish long before the other).
test: setup lint
	$(BIN)/python -m pytest -q -n $(WORKERS) --dist worksteal

clean:
	rm -rf $(VENV) instance

# After changing user-facing strings: refresh the catalogue, then translate the new entries.
i18n-update: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output -o app/translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -i app/translations/messages.pot -d app/translations
