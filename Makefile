# Every target is a thin wrapper: the work is done by `wfscc` (src/wfscc) and pytest.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
DATA   ?= data
OUT    ?= _book

.PHONY: report test test-fast lint bench data clean screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

## make report: install what is needed and build the report on the shipped data
report: $(VENV)/.installed
	$(BIN)/wfscc build --data $(DATA) --out $(OUT)

## make test: install the test extras and run the whole test suite (slow tests included)
test: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest -n 2 --dist loadgroup

## make test-fast: the quick tests only
test-fast: $(VENV)/.installed-test
	$(BIN)/python -m pytest -m "not slow" -n 2

## make screenshots: the visual tests; the PDF pages and site screenshots land in _build/screenshots/
screenshots: $(VENV)/.installed-test
	$(BIN)/python -m pytest tests/visual -n 0

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

## make bench: the side-by-side build benchmark (writes benchmarks/results/*.json); a few
## minutes. BENCH_ARGS="--runs 3" for three runs with the 1000-area scale run; see the README
BENCH_ARGS ?= --skip-scale
bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/bench_build.py $(BENCH_ARGS)

## make data: regenerate the shipped synthetic dataset
data: $(VENV)/.installed
	$(BIN)/wfscc synth --seed 772 --out $(DATA)

clean:
	$(BIN)/wfscc clean --all --out $(OUT) || rm -rf $(OUT) .wfscc-cache
