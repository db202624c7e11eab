# carecoach — the two commands are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

FUNCTIONS := ingest process fire inbound api reconcile
GOBUILD   := CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build -tags lambda.norpc -trimpath -buildvcs=false -ldflags='-s -w -buildid='
# Fuzz targets run briefly in CI; `make fuzz FUZZTIME=10m` runs them long.
FUZZTIME  ?= 20s

.PHONY: help setup emulators run demo test fuzz soak bench build lint clean

help:
	@echo "make run    start DynamoDB Local, the local SES and the dev server (Ctrl-C stops all)"
	@echo "make demo   send a sample customer message to a running 'make run' and move its clock 24h"
	@echo "make test   the whole test suite against the local emulators"
	@echo "make build  one bootstrap per Lambda function under build/"
	@echo "make lint   gofmt, go vet, staticcheck"
	@echo "make fuzz   run every fuzz target for FUZZTIME (default $(FUZZTIME))"
	@echo "make bench  benchmarks, each next to its baseline in the same run"
	@echo "make soak   the resilience tests at length: faults at 10% for SOAK_DURATION (default 5m)"

# Installs what is missing: Go modules, the SES emulator (npm ci), DynamoDB Local (npm pack, checksum-verified);
# checks for python3 with aws-sam-translator and cfn-lint (the template tests).
setup:
	@go mod download
	@bash infra/setup.sh

# What `make run` needs: the emulators, not the template tools.
emulators:
	@go mod download
	@bash infra/setup.sh --emulators

run: emulators
	@mkdir -p build
	@go build -o build/devserver ./infra/devserver
	@exec ./build/devserver

demo:
	@go run ./infra/send -fresh -advance 24h1m zendesk-ticket-comment-added-customer
	@echo "Now open the mail viewer printed by 'make run' (default http://127.0.0.1:8005) to read the reminder."

test: setup
	go test -count=1 -timeout 15m ./...
	@$(MAKE) --no-print-directory fuzz

# Each fuzz target for FUZZTIME; the seed corpus already runs in `go test`.
fuzz:
	@FUZZTIME=$(FUZZTIME) bash infra/fuzz.sh

# The resilience tests (shared/dev/resilience) with bigger rounds and new seeds
# until SOAK_DURATION is up; `go test` runs one short round of each.
SOAK_DURATION ?= 5m
soak: setup
	SOAK=1 SOAK_DURATION=$(SOAK_DURATION) go test -count=1 -timeout 0 -v -run . ./shared/dev/resilience/

# Measures ingest, processing, cold starts, digests and cost on the local
# stack and writes BENCHMARKS.md; then the micro-benchmarks. Every figure is
# reported against a baseline measured in the same run (see infra/bench/README.md).
# BENCH_ONLY=ingest,process,cold,digests,replies runs some sections only (the cost
# estimate needs process).
bench: setup
	BENCH_ONLY=$(BENCH_ONLY) go test -tags bench -count=1 -timeout 20m -run TestBenchmarkReport ./infra/bench/
	@sed -n '/^## Targets/,/^## /p' BENCHMARKS.md | sed '$$d'
	go test -run '^$$' -bench Dashboard -benchtime 20x -count 3 ./shared/adapters/httpapi/
	go test -run '^$$' -bench . -count 3 ./shared/adapters/emf/

build: $(addprefix build/,$(addsuffix /bootstrap,$(FUNCTIONS)))

build/%/bootstrap: FORCE
	$(GOBUILD) -o $@ ./functions/$*
	@size=$$(stat -c %s $@); echo "$@ $$((size/1024/1024)) MB"; \
	  if [ $$size -gt $$((15*1024*1024)) ]; then echo "$@ is over 15 MB" >&2; exit 1; fi

FORCE:

# SAM (BuildMethod: makefile) calls build-<LogicalId> with ARTIFACTS_DIR set.
build-IngestFunction:
	$(GOBUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/ingest
build-ProcessFunction:
	$(GOBUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/process
build-FireFunction:
	$(GOBUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/fire
build-InboundFunction:
	$(GOBUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/inbound
build-ApiFunction:
	$(GOBUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/api
build-ReconcileFunction:
	$(GOBUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/reconcile

lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './infra/node_modules/*')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt would change: $$unformatted" >&2; exit 1; fi
	go vet ./...
	go vet -tags bench ./infra/bench/
	go tool staticcheck ./...
	go tool staticcheck -tags bench ./infra/bench/

clean:
	rm -rf build .aws-sam
