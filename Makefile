# Two commands do everything on a fresh machine (see README.md):
#   make demo   regenerate the release, then grade the reference and the untouched stubs with nbgrader
#   make test   the whole test suite
# Both create .venv and install the versions pinned in pyproject.toml (the one place they are kept).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export PATH := $(CURDIR)/.venv/bin:$(PATH)

.PHONY: demo test bench release clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

demo: $(VENV)/.installed
	$(PY) -m graders demo

test: $(VENV)/.installed
	$(PY) -m pytest -n 2 --dist loadfile

bench: $(VENV)/.installed
	for b in benchmarks/bench_*.py; do $(PY) $$b || exit 1; done

release: $(VENV)/.installed
	$(PY) -m graders release

clean:
	rm -rf $(VENV) artifacts
