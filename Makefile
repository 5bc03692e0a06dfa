# Armenia and the CSTO — build and test.
#   make book   build the report: HTML site (_build/html) and PDF (_build/latex/armenia-csto.pdf)
#   make test   run every test: unit, data, corrupted input, nbval, strict HTML and PDF builds
# Both install what they need (a virtual environment in .venv, Debian TeX packages) on first use;
# after that they run offline.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
REQ_STAMP := $(VENV)/.requirements-$(shell sha256sum requirements.txt | cut -c1-16)
JB     := $(BIN)/jupyter-book build . -W -n --keep-going
PDF    := _build/latex/armenia-csto.pdf

.PHONY: book html pdf test venv tex browser notebooks validate clean

book: html pdf
	@echo "==> Report built: _build/html/index.html and $(PDF)"

venv: $(REQ_STAMP)

$(REQ_STAMP): requirements.txt
	@echo "==> Creating the Python environment in $(VENV) (pinned requirements.txt)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --requirement requirements.txt
	@# The report's own module is imported from the working tree by notebooks and tests.
	@$(BIN)/python -c "import sysconfig, pathlib; pathlib.Path(sysconfig.get_paths()['purelib'], 'cstoreport-repo.pth').write_text('$(CURDIR)\n')"
	@rm -f $(VENV)/.requirements-* && touch $@

tex:
	@bash scripts/ensure-system-packages.sh pdf

browser:
	@bash scripts/ensure-system-packages.sh browser

validate: venv
	@echo "==> Validating the data package"
	@$(BIN)/python -m cstoreport.check_data

notebooks: venv validate
	@echo "==> Executing notebooks whose code or inputs changed"
	@$(BIN)/python -m cstoreport.run_notebooks
	@$(BIN)/python -m cstoreport.pages

html: notebooks
	@echo "==> Building the HTML site (strict: warnings are errors)"
	@$(JB) --builder html
	@$(BIN)/python -m cstoreport.check_data --derived

pdf: notebooks tex
	@echo "==> Building the PDF through LaTeX (strict)"
	@$(JB) --builder pdflatex
	@mkdir -p _build/html/_static && cp $(PDF) _build/html/_static/armenia-csto.pdf

node_modules/.installed: package.json package-lock.json
	@echo "==> Installing axe-core for the accessibility audit (npm ci)"
	@npm ci --no-audit --no-fund --silent
	@touch $@

test: book browser node_modules/.installed
	@echo "==> Running the test suite (unit, data, corrupted input, nbval, browser, built outputs)"
	@$(BIN)/python -m pytest

clean:
	rm -rf _build
