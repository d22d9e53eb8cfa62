# wundr-tui — two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test lint fuzz bench clean venv

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/wundr-tui --demo

lint: $(STAMP)
	$(VENV)/bin/ruff check wundr_tui tests bench
	$(VENV)/bin/ruff format --check wundr_tui tests bench
	$(VENV)/bin/mypy --strict wundr_tui
	$(VENV)/bin/lint-imports

test: lint
	$(VENV)/bin/pytest -q

# Every property test (Hypothesis marks them) once at 10,000 examples, random each time; the
# suite runs 200, the same every run. Hostile strings through the boundary into every
# renderer, generated configs and recordings. Long: run it before a release, not per change.
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(VENV)/bin/pytest -q -p no:cacheprovider -m hypothesis tests

# Cockpit scenarios against fake apiservers on loopback (2 x 25,000 pods), with kubectl and
# watch(1) in the same run: about 7 minutes in all (6 min 59 s measured); logs.py adds about 3
# minutes (50 pods x 2 clusters at 10,000 lines/s, kubectl logs -f beside it). Tables go to docs/performance.md.
bench: $(STAMP)
	$(PY) bench/startup.py
	$(PY) bench/store_apply.py
	$(PY) bench/filters.py
	$(PY) bench/demo_tick.py
	$(PY) bench/scale.py
	$(PY) bench/churn.py
	$(PY) bench/idle.py
	$(PY) bench/keys.py
	$(PY) bench/logs.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
