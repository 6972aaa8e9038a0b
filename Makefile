# Every target installs what it needs first and is safe to run again.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
APT_PACKAGES := chromium chromium-driver

.PHONY: setup system-packages demo test lint format clean

setup: system-packages $(STAMP)

# Debian's Chromium and ChromeDriver: installed when missing and we are root; otherwise say what to install.
system-packages:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v chromedriver >/dev/null 2>&1 || missing="$$missing chromium-driver"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing$$missing (apt)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES) >/dev/null; \
	  else \
	    echo "ERROR: missing$$missing. Install them (Debian/Ubuntu: sudo apt-get install $(APT_PACKAGES))" >&2; \
	    echo "       or install Chrome/Edge and pass --browser/--driver." >&2; exit 1; \
	  fi; \
	fi

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

# The window when a display exists; otherwise the same job headless from the CLI.
demo: setup
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ] && [ -d gui ] && $(PY) -c "import gui.app" 2>/dev/null; then \
	  $(PY) main.py --demo; \
	else \
	  $(PY) main.py demo; \
	fi

test: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
