# make demo: set up .venv and run ourdl's main demo.   make test: set up .venv and run every test.
# make stubs: regenerate the .pyi stubs from the runtime API (commit them; a test checks they are current).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test bench stubs system-tools clean

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

# Graphviz draws the computation graphs (DOT is written without it). Installed where we may, explained otherwise.
system-tools:
	@command -v dot >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && apt-get install -y -qq graphviz >/dev/null) || echo "note: could not install graphviz"; \
	  else \
	    echo "note: Graphviz 'dot' is not installed; graphs are written as DOT only. Install it with: sudo apt-get install graphviz"; \
	  fi; }

demo: $(VENV)/.demo-installed system-tools
	$(BIN)/ourdl demo

test: $(VENV)/.test-installed
	$(BIN)/python -m pytest -n 2 -q tests

stubs: $(VENV)/.test-installed
	$(BIN)/python -m ourdl.stubgen

bench: $(VENV)/.test-installed
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache ourdl-out
