# Every target installs what it needs first and is safe to run again.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Debian packages: the browser and its driver, Redis for the many-machines mode, Xvfb for screenshots, the trust-store
# tools the company-network tests use (update-ca-certificates, NSS certutil), and the libraries Qt needs to draw.
APT_PACKAGES := chromium chromium-driver redis-server xvfb xauth ca-certificates libnss3-tools libegl1 libgl1 libglib2.0-0 libfontconfig1 \
	libdbus-1-3 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 \
	libxcb-render-util0 libxcb-xkb1 libxcb-randr0 libxcb-shape0

MITM_VENV := .venv-mitm
MITM_STAMP := $(MITM_VENV)/.installed
MITMPROXY := mitmproxy==11.0.2

.PHONY: setup system-packages demo test lint format clean package package-test mitm translations translations-update

setup: system-packages $(STAMP) translations

# The window's languages: resources/i18n/*.ts (in the repo) compiled to the .qm files the app loads (not in the repo).
TS_FILES := $(wildcard resources/i18n/*.ts)
QM_FILES := $(TS_FILES:.ts=.qm)
translations: $(QM_FILES)

resources/i18n/%.qm: resources/i18n/%.ts $(STAMP)
	$(VENV)/bin/pyside6-lrelease -silent $< -qm $@

# After changing the window's texts: new and changed strings go into the .ts files, to be translated there.
translations-update: $(STAMP)
	$(VENV)/bin/pyside6-lupdate gui/*.py -no-obsolete -ts $(TS_FILES)

# Installed when missing and we are root (apt); otherwise say exactly what to install.
system-packages:
	@missing=""; \
	for pkg in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "ok installed" || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing$$missing (apt)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null \
	      || { echo "ERROR: apt-get could not install$$missing" >&2; exit 1; }; \
	  else \
	    echo "ERROR: missing system packages:$$missing" >&2; \
	    echo "       Install them (Debian/Ubuntu: sudo apt-get install$$missing), or on other systems" >&2; \
	    echo "       install Chrome/Edge and pass --browser/--driver." >&2; exit 1; \
	  fi; \
	fi; \
	command -v chromium >/dev/null && command -v chromedriver >/dev/null \
	  || { echo "ERROR: chromium/chromedriver still not on PATH" >&2; exit 1; }

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

# The TLS-inspecting proxy of tests/network, in its own venv: its pins would clash with ours.
mitm: $(MITM_STAMP)

$(MITM_STAMP):
	test -x $(MITM_VENV)/bin/python || $(PYTHON) -m venv $(MITM_VENV)
	$(MITM_VENV)/bin/python -m pip install -q "$(MITMPROXY)"
	touch $@

test: setup mitm
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The double-click app: dist/CoupaDownloads/ (plus dist/CoupaDownloads.app on macOS), from the checked-in build.spec.
package: setup translations
	$(VENV)/bin/pyinstaller --noconfirm build.spec

# The built bundle as a user runs it: frozen demo (2 workers, files checked by sha256), window offscreen, cold start.
package-test: package
	$(PY) packaging/smoke_test.py dist/CoupaDownloads

clean:
	rm -rf $(VENV) $(MITM_VENV) build dist .pytest_cache .mypy_cache .ruff_cache resources/i18n/*.qm

# Benchmarks: our engine against the old browser-per-PO approach on the demo portal (see benchmarks/RESULTS.md):
# the 50-PO scenario at 1, 2, 4 workers, the real-tenant scenario at 1 and 4, then the K sweep (about 45 minutes).
.PHONY: bench bench-quick bench-soak bench-distributed bench-window
bench: setup
	$(PY) -m benchmarks.run --scenario full
	$(PY) -m benchmarks.run --scenario tenant
	$(PY) -m benchmarks.sweep

# 5,000 POs through `main.py run` on a fast demo portal: throughput and memory over time, report time, the window fed
# the results (20-30 minutes on 2 cores).
bench-soak: setup
	$(PY) -m benchmarks.soak

bench-quick: setup
	$(PY) -m benchmarks.run --quick

# 2 Celery nodes x 2 processes against 1 node x 4 on the same demo scenario (adds a section to RESULTS.md).
bench-distributed: setup
	$(PY) -m benchmarks.distributed

# The window fed a 5,000-PO run at a fast run's pace (JOURNAL=<a run's folder> replays that run):
# its worst event-loop delay with every result row (target: under 100 ms).
bench-window: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks.window_feed --count 5000 $(if $(JOURNAL),--journal $(JOURNAL))
