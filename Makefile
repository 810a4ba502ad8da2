# Sunshift developer entry points. `make demo` and `make test` are the README's two commands.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
OUT ?= out
# `make demo` ends serving the API on this embedded SQLite file (kept between runs).
DEMO_DB ?= $(OUT)/sunshift.db
DEMO_DATABASE_URL := sqlite:///$(DEMO_DB)
DEMO_PORT ?= 8000
DEMO_API := http://127.0.0.1:$(DEMO_PORT)/v1/teams/demo
# the agent whose calendar feed `make demo` prints (Manila: shifts on the other side of the world)
DEMO_AGENT ?= mnl001
# the fixture's fortnight (both 2026 DST changes) lies in the past: let its feed look back a year
DEMO_FEED_DAYS_BACK ?= 366

.PHONY: demo test lint typecheck bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

## Solve the bundled follow-the-sun team, print its coverage summary, write the roster; then
## load the team into the service (team `demo`, a roster solved and published), print a key,
## an agent's calendar feed URL and URLs to try, serve.
## Each run creates a new admin key and adds a roster version; Ctrl-C stops the server.
demo: $(STAMP)
	$(BIN)/sunshift validate fixtures/follow-the-sun/scenario.json
	$(BIN)/sunshift solve fixtures/follow-the-sun/scenario.json --out $(OUT)/roster.json --csv $(OUT)/roster.csv --time-limit 60
	$(BIN)/sunshift report $(OUT)/roster.json
	@mkdir -p $(OUT)
	umask 077; $(BIN)/sunshift admin create-key --team demo --role admin --name "make demo" --database-url $(DEMO_DATABASE_URL) --json \
		| $(BIN)/python -c 'import json, sys; print(json.load(sys.stdin)["key"])' > $(OUT)/demo.key
	$(BIN)/sunshift admin load-scenario fixtures/follow-the-sun/scenario.json --team demo --database-url $(DEMO_DATABASE_URL) --time-limit 30
	$(BIN)/sunshift admin publish --team demo --database-url $(DEMO_DATABASE_URL)
	umask 077; SUNSHIFT_PUBLIC_URL=http://127.0.0.1:$(DEMO_PORT) $(BIN)/sunshift admin feed-token --team demo --agent $(DEMO_AGENT) \
		--database-url $(DEMO_DATABASE_URL) --json | $(BIN)/python -c 'import json, sys; print(json.load(sys.stdin)["url"])' > $(OUT)/demo.feed
	@KEY=$$(cat $(OUT)/demo.key); FEED=$$(cat $(OUT)/demo.feed); \
	echo; \
	echo "API key for team demo (admin; also saved in $(OUT)/demo.key):"; \
	echo "  $$KEY"; \
	echo; \
	echo "Calendar feed of agent $(DEMO_AGENT) (subscribe to it in a calendar app; also in $(OUT)/demo.feed):"; \
	echo "  $$FEED"; \
	echo; \
	echo "Serving $(DEMO_DB) at http://127.0.0.1:$(DEMO_PORT) (docs at /docs). Try, from another terminal:"; \
	echo "  curl -H 'Authorization: Bearer $$KEY' '$(DEMO_API)/rosters'"; \
	echo "  curl -H 'Authorization: Bearer $$KEY' '$(DEMO_API)/rosters/1/coverage?queue=en-chat'"; \
	echo "  curl -H 'Authorization: Bearer $$KEY' '$(DEMO_API)/agents'"; \
	echo "  curl -H 'Authorization: Bearer $$KEY' '$(DEMO_API)/solves'"; \
	echo "  curl '$$FEED'"; \
	echo "Ctrl-C stops the server."; \
	echo
	SUNSHIFT_DATABASE_URL=$(DEMO_DATABASE_URL) SUNSHIFT_PORT=$(DEMO_PORT) SUNSHIFT_FEED_DAYS_BACK=$(DEMO_FEED_DAYS_BACK) $(BIN)/sunshift serve

## Lint, type-check and run the whole test suite (what CI runs).
test: $(STAMP) lint typecheck
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check scheduler api tests

typecheck: $(STAMP)
	$(BIN)/mypy scheduler api

bench: $(STAMP)
	$(BIN)/sunshift bench --agents 200 --days 14 --queues 5 --seed 1 --time-limit 20

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache .ruff_cache
