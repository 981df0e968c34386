# latentnb: `make reproduce` regenerates every paper's figures and tables (quick profile by default),
# `make test` runs the test suite. Both create the environment first when it is missing.
SHELL := /bin/bash
VENV    ?= .venv
PYTHON  ?= python3
TORCH   ?= torch==2.13.0
PROFILE ?= quick
DEVICE  ?= auto
PAPERS  ?=
BIN := $(VENV)/bin

.PHONY: setup reproduce test check lab export clean-nbs course student site browser wheelhouse
setup: $(VENV)/.installed
$(VENV)/.installed: settings.ini setup.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q "$(TORCH)"
	$(BIN)/python -m pip install -q -e ".[dev,lab]"
	@touch $@

reproduce: setup
	$(BIN)/latentnb reproduce $(PAPERS) --profile $(PROFILE) --device $(DEVICE)

# the lessons (nbs/course) are run by tests/test_course.py, which also proves every exercise's check
test: setup browser
	$(BIN)/nbdev_test --path nbs --skip_folder_re '^(papers|course)$$' --n_workers 2
	$(BIN)/python -m pytest tests -q

# the course: check every exercise (stub fails, solution passes); write the student edition to _build/student
course: setup
	$(BIN)/latentnb course check
student: setup
	$(BIN)/latentnb course student

# the static site (course, library notebooks, gallery) in _build/site, links and images checked
site: setup
	$(BIN)/latentnb site

# headless Chromium for the site's browser test (Debian's package; needs root, as on CI)
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
	  || echo "could not install chromium (needs root and apt): the site's browser test will be skipped outside CI"

# notebooks and library in sync, notebooks clean (what .ci/run enforces)
check: setup
	$(BIN)/nbdev_export && $(BIN)/nbdev_clean
	@git status --porcelain -- nbs latentnb | (! grep .) || { echo "Notebooks and latentnb/ are out of sync or unclean: run 'make export' and commit"; exit 1; }

export: setup
	$(BIN)/nbdev_export && $(BIN)/nbdev_clean

lab: setup
	$(BIN)/jupyter lab nbs

# wheels of everything a run needs except torch, for a GPU node without internet (README: "On a GPU node").
# Another node's Python or platform: make wheelhouse PIP_TARGET="--python-version 3.12 --platform manylinux2014_x86_64"
WHEELHOUSE ?= wheelhouse
PIP_TARGET ?=
wheelhouse: setup
	@rm -rf $(WHEELHOUSE).partial && mkdir -p $(WHEELHOUSE).partial
	$(BIN)/python -m pip wheel -q --no-deps --no-build-isolation -w $(WHEELHOUSE).partial .
	$(BIN)/python -c "import configparser; c = configparser.ConfigParser(delimiters=['=']); c.read('settings.ini'); \
	  print('\n'.join(r for r in c['DEFAULT']['requirements'].split() if not r.startswith('torch')))" \
	  > $(WHEELHOUSE).partial/requirements.txt
	$(BIN)/python -m pip download -q --only-binary=:all: $(PIP_TARGET) -d $(WHEELHOUSE).partial \
	  -r $(WHEELHOUSE).partial/requirements.txt
	@rm -rf $(WHEELHOUSE) && mv $(WHEELHOUSE).partial $(WHEELHOUSE)
	@echo "$(WHEELHOUSE): $$(ls $(WHEELHOUSE)/*.whl | wc -l) wheels, $$(du -sh $(WHEELHOUSE) | cut -f1); on the node, beside its torch:"
	@echo "  pip install --no-index --find-links $(WHEELHOUSE) latentnb"
