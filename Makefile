# llmload — `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
NODE_OK := $(shell node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a===20&&b>=18)?0:1)' 2>/dev/null && echo yes)

# seed workload knobs (make bench PROVIDER=holysheep PROFILE=seed …); anything else goes in ARGS
PROVIDER ?= sim
# several at once, the same load on each: make bench PROVIDERS=holysheep,openrouter
PROVIDERS ?=
PROFILE ?= short
SCENARIO ?= bench
RESULTS_DIR ?= results/$(shell date -u +%Y%m%dT%H%M%SZ)-$(PROVIDER)-$(SCENARIO)
BASE_URL ?=
BUDGET_USD ?=
INFLUX_URL ?=
# a synthetic workload instead of the seed's prompts: prompt and answer lengths in tokens (docs/WORKLOADS.md)
ISL ?=
ISL_STDDEV ?=
OSL ?=
OSL_STDDEV ?=
# shared prefixes before each synthetic prompt, and conversations of TURNS turns
PREFIX_TOKENS ?=
PREFIX_COUNT ?=
TURNS ?=
# prompts from a dataset file, or a timestamped trace replayed at its own clock (SPEED=2: twice as fast)
DATASET ?=
TRACE ?=
SPEED ?=
DIALECT ?=
ARGS ?=
ONLY ?=

.PHONY: help deps build test test-unit test-e2e bench perf device-pack typecheck dashboards up down clean

help: ## show this help
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'

node_modules/.installed: package.json package-lock.json
	@test "$(NODE_OK)" = yes || { echo "llmload needs Node.js >= 20.18.1 (found $$(node --version 2>/dev/null || echo none))"; exit 1; }
	npm ci --no-audit --no-fund
	@touch $@

deps: node_modules/.installed ## install npm dependencies (npm ci)

dist/cli.js: node_modules/.installed $(shell find engine lib sim -name '*.ts' ! -name '*.test.ts' 2>/dev/null) scripts/build.mjs
	node scripts/build.mjs

build: dist/cli.js ## build the CLI, workers and scenario library into dist/

typecheck: deps ## TypeScript strict type check
	npx tsc --noEmit -p .

test: build ## run every test (unit, end-to-end, InfluxDB, Chromium); installs what it needs
	bash scripts/test.sh

test-unit: build ## unit tests only (pure modules)
	bash scripts/test.sh unit

bench: build ## run the seed workload (PROVIDER=sim|holysheep|…, PROVIDERS=a,b, PROFILE=quick|short|seed|stress|spike|spike-short|soak, DIALECT=responses|completions, SCENARIO=bench|smoke|seed-locust; ISL=/OSL=, DATASET= or TRACE= for the workload)
	@mkdir -p "$(RESULTS_DIR)"
	node bin/llmload.js run scenarios/$(SCENARIO).ts --results-dir "$(RESULTS_DIR)" \
	  -e PROVIDER=$(PROVIDER) -e PROFILE=$(PROFILE) $(if $(PROVIDERS),-e PROVIDERS=$(PROVIDERS)) $(if $(BASE_URL),-e BASE_URL=$(BASE_URL)) \
	  $(if $(DATASET),-e DATASET=$(abspath $(DATASET))) $(if $(TRACE),-e TRACE=$(abspath $(TRACE))) $(if $(SPEED),-e SPEED=$(SPEED)) $(if $(DIALECT),-e DIALECT=$(DIALECT)) \
	  $(if $(PREFIX_TOKENS),-e PREFIX_TOKENS=$(PREFIX_TOKENS)) $(if $(PREFIX_COUNT),-e PREFIX_COUNT=$(PREFIX_COUNT)) $(if $(TURNS),-e TURNS=$(TURNS)) \
	  $(if $(ISL),-e ISL=$(ISL)) $(if $(ISL_STDDEV),-e ISL_STDDEV=$(ISL_STDDEV)) $(if $(OSL),-e OSL=$(OSL)) $(if $(OSL_STDDEV),-e OSL_STDDEV=$(OSL_STDDEV)) \
	  $(if $(BUDGET_USD),--budget-usd $(BUDGET_USD)) $(if $(INFLUX_URL),--out influxdb=$(INFLUX_URL)) $(ARGS)

perf: build ## performance benchmarks (ONLY="engine client sim stress k6 soak whole https" for some); figures go to docs/PERFORMANCE.md
	node --no-memory-reducer --import tsx bench/run.ts $(ONLY)

device-pack: build ## pack node, dist/ and the runtime packages for a bare machine (issue #16's levels: bench/device/levels.sh)
	bash bench/device/pack.sh

dashboards: deps ## regenerate grafana/dashboards/*.json from the TypeScript sources
	node --import tsx grafana/generate.ts

up: ## start InfluxDB + Grafana with our provisioning (needs Docker)
	docker compose up -d

down: ## stop them
	docker compose down

clean: ## remove build output and results
	rm -rf dist results
