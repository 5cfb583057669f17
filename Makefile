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

CRASHLOG := bin/crashtest.log
crashtest: ## SIGKILL full/incremental (faults on) syncs, review apply, undo and the state commands at POINTS points each (default 28: 140 in all), check convergence, print the figures
	@mkdir -p bin
	@B2H_CRASH_POINTS=$${POINTS:-28} $(GO) test -count=1 -timeout 90m -run 'TestCrash(Converges|Incremental|Undo|ReviewApply|StateCommands)$$' -v ./sync/ >$(CRASHLOG) 2>&1; rc=$$?; \
	grep -E '^(--- |FAIL|ok )|(missing|extra|left) after|corrupt after' $(CRASHLOG) | head -60; \
	echo "crash harness figures (full log: $(CRASHLOG)):"; \
	grep -o 'CRASH FIGURES.*' $(CRASHLOG) | sed 's/^CRASH FIGURES /  /'; \
	grep -o 'CRASH FIGURES.*' $(CRASHLOG) | tr ' =' '\n\n' | awk 'p{t[p]+=$$0; p=""} /^(attempted|landed|duplicates|lost|stray|corrupt|undo_left)$$/{p=$$0} END{printf "  total: attempted=%d landed=%d duplicates=%d lost=%d stray=%d corrupt=%d undo_left=%d\n", t["attempted"], t["landed"], t["duplicates"], t["lost"], t["stray"], t["corrupt"], t["undo_left"]}'; \
	exit $$rc

FUZZTIME ?= 1m
fuzz: ## run every fuzzer for FUZZTIME, one after another (FUZZTIME=10m for a release)
	scripts/fuzz.sh $(FUZZTIME)

clean: ## remove build output
	rm -rf bin dist
