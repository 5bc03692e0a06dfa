# Armenia and the CSTO — build and test.
#   make book   build the report: HTML site (_build/html) and PDF (_build/latex/armenia-csto.pdf)
#   make test   run every test: unit, data, corrupted input, nbval, strict HTML and PDF builds
#   make verify re-execute every notebook from the data in a scratch copy and say whether its
#               outputs, glued numbers, figures and tables match the repository's
#               (make verify NB=trade_series for one notebook)
#   make lab    open JupyterLab on notebooks/ (installed into .venv on first use, from the pinned
#               requirements-lab.txt; on 127.0.0.1 only, with a token)
# Both install what they need (a virtual environment in .venv, Debian TeX packages) on first use;
# after that they run offline.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
REQ_STAMP := $(VENV)/.requirements-$(shell sha256sum requirements.txt | cut -c1-16)
LAB_STAMP := $(VENV)/.lab-$(shell cat requirements.txt requirements-lab.txt | sha256sum | cut -c1-16)
PDF    := _build/latex/armenia-csto.pdf
# One test worker per CPU (pytest-xdist); a notebook's cells, or a test file's tests, stay
# together on one worker, in order. (Not --dist loadgroup: with pytest 9.2 it silently stops
# grouping, pytest-xdist issue 1386.)
PARALLEL := -n auto --dist loadfile

.PHONY: book html pdf test offline-test venv tex test-packages notebooks validate verify lab lab-env clean

book: html pdf
	@echo "==> Report built: _build/html/index.html and $(PDF)"

venv: $(REQ_STAMP)

$(REQ_STAMP): requirements.txt
	@bash scripts/check-python.sh $(PYTHON)
	@echo "==> Creating the Python environment in $(VENV) (pinned requirements.txt)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --requirement requirements.txt
	@# The report's own module is imported from the working tree by notebooks and tests.
	@$(BIN)/python -c "import sysconfig, pathlib; pathlib.Path(sysconfig.get_paths()['purelib'], 'cstoreport-repo.pth').write_text('$(CURDIR)\n')"
	@rm -f $(VENV)/.requirements-* && touch $@

# JupyterLab is kept out of requirements.txt so that `make book` stays lean; its pins are
# installed together with requirements.txt, so nothing the book uses changes version.
lab-env: $(LAB_STAMP)

$(LAB_STAMP): $(REQ_STAMP) requirements-lab.txt
	@echo "==> Adding JupyterLab to $(VENV) (pinned requirements-lab.txt; first use only)"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check \
	  --requirement requirements.txt --requirement requirements-lab.txt
	@rm -f $(VENV)/.lab-* && touch $@

lab: lab-env
	@$(BIN)/python -m cstoreport.build.lab

tex:
	@bash scripts/ensure-system-packages.sh pdf

test-packages:
	@bash scripts/ensure-system-packages.sh test

validate: venv
	@$(BIN)/python -m cstoreport.build.check_data

notebooks: validate
	@$(BIN)/python -m cstoreport.build.run_notebooks

verify: venv
	@$(BIN)/python -m cstoreport.build.verify $(NB)

html: venv
	@$(BIN)/python -m cstoreport.build.pipeline html

pdf: venv tex
	@$(BIN)/python -m cstoreport.build.pipeline pdf

# Everything is installed first; then the build and every test run with networking disabled
# (a fresh network namespace with only loopback), which proves that nothing is fetched at build
# or test time. Where namespaces are not available (not root), they run with the network on.
test: venv tex test-packages lab-env
	@if [ "$$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then \
	  echo "==> Building and testing with networking disabled (unshare -n; loopback only)"; \
	  unshare -n sh -c 'ip link set lo up && exec $(MAKE) --no-print-directory offline-test'; \
	else \
	  echo "==> unshare -n is not available here: building and testing with the network on"; \
	  $(MAKE) --no-print-directory offline-test; \
	fi

# nbval first, alone: the notebooks rewrite their derived tables and figures while they run,
# and other tests copy the tree.
offline-test: book
	@echo "==> Executing every notebook (nbval) and checking what it wrote"
	@$(BIN)/python -m pytest $(PARALLEL) notebooks
	@echo "==> Running the other tests (unit, data, corrupted input, browser, built outputs)"
	@$(BIN)/python -m pytest $(PARALLEL) tests

clean:
	rm -rf _build
