# ML in Production: the two commands a newcomer needs are `make course` and `make test`.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb solutions/*.ipynb))
PYTEST_WORKERS ?= 2

.PHONY: course test setup browser lint labs notebooks lock site links grade clean

# Jupyter refuses to start as root unless told to; containers and CI machines often are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

# JupyterLab opens on the README, shown rendered (coursekit/jupyterlab/overrides.json makes
# Markdown open in the preview).
course: setup  ## install everything, then open the course in JupyterLab
	$(VENV)/bin/jupyter lab $(ALLOW_ROOT) --LabApp.default_url=/lab/tree/README.md $(LAB_ARGS)

test: setup browser lint  ## install everything, then run the whole test suite
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup --durations=10 \
	    --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
	    notebooks solutions tests $(PYTEST_ARGS)

setup: $(STAMP)

# What to do when the first install fails: shown under pip's own log.
INSTALL_HELP := echo; echo "The install failed (its log is above, also in $(VENV)/install.log)."; \
	echo "The first install downloads the locked packages: check the network, or point pip at a"; \
	echo "mirror (PIP_INDEX_URL=...). Then run the command again; it resumes where it stopped."

$(STAMP): requirements.txt pyproject.toml coursekit/jupyterlab/overrides.json
	@$(PYTHON) -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] < (3, 14))' \
	    2> /dev/null || { echo "The course needs Python 3.11, 3.12 or 3.13; '$(PYTHON)' is" \
	    "$$($(PYTHON) --version 2>/dev/null || echo 'not found'). Install one, then for example:" \
	    "make $(MAKECMDGOALS) PYTHON=python3.12"; exit 1; }
	@echo "Setting up $(VENV) from requirements.txt (first time: a few minutes)..."
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q "$$(grep ^pip== requirements.txt)" > $(VENV)/install.log 2>&1 \
	    || { cat $(VENV)/install.log; $(INSTALL_HELP); exit 1; }
	$(PY) -m pip install -q --no-compile -r requirements.txt >> $(VENV)/install.log 2>&1 \
	    || { cat $(VENV)/install.log; $(INSTALL_HELP); exit 1; }
	@# pip byte-compiles one file at a time; compileall on every core takes half the time. Like
	@# pip, it skips files that are not Python 3 (templates, vendored Python 2 code).
	$(PY) -m compileall -q -j 0 $$($(PY) -c 'import sysconfig; print(sysconfig.get_path("purelib"))') \
	    >> $(VENV)/install.log 2>&1 || true
	$(PY) -m pip install -q --no-deps --no-build-isolation -e . >> $(VENV)/install.log 2>&1 \
	    || { cat $(VENV)/install.log; exit 1; }
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp coursekit/jupyterlab/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	touch $(STAMP)

# The real-browser test drives Debian's chromium through Playwright (a browser download does not
# work offline). As root on Debian/Ubuntu it is installed here; elsewhere install it yourself.
browser:  ## Debian's chromium for tests/test_browser_labeling.py
	@if [ ! -x /usr/bin/chromium ]; then \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get > /dev/null; then \
	        echo "Installing Debian's chromium for the browser test (apt-get)..."; \
	        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } \
	            > /tmp/ml-in-production-apt.log 2>&1 \
	            || { cat /tmp/ml-in-production-apt.log; exit 1; }; \
	    else \
	        echo "No /usr/bin/chromium: the browser test will be skipped."; \
	        echo "Install Debian's chromium package (sudo apt-get install chromium) to run it."; \
	    fi; \
	fi

lint: setup  ## ruff on code and notebooks (natively), spelling, notebook hygiene
	$(VENV)/bin/ruff check .
	$(VENV)/bin/codespell helpers coursekit tests deploy README.md data
	$(PY) -m coursekit.hygiene

labs: setup  ## regenerate labs/ from solutions/
	$(PY) -m coursekit.labgen

notebooks: setup  ## re-execute every notebook and solution, store outputs, regenerate labs
	$(PY) -m coursekit.execute $(NOTEBOOKS)
	$(PY) -m coursekit.labgen

grade: setup  ## grade SUBMISSIONS=dir (dir/<student>/<lab>.ipynb): build/grades/gradebook.csv
	@test -n "$(SUBMISSIONS)" || { echo "Say which folder: make grade SUBMISSIONS=dir"; exit 1; }
	$(PY) -m coursekit.grade "$(SUBMISSIONS)"

site: setup  ## build the course site from the committed notebooks into build/site
	$(PY) -m coursekit.site

links: setup  ## point the README's Binder links at [project.urls] Repository in pyproject.toml
	$(PY) -m coursekit.links

lock: setup  ## re-resolve requirements.in into requirements.txt and environment.yml
	$(PY) -m coursekit.lock

clean:
	rm -rf $(VENV) build .pytest_cache
