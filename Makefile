# Two commands are all a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
AXE := node_modules/axe-core/axe.min.js

.PHONY: run test check lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# axe-core, which the browser tests run inside chromium, comes from the npm registry. Without
# npm the accessibility checks are skipped, as the browser tests are without chromium (under
# CI=true both fail the run instead).
$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --no-audit --no-fund --ignore-scripts --loglevel=error && touch $(AXE); \
	else echo "npm is not installed: the accessibility checks will be skipped"; fi

run: $(STAMP)
	$(BIN)/tracker demo --if-empty
	$(BIN)/tracker serve

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The tests' stores, clusters and browser profiles live in memory where the machine has room
# there (a tmpfs of 1 GiB or more): a commit's fsync then costs nothing, which took a quarter
# off the SQLite property test, and no test is about surviving a power cut.
TEST_TMP := $(shell [ -w /dev/shm ] && [ $$(df -Pk /dev/shm | awk 'NR==2 {print $$4}') -ge 1048576 ] \
	&& echo /dev/shm || echo $${TMPDIR:-/tmp})

# One worker more than there are cores, since the browser and process tests spend much of
# their time waiting; each worker starts its own PostgreSQL cluster. Tests are sent one at a
# time, the long ones first, so that the workers finish together.
test: lint $(AXE)
	TMPDIR=$(TEST_TMP) $(BIN)/pytest -n $$(( $$(nproc) + 1 )) --maxschedchunk 1

# The edit-run loop: lint, types, and the unit and web tests on SQLite, without the long ones.
check: lint
	TMPDIR=$(TEST_TMP) $(BIN)/pytest -n auto --dist worksteal tests/unit tests/web -m "not slow" \
		-k "not postgresql"

bench: $(STAMP)
	@# wrk drives the HTTP benchmark; as root on Debian it is installed when missing.
	@command -v wrk >/dev/null || [ "$$(id -u)" != 0 ] || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var node_modules .pytest_cache .mypy_cache .ruff_cache
