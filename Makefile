# Sunshift developer entry points. `make demo` and `make test` are the README's two commands.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
OUT ?= out

.PHONY: demo test lint typecheck bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

## Solve the bundled follow-the-sun team, print its coverage summary, write the roster.
demo: $(STAMP)
	$(BIN)/sunshift validate fixtures/follow-the-sun/scenario.json
	$(BIN)/sunshift solve fixtures/follow-the-sun/scenario.json --out $(OUT)/roster.json --csv $(OUT)/roster.csv --time-limit 60
	$(BIN)/sunshift report $(OUT)/roster.json

## Lint, type-check and run the whole test suite (what CI runs).
test: $(STAMP) lint typecheck
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check scheduler api tests

typecheck: $(STAMP)
	$(BIN)/mypy scheduler api

bench: $(STAMP)
	$(BIN)/sunshift bench --agents 200 --days 14 --queues 5 --seed 1 --time-limit 60

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache .ruff_cache
