# ML in Production: the two commands a newcomer needs are `make course` and `make test`.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb solutions/*.ipynb))
PYTEST_WORKERS ?= 2

.PHONY: course test setup lint labs notebooks lock clean

# Jupyter refuses to start as root unless told to; containers and CI machines often are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

course: setup  ## install everything, then open the course in JupyterLab
	$(VENV)/bin/jupyter lab $(ALLOW_ROOT) $(LAB_ARGS)

test: setup lint  ## install everything, then run the whole test suite
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup --durations=10 \
	    --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
	    notebooks solutions tests $(PYTEST_ARGS)

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@echo "Setting up $(VENV) from requirements.txt (first time: a few minutes)..."
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q "$$(grep ^pip== requirements.txt)" > $(VENV)/install.log 2>&1 \
	    || { cat $(VENV)/install.log; exit 1; }
	$(PY) -m pip install -q -r requirements.txt >> $(VENV)/install.log 2>&1 \
	    || { cat $(VENV)/install.log; exit 1; }
	$(PY) -m pip install -q --no-deps --no-build-isolation -e . >> $(VENV)/install.log 2>&1 \
	    || { cat $(VENV)/install.log; exit 1; }
	touch $(STAMP)

lint: setup  ## ruff on code and notebooks (natively), spelling, notebook hygiene
	$(VENV)/bin/ruff check .
	$(VENV)/bin/codespell helpers coursekit tests deploy README.md data
	$(PY) -m coursekit.hygiene

labs: setup  ## regenerate labs/ from solutions/
	$(PY) -m coursekit.labgen

notebooks: setup  ## re-execute every notebook and solution, store outputs, regenerate labs
	$(PY) -m coursekit.execute $(NOTEBOOKS)
	$(PY) -m coursekit.labgen

lock: setup  ## re-resolve requirements.in into requirements.txt and environment.yml
	$(PY) -m coursekit.lock

clean:
	rm -rf $(VENV) build .pytest_cache
