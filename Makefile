# flows — the README's commands. `make help` lists them.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
BENCH_VENV := .venv-bench
RAW    ?= $(or $(FLOWS_RAW),data/raw)
export FLOWS_RAW := $(RAW)

# jupyter refuses to run as root without --allow-root (containers, CI)
ALLOW_ROOT := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)
# JupyterLab saves no PNG snapshot beside a plotly figure (flows.site.lab_save): Run All → save
# changes no byte of a notebook whose code and data did not change
LAB_SAVE := --ContentsManager.pre_save_hook=flows.site.lab_save.drop_plotly_images
# pytest: say why tests were skipped and which were slowest
PYTEST := $(PY) -m pytest -q -rs
# one BLAS thread per process: on a small shared machine threaded BLAS makes the forecaster's tests
# up to ten times slower (make check: 50 s instead of 160 s at a load of 5 on 2 cores)
ONE_THREAD := OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

.PHONY: help report build forecast test check lint bench notebooks lab fetch lock clean

help:  ## list the commands
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# The environment is installed from requirements.lock: every package of the tree at an exact version,
# each download checked against its sha256 (pip --require-hashes); the project itself on top, with no
# dependency resolution and no download (setuptools, its build backend, is in the lock).
$(VENV)/.installed: requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	@touch $@

# The test tools on top (pyproject's test and browser extras: pytest, nbval, openpyxl, ruff, playwright),
# from requirements-test.lock, pinned to the same versions as requirements.lock for everything they share.
$(VENV)/.test-installed: $(VENV)/.installed requirements-test.lock
	$(PY) -m pip install --quiet --require-hashes -r requirements-test.lock
	@touch $@

# uv pip compile: pins for Python 3.11 on x86-64 Linux (manylinux), hashes of every file of each pin
UV_VERSION := 0.13.9
LOCK_FLAGS := --generate-hashes --python-version 3.11 --python-platform x86_64-manylinux_2_28 --quiet
lock:  ## re-resolve requirements.lock, requirements-test.lock (from pyproject.toml) and bench/requirements.lock (then commit them)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet "uv==$(UV_VERSION)"
	printf 'setuptools>=77\n' | $(VENV)/bin/uv pip compile pyproject.toml - $(LOCK_FLAGS) \
		--custom-compile-command "make lock" -o requirements.lock
	printf 'setuptools>=77\n' | $(VENV)/bin/uv pip compile pyproject.toml - --extra test --extra browser \
		-c requirements.lock $(LOCK_FLAGS) --custom-compile-command "make lock" -o requirements-test.lock
	$(VENV)/bin/uv pip compile bench/requirements.in $(LOCK_FLAGS) \
		--custom-compile-command "make lock" -o bench/requirements.lock

report: $(VENV)/.installed  ## rebuild data (if raw files are present), forecast, run the notebooks, write reports/
	$(PY) -m flows report --raw $(RAW)

build: $(VENV)/.installed  ## rebuild data/processed from the raw files (RAW=dir, default data/raw)
	$(PY) -m flows build --raw $(RAW)

forecast: $(VENV)/.installed  ## forecast both directions to 2030: write the outlook (forecasts.csv, forecast_annual.csv, forecast_paths.csv) and record the vintage
	$(PY) -m flows forecast

test: $(VENV)/.test-installed  ## every test: unit, real data, nbval on the notebooks, the report in a browser (skipped without Chromium: apt-get install chromium)
	$(PYTEST) --durations=10 tests notebooks --nbval-lax --nbval-current-env

check: $(VENV)/.test-installed  ## the fast tests (about a minute): none that executes notebooks, drives a browser or forecasts the whole table
	$(ONE_THREAD) $(PYTEST) --durations=5 tests -m "not slow"

lint: $(VENV)/.test-installed  ## ruff over src, tests and bench (its settings: pyproject.toml)
	$(VENV)/bin/ruff check src tests bench

$(BENCH_VENV)/.installed: bench/requirements.lock
	@test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --require-hashes -r bench/requirements.lock
	@touch $@

bench: $(VENV)/.test-installed $(BENCH_VENV)/.installed  ## speed and accuracy benchmarks, each printed beside its target
	$(PY) bench/run_all.py

notebooks: forecast  ## re-execute the notebooks in place, top to bottom (commit their outputs)
	$(PY) -m flows notebooks

lab: $(VENV)/.installed  ## open the notebooks in JupyterLab
	$(VENV)/bin/jupyter lab notebooks $(LAB_SAVE) $(ALLOW_ROOT)

fetch: $(VENV)/.installed  ## download the official files into data/raw (every Taiwanese monthly table listed: the build needs one per month)
	$(PY) -m flows fetch --dest data/raw --all-releases

clean:  ## remove the virtual environment and reports
	rm -rf $(VENV) $(BENCH_VENV) reports
