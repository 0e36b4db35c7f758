# repfit: the two commands a new user needs are `make demo` and `make test`.
# Both create .venv (Python >= 3.11) and install repfit into it when missing.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.repfit-installed

.PHONY: demo test bench lint clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "repfit needs Python 3.11 or newer"'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)  ## score the bundled candidates and simulate the bundled demo book
	@bash examples/demo.sh $(BIN)

test: $(STAMP)  ## the whole test suite, then ruff and mypy
	$(BIN)/python -m pytest -n 2 -q
	$(BIN)/python -m ruff check .
	$(BIN)/python -m mypy
	$(BIN)/lint-imports

bench: $(STAMP)  ## performance figures (prints, never asserts)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
