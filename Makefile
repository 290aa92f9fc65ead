# Machine Learning for Precision Marketing: set-up, tests, notebooks, benchmarks.
# Two commands do everything on a fresh machine with Python 3.11, 3.12 or 3.13:
#   make lab    create .venv, install the pinned environment, open the course in JupyterLab
#   make test   same set-up when needed, then ruff, unit tests and doctests, nbval on every
#               notebook, and every documented parameter value of every notebook

# The first interpreter found that runs and is 3.11 to 3.13; 3.11 first, because the stored
# outputs were made with it (requirements-lock.txt). Override: make test PYTHON=python3.13
SUPPORTED := import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))
ifeq ($(origin PYTHON),undefined)
PYTHON := $(firstword $(foreach p,python3.11 python3.12 python3.13 python3,\
	$(shell $(p) -c '$(SUPPORTED)' >/dev/null 2>&1 && echo $(p))))
endif
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SCALE_STAMP := $(VENV)/.scale-stamp
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg --nbval-cell-timeout 60

.PHONY: setup scale lab test lint unit nbval parameters run bench navigation figures student check lock clean-data help

help:
	@echo "make lab         set up (first time) and open the course in JupyterLab"
	@echo "make test        set up (first time), then lint, unit tests, nbval and parameter runs"
	@echo "make scale       add the scale-out extra (DuckDB, PySpark) for notebook 11"
	@echo "make parameters  run every notebook with every documented parameter value"
	@echo "make run         execute every notebook headless, in order, storing outputs"
	@echo "make bench       run the benchmarks in benchmarks/ and print their figures"
	@echo "make check       check that this machine can run the course (for workshops)"
	@echo "make student     write learner copies (solutions removed) under student/"
	@echo "make navigation  regenerate the README course map and notebook navigation"
	@echo "make figures     save every stored figure as PNG under figures/"
	@echo "make lock        re-freeze requirements-lock.txt from the current .venv"
	@echo "make clean-data  delete generated data (it is rebuilt on demand)"

$(STAMP): pyproject.toml requirements-lock.txt
	@test -n "$(PYTHON)" || { echo "No Python 3.11, 3.12 or 3.13 found: install one (3.11 reproduces the stored outputs exactly)"; exit 1; }
	@$(PYTHON) -c '$(SUPPORTED)' || { echo "$(PYTHON) is not Python 3.11 to 3.13"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		-c requirements-lock.txt -e '.[course,dev]'
	touch $(STAMP)

setup: $(STAMP)

# The scale-out extra (DuckDB, PySpark: notebook 11) stays optional for learners; the tests
# install it, so CI runs notebook 11 and the Spark tests. Spark also needs Java: make check.
$(SCALE_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		-c requirements-lock.txt -e '.[course,dev,scale]'
	touch $(SCALE_STAMP)

scale: $(SCALE_STAMP)

# JupyterLab refuses to start as root (containers, some workshop machines) unless told to.
LAB_FLAGS := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: setup
	$(BIN)/jupyter lab $(LAB_FLAGS) --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/notebooks

lint: setup
	$(BIN)/ruff check .

unit: scale
	$(BIN)/python -m pytest tests helpers

nbval: scale
	$(BIN)/python -m pytest $(NBVAL) notebooks

# Each documented alternative value of a parameters cell (other seeds, other datasets) runs
# top to bottom in a scratch data folder; nothing stored is touched.
parameters: scale
	$(BIN)/python tools/run_with_parameters.py --all

test: lint unit nbval parameters

run: scale
	$(BIN)/python tools/run_notebooks.py
	$(BIN)/python tools/navigation.py
	$(BIN)/python tools/make_student.py

bench: scale
	@for script in benchmarks/bench_*.py; do \
		echo "== $$script"; $(BIN)/python $$script || exit 1; done

check: setup
	$(BIN)/python tools/check_environment.py

student: setup
	$(BIN)/python tools/make_student.py

navigation: setup
	$(BIN)/python tools/navigation.py

figures: setup
	$(BIN)/python tools/export_figures.py

lock: setup
	( echo "# Exact versions the stored notebook outputs were made with (Python 3.11)."; \
	  echo "# Regenerate with: make lock   (pip freeze of the course environment)"; \
	  $(BIN)/python -m pip freeze --exclude-editable ) > requirements-lock.txt

clean-data:
	rm -rf data/raw data/interim data/processed data/truth data/scale
