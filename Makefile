# The one entry point for humans and CI. `make demo` and `make test` set up everything.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    ?= out

.PHONY: demo test lint bench browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed-base: pyproject.toml setup.py $(wildcard src/backchannel/graph/*.c) | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml setup.py $(wildcard src/backchannel/graph/*.c) | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev,spark]"
	touch $@ $(VENV)/.installed-base

# bench only: Raphtory, the baseline of benchmarks/asof.py (never a runtime dependency)
$(VENV)/.installed-bench: pyproject.toml setup.py $(wildcard src/backchannel/graph/*.c) | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev,spark,bench]"
	touch $@ $(VENV)/.installed-dev $(VENV)/.installed-base

demo: $(VENV)/.installed-base
	mkdir -p $(OUT)
	$(BIN)/backchannel report --out $(OUT)/report.html

# Headless Chromium for the web UI tests comes from Debian's package (root only).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	    || echo "warning: could not install chromium; browser tests will fail"; \
	  else echo "warning: chromium not found; install Debian's chromium package"; fi; }

# Lint first, then the suite under coverage. The report (with its TOTAL line) is printed
# even when a test fails; make still fails with pytest's exit code.
test: lint browser
	$(BIN)/python -m coverage erase
	$(BIN)/python -m coverage run -m pytest -q; rc=$$?; \
	  $(BIN)/python -m coverage report; rep=$$?; \
	  if [ $$rc -ne 0 ]; then exit $$rc; fi; exit $$rep

# Lint: ruff (rules and formatting) and mypy (config in pyproject.toml, [tool.mypy]).
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

bench: $(VENV)/.installed-bench
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache .mypy_cache .hypothesis .coverage
