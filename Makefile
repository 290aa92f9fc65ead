# Machine Learning for Precision Marketing: set-up, tests, notebooks, benchmarks.
# Two commands do everything on a fresh machine with Python 3.11:
#   make lab    create .venv, install the pinned environment, open the course in JupyterLab
#   make test   same set-up when needed, then ruff, unit tests and nbval on every notebook

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg --nbval-cell-timeout 60

# Fall back to python3 when no python3.11 binary is on the PATH (it must still be 3.11).
ifeq (, $(shell command -v $(PYTHON) 2>/dev/null))
PYTHON := python3
endif

.PHONY: setup lab test lint unit nbval run bench navigation figures student check lock clean-data help

help:
	@echo "make lab         set up (first time) and open the course in JupyterLab"
	@echo "make test        set up (first time), then lint, unit tests and nbval on every notebook"
	@echo "make run         execute every notebook headless, in order, storing outputs"
	@echo "make bench       run the benchmarks in benchmarks/ and print their figures"
	@echo "make check       check that this machine can run the course (for workshops)"
	@echo "make student     write learner copies (solutions removed) under student/"
	@echo "make navigation  regenerate the README course map and notebook navigation"
	@echo "make figures     save every stored figure as PNG under figures/"
	@echo "make lock        re-freeze requirements-lock.txt from the current .venv"
	@echo "make clean-data  delete generated data (it is rebuilt on demand)"

$(STAMP): pyproject.toml requirements-lock.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		-c requirements-lock.txt -e '.[course,dev]'
	touch $(STAMP)

setup: $(STAMP)

# JupyterLab refuses to start as root (containers, some workshop machines) unless told to.
LAB_FLAGS := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: setup
	$(BIN)/jupyter lab $(LAB_FLAGS) --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/notebooks

lint: setup
	$(BIN)/ruff check .

unit: setup
	$(BIN)/python -m pytest tests

nbval: setup
	$(BIN)/python -m pytest $(NBVAL) notebooks

test: lint unit nbval

run: setup
	$(BIN)/python tools/run_notebooks.py
	$(BIN)/python tools/navigation.py
	$(BIN)/python tools/make_student.py

bench: setup
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
	rm -rf data/raw data/interim data/processed
