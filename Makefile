# gisioc: `make run` serves the demo, `make test` runs the whole suite. Both set up what is missing.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := var/stamps
export GISIOC_PORT ?= 8000
export GISIOC_HOST ?= 127.0.0.1

.PHONY: help deps venv frontend db migrate demo run run-scale test lint stop clean bench bench-ingest bench-load bench-indicators bench-live bench-rasters bench-kpis

help:  ## List the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP):
	@mkdir -p $@

deps: | $(STAMP)  ## Debian packages: PostgreSQL 15 + PostGIS 3, GDAL, Node.js, Chromium
	@bash scripts/system-deps.sh

$(STAMP)/venv: pyproject.toml constraints.txt | $(STAMP)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install -q --upgrade pip
	@$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	@touch $@

venv: deps $(STAMP)/venv  ## The Python virtual environment from pyproject.toml

$(STAMP)/frontend: frontend/package.json frontend/package-lock.json $(shell find frontend/src frontend/index.html frontend/vite.config.js -type f 2>/dev/null) | $(STAMP)
	@cd frontend && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent
	@touch $@

frontend: deps $(STAMP)/frontend  ## Build the map application into frontend/dist

db: deps  ## Start the project-local PostGIS cluster (var/pg, socket in var/run)
	@bash scripts/pg.sh start

migrate: venv db
	@$(BIN)/gisioc migrate --no-input -v 0

demo: migrate  ## Load the Duy Xuyên demo (idempotent) and print the demo logins
	@$(BIN)/gisioc demo load

run: frontend venv db  ## Set up and serve the demo at http://$(GISIOC_HOST):$(GISIOC_PORT)
# As the Docker image: migrate, static files, the demo with its fakes and pulls (the app alone
# when GISIOC_DEMO=false). make passes a SIGTERM on to it; setpriv sends one too when make is
# killed outright.
	@setpriv --pdeathsig TERM bash scripts/start.sh

run-scale: frontend venv db  ## The demo through nginx (static files, tile cache) in front of GISIOC_WORKERS (2) app processes
	@GISIOC_NGINX=1 GISIOC_WORKERS=$${GISIOC_WORKERS:-2} GISIOC_PROXY_COUNT=1 GISIOC_LIVE_URL=/live/events setpriv --pdeathsig TERM bash scripts/start.sh

test: venv frontend db  ## Run the whole suite (the map app's unit tests, then unit, integration, e2e against the real PostGIS)
	@cd frontend && npm test --silent
	@$(BIN)/python -m pytest

lint: venv $(STAMP)/frontend  ## ruff check and format check; ESLint and Prettier over the map app
	@$(BIN)/ruff check gisioc layers tiles boundary_data tests bench
	@$(BIN)/ruff format --check gisioc layers tiles boundary_data tests bench
	@cd frontend && npm run lint --silent

bench: venv db  ## Tile benchmarks vs tipg and the SQL floor (bench/README.md); ARGS=--quick
	@$(BIN)/python -m bench $(ARGS)

bench-ingest: venv db  ## Ingest with geocoding and the KPI API at 10× the demo; ARGS=--quick
	@$(BIN)/python -m bench.ingest $(ARGS)

bench-load: venv db  ## Tiles while 200 clients flood the profiles (limits, cache); ARGS=--quick
	@$(BIN)/python -m bench.load $(ARGS)

bench-indicators: venv db  ## One indicator over 3,321 communes: choropleth tiles, ranking; ARGS=--quick
	@$(BIN)/python -m bench.indicators $(ARGS)

bench-live: venv db  ## Tiles while 500 live clients hold their streams open, event latency; ARGS=--quick
	@$(BIN)/python -m bench.live $(ARGS)

bench-rasters: venv db  ## Zonal statistics of 3,321 communes over a national 100 m grid, raster tiles; ARGS=--quick
	@$(BIN)/python -m bench.rasters $(ARGS)

bench-kpis: venv db  ## A commune's KPIs at 10⁷ dossiers: rollups vs records, p95 at c=4; ARGS=--quick
	@$(BIN)/python -m bench.kpis $(ARGS)

stop:  ## Stop the database cluster
	@bash scripts/pg.sh stop

clean: stop  ## Remove var/ (database included), the venv and the built frontend
	rm -rf var $(VENV) frontend/node_modules frontend/dist
