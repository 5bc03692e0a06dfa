# Armenia and the CSTO — build and test.
#   make book   build the report: HTML site (_build/html) and PDF (_build/latex/armenia-csto.pdf)
#   make test   run every test: unit, data, corrupted input, nbval, strict HTML and PDF builds
#   make verify re-execute every notebook from the data in a scratch copy and say whether its
#               outputs, glued numbers, figures and tables match the repository's
#               (make verify NB=trade_series for one notebook)
#   make release the book's artefacts for a version tag in _build/release: the PDF, the site and
#               the data package as archives, CITATION.cff and SHA256SUMS (reproducible: dates
#               from the commit, deterministic archives)
#   make lab    open JupyterLab on notebooks/ (installed on first use into its own environment,
#               .venv-lab, from the pinned requirements-lab.txt; its kernel is the report's .venv;
#               on 127.0.0.1 only, with a token)
# They install what they need (a virtual environment in .venv, Debian TeX packages) on first use;
# after that they run offline. JupyterLab lives in .venv-lab so that .venv, where the book is
# built and tested, is exactly requirements.txt.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# The stamps name what the environment holds. ("exact": .venv has been brought back to exactly
# requirements.txt; older Makefiles installed JupyterLab into it, and their stamps do not match.)
REQ_STAMP := $(VENV)/.requirements-exact-$(shell cat requirements.txt pyproject.toml | sha256sum | cut -c1-16)
LAB_VENV  := .venv-lab
LAB_BIN   := $(LAB_VENV)/bin
LAB_STAMP := $(LAB_VENV)/.requirements-$(shell cat requirements.txt requirements-lab.txt pyproject.toml | sha256sum | cut -c1-16)
PDF    := _build/latex/armenia-csto.pdf
# One test worker per CPU (pytest-xdist); a notebook's cells, or a test file's tests, stay
# together on one worker, in order, except the browser checks of the pages, which
# tests/conftest.py's scheduler spreads over the workers, longest first. (Not --dist loadgroup:
# with pytest 9.2 it silently stops grouping, pytest-xdist issue 1386.)
PARALLEL := -n auto --dist loadfile

.PHONY: book html pdf test offline-test venv tex test-packages notebooks validate verify lab lab-env release clean

book: html pdf
	@echo "==> Report built: _build/html/index.html and $(PDF)"

venv: $(REQ_STAMP)

$(REQ_STAMP): requirements.txt pyproject.toml
	@bash scripts/check-python.sh $(PYTHON)
	@echo "==> Creating the Python environment in $(VENV) (pinned requirements.txt)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --requirement requirements.txt
	@# The report's own package (pyproject.toml), installed editable: notebooks and tests import
	@# it from the working tree. (Older Makefiles wrote a .pth file instead.)
	@rm -f "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/cstoreport-repo.pth"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-index \
	  --no-build-isolation --editable .
	@# pip never removes: what requirements.txt no longer pins (or an older Makefile's JupyterLab) goes.
	@$(BIN)/python -m cstoreport.machinery.environment --remove-unpinned requirements.txt
	@# First-use caches are built now, not in a notebook: matplotlib says on stderr that it is
	@# building its font cache when that takes a few seconds, which fails a notebook run.
	@$(BIN)/python -c "import matplotlib.font_manager"
	@rm -f $(VENV)/.requirements-* $(VENV)/.lab-* && touch $@

# JupyterLab is kept out of requirements.txt and out of .venv, so that the book is built and
# tested in exactly requirements.txt (JupyterLab's dependencies would also slow down every
# `import jsonschema`). .venv-lab has the same Python and the same pins as .venv, plus
# requirements-lab.txt; the one kernel it offers runs .venv's Python.
lab-env: $(LAB_STAMP)

$(LAB_STAMP): $(REQ_STAMP) requirements-lab.txt pyproject.toml
	@echo "==> Creating JupyterLab's environment in $(LAB_VENV) (pinned requirements-lab.txt; first use only)"
	@bash scripts/check-python.sh $(BIN)/python
	@# Run from .venv, venv bases the new environment on .venv's own Python.
	@test -x $(LAB_BIN)/python || $(BIN)/python -m venv $(LAB_VENV)
	@$(LAB_BIN)/python -m pip install --quiet --disable-pip-version-check \
	  --requirement requirements.txt --requirement requirements-lab.txt
	@rm -f "$$($(LAB_BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/cstoreport-repo.pth"
	@$(LAB_BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-index \
	  --no-build-isolation --editable .
	@$(LAB_BIN)/python -m cstoreport.machinery.environment --remove-unpinned \
	  requirements.txt requirements-lab.txt
	@# The kernel "python3" of .venv-lab's JupyterLab is .venv's Python (the report's environment).
	@JUPYTER_PATH=$(CURDIR)/$(LAB_VENV)/share/jupyter \
	  $(BIN)/python -m ipykernel install --prefix $(CURDIR)/$(LAB_VENV) --name python3 >/dev/null
	@rm -f $(LAB_VENV)/.requirements-* && touch $@

lab: lab-env
	@$(LAB_BIN)/python -m cstoreport.machinery.lab

release: book
	@$(BIN)/python -m cstoreport.machinery.release

tex:
	@bash scripts/ensure-system-packages.sh pdf

test-packages:
	@bash scripts/ensure-system-packages.sh test

validate: venv
	@$(BIN)/python -m cstoreport.machinery.check_data

notebooks: validate
	@$(BIN)/python -m cstoreport.machinery.run_notebooks

verify: venv
	@$(BIN)/python -m cstoreport.machinery.verify $(NB)

html: venv
	@$(BIN)/python -m cstoreport.machinery.pipeline html

pdf: venv tex
	@$(BIN)/python -m cstoreport.machinery.pipeline pdf

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

# First the data are validated and any stale notebook is executed, alone. Then the book (HTML,
# then PDF: one process at a time) is built while nbval executes every notebook on the other
# CPU time: the notebooks write each table, figure and page whole, and identical (else nbval
# fails), so the build reads complete files. The other tests run last, as they copy the tree
# and read the built book.
offline-test: venv
	@$(BIN)/python -m cstoreport.machinery.pipeline outputs
	@echo "==> Building the book (log: _build/make-book.log) while nbval executes every notebook"
	@mkdir -p _build; $(MAKE) --no-print-directory book > _build/make-book.log 2>&1 & book=$$!; \
	  $(BIN)/python -m pytest $(PARALLEL) notebooks; nbval=$$?; \
	  wait $$book; built=$$?; cat _build/make-book.log; \
	  if [ $$built != 0 ]; then echo "==> The book did not build (above)"; fi; \
	  [ $$built = 0 ] && [ $$nbval = 0 ]
	@echo "==> Running the other tests (unit, data, corrupted input, browser, built outputs)"
	@$(BIN)/python -m pytest $(PARALLEL) tests

clean:
	rm -rf _build
