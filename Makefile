# wundr-tui — two commands on a fresh machine: `make demo` and `make test`.
#
# `make demo` installs what the cockpit runs on and nothing else; `make test` adds the test
# extras (pytest, moto, ruff, mypy ...). Each has its own stamp in .venv, named after
# pyproject.toml's checksum, so editing pyproject reinstalls and nothing else does.
# Installs go through uv (from PyPI, put into .venv by its own pip once): a fresh set-up takes
# a fraction of pip's time (README, "Set-up time"). INSTALLER=pip uses pip alone.
PYTHON    ?= python3
VENV      ?= .venv
INSTALLER ?= uv
UV_SPEC   ?= uv>=0.9,<1
PY        := $(VENV)/bin/python
SUM       := $(shell cksum < pyproject.toml | cut -d' ' -f1)
RUNTIME   := $(VENV)/.runtime-$(INSTALLER)-$(SUM)
TESTDEPS  := $(VENV)/.test-$(INSTALLER)-$(SUM)

# uv does not compile bytecode unless asked, pip does. The demo starts sooner without (one
# start compiles what it imports, 0.3 s); the suite starts the cockpit in many
# subprocesses, and with PYTHONDONTWRITEBYTECODE set (as here) each would compile again.
ifeq ($(INSTALLER),uv)
INSTALL   := $(VENV)/bin/uv pip install --quiet --python $(PY)
COMPILED  := --compile-bytecode
TOOL      := $(VENV)/bin/uv
else ifeq ($(INSTALLER),pip)
INSTALL   := $(PY) -m pip install --quiet
COMPILED  :=
TOOL      := $(VENV)/.pip-upgraded
else
$(error INSTALLER must be uv or pip, not '$(INSTALLER)')
endif

.PHONY: demo test lint fuzz bench clean venv wheel-check

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/bin/uv: | $(PY)
	$(PY) -m pip install --quiet '$(UV_SPEC)'

$(VENV)/.pip-upgraded: | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	touch $@

$(RUNTIME): pyproject.toml | $(TOOL)
	$(INSTALL) -e .
	rm -f $(VENV)/.runtime-*
	touch $@

# The test extras include the runtime: that stamp is set too, so `make demo` after
# `make test` installs nothing.
$(TESTDEPS): pyproject.toml | $(TOOL)
	$(INSTALL) $(COMPILED) -e '.[test]'
	rm -f $(VENV)/.runtime-* $(VENV)/.test-*
	touch $@ $(RUNTIME)

venv: $(TESTDEPS)

demo: $(RUNTIME)
	$(VENV)/bin/wundr-tui --demo

lint: $(TESTDEPS)
	$(VENV)/bin/ruff check wundr_tui tests bench
	$(VENV)/bin/ruff format --check wundr_tui tests bench
	$(VENV)/bin/mypy --strict wundr_tui
	$(VENV)/bin/lint-imports

# -ra (pyproject's addopts too): the summary names every skipped test and why it skipped.
test: lint
	$(VENV)/bin/pytest -q -ra

# The wheel as a user gets it (pipx / uv tool): built, installed into a clean venv, run.
wheel-check: $(TOOL)
	INSTALLER=$(INSTALLER) VENV=$(VENV) bash .ci/wheel-check

# Every property test (Hypothesis marks them) once at 10,000 examples, random each time; the
# suite runs 200, the same every run. Hostile strings through the boundary into every
# renderer, generated configs and recordings. Long: run it before a release, not per change.
fuzz: $(TESTDEPS)
	HYPOTHESIS_PROFILE=fuzz $(VENV)/bin/pytest -q -p no:cacheprovider -m hypothesis tests

# Cockpit scenarios against fake apiservers on loopback (2 x 25,000 pods), with kubectl and
# watch(1) in the same run: about 7 minutes in all (6 min 59 s measured); logs.py adds about 3
# minutes (50 pods x 2 clusters at 10,000 lines/s, kubectl logs -f beside it). Tables go to docs/performance.md.
# bench/fresh_setup.py (fresh clones, several full installs) is not in it: run it alone.
bench: $(TESTDEPS)
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
