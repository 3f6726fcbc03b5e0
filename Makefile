# make demo: set up .venv and run ourdl's main demo (then `.venv/bin/ourdl playground` serves the live playground).   make test: set up .venv and run every test.
# make stubs: regenerate the .pyi stubs from the runtime API (commit them; a test checks they are current).
# make docs: build the documentation site into docs/_build/html (offline; it runs the tutorial notebooks).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test bench stubs docs system-tools clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# One stamp per set of extras: the demo needs no test tools, the tests need the PyTorch oracle.
$(VENV)/.demo-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[digits]"
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test,bench,digits]"
	touch $@

# Graphviz draws the computation graphs (DOT is written without it); Debian's dataset-fashion-mnist gives the real
# Fashion-MNIST offline (in /usr/share/datasets/fashion-mnist). Installed where we may, explained otherwise.
system-tools:
	@command -v dot >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && apt-get install -y -qq graphviz >/dev/null) || echo "note: could not install graphviz"; \
	  else \
	    echo "note: Graphviz 'dot' is not installed; graphs are written as DOT only. Install it with: sudo apt-get install graphviz"; \
	  fi; }
	@[ -e /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && apt-get install -y -qq dataset-fashion-mnist >/dev/null) || echo "note: could not install dataset-fashion-mnist"; \
	  else \
	    echo "note: Fashion-MNIST is not installed; ourdl.data.FashionMNIST needs root= and download=True. Install it with: sudo apt-get install dataset-fashion-mnist"; \
	  fi; }

demo: $(VENV)/.demo-installed system-tools
	$(BIN)/ourdl demo
	@echo "Watch a network learn, live in the browser: $(BIN)/ourdl playground  (serves http://127.0.0.1:8765/)"

test: $(VENV)/.test-installed
	$(BIN)/python -m pytest -n 2 -q tests

stubs: $(VENV)/.test-installed
	$(BIN)/python -m ourdl.stubgen

$(VENV)/.docs-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[docs,notebook]"
	touch $@

docs: $(VENV)/.docs-installed system-tools
	$(BIN)/python docs/generate.py
	$(BIN)/python -m sphinx -b html -q docs docs/_build/html
	@echo "docs: open docs/_build/html/index.html"

bench: $(VENV)/.test-installed
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache ourdl-out docs/_build docs/generated docs/jupyter_execute
