# Everything a fresh machine with Python 3.11+ and make needs: `make run`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run serve test test-fast lint bench bench-quick latency latency-networks camera load clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## Start the development server on http://$(HOST):$(PORT) with the bundled sample images.
run: $(VENV)/.runtime
	$(BIN)/flask --app app run --host $(HOST) --port $(PORT)

## Serve with gunicorn, as the Docker image does.
serve: $(VENV)/.runtime
	PORT=$(PORT) $(BIN)/gunicorn --config gunicorn.conf.py "app:create_app()"

## Set up and run every check: lint, Dockerfile lint, unit, API and browser tests.
test: $(VENV)/.dev
	bash tools/ensure_test_tools.sh
	$(MAKE) --no-print-directory node_modules/.installed
	$(MAKE) --no-print-directory lint
	$(BIN)/pytest

## Unit and API tests only (no browser).
test-fast: $(VENV)/.dev
	$(BIN)/pytest -m "not browser"

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/hadolint --failure-threshold warning Dockerfile

## The engine and request benchmark table (all sizes); bench-quick: 512² only.
bench: $(VENV)/.dev
	$(BIN)/python -m bench.bench

bench-quick: $(VENV)/.dev
	$(BIN)/python -m bench.bench --quick

## In-browser latency of the page (typing → new image, pointer → panel), 50 trials each.
latency: $(VENV)/.dev
	$(BIN)/python -m bench.latency

## The same over emulated networks (classroom: 20/5 Mbit/s, 20 ms; phone: 9/1.5 Mbit/s, 60 ms), with a 12 MP upload.
latency-networks: $(VENV)/.dev
	$(BIN)/python -m bench.latency --network classroom --big-photo
	$(BIN)/python -m bench.latency --network phone --big-photo

## The live camera on a fake camera for 15 s: frames/s, round trips and bytes per frame, on loopback and classroom.
camera: $(VENV)/.dev
	$(BIN)/python -m bench.camera --network loopback classroom

## A class, two attackers and slow clients against nginx + 2 instances + Redis on loopback (STUDENTS=50, SECONDS=60).
load: $(VENV)/.dev
	bash tools/ensure_test_tools.sh
	$(BIN)/python -m bench.load --students $(or $(STUDENTS),50) --time $(or $(SECONDS),60)

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache .hypothesis
