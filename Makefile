# 党建指导员工作台 — `make run` and `make test` do all the set-up on a fresh machine.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

# Qt's offscreen platform needs these; a real X display also needs the xcb set.
QT_DEBS   := libegl1 libgl1 libxkbcommon0 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0
XCB_DEBS  := libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-randr0 \
             libxcb-render-util0 libxcb-xinerama0 libxcb-image0 libxcb-xkb1 libxkbcommon-x11-0 libx11-xcb1
# The document tests check every PDF with `qpdf --check` and `pdffonts` (poppler-utils); the server suite
# runs on PostgreSQL too (tests/sync/postgres.py finds initdb/pg_ctl under /usr/lib/postgresql/<ver>/bin).
TEST_DEBS := qpdf poppler-utils postgresql

.PHONY: run run-xvfb test lint unit demo server bench self-check sysdeps sysdeps-test sysdeps-x11 venv clean

run: sysdeps-x11 $(STAMP)
	$(PY) -m app

# A real window on a virtual X server (no display needed): the xcb libraries and Xvfb itself.
run-xvfb: $(STAMP)
	@$(MAKE) --no-print-directory _debs DEBS="$(QT_DEBS) $(XCB_DEBS) xvfb xauth"
	xvfb-run -a $(PY) -m app

test: sysdeps-test $(STAMP) lint unit

lint: $(STAMP)
	$(VENV)/bin/ruff check app server tests bench migrations/env.py
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

unit: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest -q

demo: $(STAMP)
	$(PY) -m app seed-demo --orgs 300 --years 3

# A demo district server on this machine (data in .server-demo/, made on first run; accounts printed).
SERVER_HOME := .server-demo
server: $(STAMP)
	DANGJIAN_SERVER_HOME=$(SERVER_HOME) $(PY) -m server demo-init
	DANGJIAN_SERVER_HOME=$(SERVER_HOME) $(PY) -m server serve --host 127.0.0.1 --port 8765

self-check: sysdeps $(STAMP)
	$(PY) -m app self-check

bench: sysdeps-test $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) bench/run_all.py

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,server]'
	touch $(STAMP)

sysdeps:
	@$(MAKE) --no-print-directory _debs DEBS="$(QT_DEBS)"

sysdeps-test:
	@$(MAKE) --no-print-directory _debs DEBS="$(QT_DEBS) $(TEST_DEBS)"

sysdeps-x11:
	@$(MAKE) --no-print-directory _debs DEBS="$(QT_DEBS) $(XCB_DEBS)"

# Installs missing Debian packages when root, else prints the exact command.  Elsewhere: no-op.
_debs:
	@if command -v dpkg-query >/dev/null 2>&1; then \
	  missing=""; \
	  for p in $(DEBS); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	  done; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	      echo "安装所需的系统库:$$missing"; \
	      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	    else \
	      echo "缺少所需的系统库，请先运行: sudo apt-get install -y$$missing"; exit 1; \
	    fi; \
	  fi; \
	fi

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
