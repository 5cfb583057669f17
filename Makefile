# b2h — common tasks. `make help` lists them.
GO       ?= go
PKGS     := ./...
BIN      := bin/b2h
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)

.PHONY: help build test race lint demo bench microbench crashtest fuzz clean

help: ## list targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

build: ## build bin/b2h
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) .

test: lint ## lint, then the test suite with the race detector (what CI runs)
	$(GO) test -race -count=1 -timeout 30m $(PKGS)

lint: ## gofmt + go vet
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) vet $(PKGS)

demo: ## run the guided TUI against the built-in simulators
	$(GO) run . --demo

SCALE ?= 20000
TIER  ?= professional
LIMITS ?= real
BENCHFLAGS ?=

bench: build ## sync at SCALE on TIER against the simulators: one JSON line per run (full, no-op incremental, 5 % mutated); BENCHFLAGS="-runs full -cpuprofile sim.prof" etc.
	$(GO) run ./bench -scale $(SCALE) -tier $(TIER) -limits $(LIMITS) -b2h $(BIN) $(BENCHFLAGS)

microbench: ## the go test benchmarks of every package
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

crashtest: ## SIGKILL full, incremental and undo runs at POINTS points each (default 36: 108 in all) and check convergence
	B2H_CRASH_POINTS=$${POINTS:-36} $(GO) test -count=1 -timeout 60m -run 'TestCrash(Converges|Incremental|Undo)$$' -v ./sync/

FUZZTIME ?= 1m
fuzz: ## run every fuzzer for FUZZTIME, one after another (FUZZTIME=10m for a release)
	scripts/fuzz.sh $(FUZZTIME)

clean: ## remove build output
	rm -rf bin dist
