# datalid — the two commands a fresh machine needs are `make run` and `make test`.
SHELL := bash
GO ?= go
export PATH := $(PATH):/usr/local/go/bin
MODELS_DIR ?= $(CURDIR)/models
export DATALID_MODELS_DIR ?= $(MODELS_DIR)
BIN := bin/datalid
# Count-based: a duration-based -fuzztime races the Go 1.26 fuzz coordinator (go.dev/issue/75804)
# and fails with "context deadline exceeded" on a loaded machine.
FUZZTIME ?= 150000x
FUZZTIME_CONFIG ?= 30000x
# Packages whose tests run real models are slow under the race detector; the rest run with it.
MODEL_PKGS := ./internal/onnx ./internal/engine ./internal/quantize ./internal/server/e2e ./cmd/datalid
RACE_PKGS = $(filter-out $(MODEL_PKGS:./%=github.com/datalid/datalid/%),$(shell $(GO) list ./...))

.PHONY: all setup setup-test user-models deps models build run samples test check unit race fuzz bench-smoke eval eval-synth eval-synth-hard jobs-overhead hostile clean

all: build

setup: ## fetch runtime + models (verified) and Debian build deps; idempotent
	@scripts/setup.sh all

setup-test: ## setup, plus what the tests drive (redis-server, chromium): installed as root, else the command to run
	@scripts/setup.sh test

# The per-user models directory, the last place datalid looks (docs/config.md, "Finding the
# models"), so ./bin/datalid works from any folder and any checkout.
USER_MODELS_DIR ?= $(or $(XDG_DATA_HOME),$(HOME)/.local/share)/datalid/models
user-models: ## fetch and verify the models into the per-user directory
	@DATALID_MODELS_DIR=$(USER_MODELS_DIR) scripts/setup.sh all

build: setup
	$(GO) build -o $(BIN) ./cmd/datalid

samples: build
	@[ -f samples/labels.csv ] || ./$(BIN) synth --out samples -n 6 --seed 7

run: build ## set up, then serve the API and web page (prints the address)
	./$(BIN) serve

eval: build ## accuracy on the shared development photos
	./$(BIN) eval ../shared/data/photos --labels ../shared/data/photos/labels.csv

eval-synth: build ## accuracy on 500 rendered photos, 28 % of them hard layouts (target ≥ 95 %)
	./$(BIN) synth --out /tmp/datalid-synth -n 500 && ./$(BIN) eval /tmp/datalid-synth --min-accuracy 0.95

eval-synth-hard: build ## accuracy per hard layout family, on 180 photos of those only
	./$(BIN) synth --out /tmp/datalid-synth-hard -n 180 --hard
	./$(BIN) eval /tmp/datalid-synth-hard > /tmp/datalid-synth-hard/eval.txt; \
	awk -f scripts/synth-by-layout.awk /tmp/datalid-synth-hard/labels.csv /tmp/datalid-synth-hard/eval.txt

test: setup-test check unit race fuzz bench-smoke ## set up and run the whole suite

check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	CGO_ENABLED=0 $(GO) build ./...
	@scripts/check-files.sh

# cmd/datalid evaluates the shared photos when a checkout has them (87 reads with every second
# look): past go test's default 10 minutes on a busy 2-core machine.
unit:
	$(GO) test -count=1 -timeout 30m ./...
	CGO_ENABLED=0 $(GO) test -count=1 ./internal/imageio/

race:
	$(GO) test -count=1 -race $(RACE_PKGS)

fuzz: ## each fuzz target briefly, seeded by its corpus
	$(GO) test -run='^$$' -fuzz='^FuzzFind$$' -fuzztime=$(FUZZTIME) ./internal/dates
	$(GO) test -run='^$$' -fuzz='^FuzzDecode$$' -fuzztime=$(FUZZTIME) ./internal/imageio
	$(GO) test -run='^$$' -fuzz='^FuzzParse$$' -fuzztime=$(FUZZTIME_CONFIG) ./internal/config

bench-smoke: ## every benchmark once, so none rots
	$(GO) test -run='^$$' -bench=. -benchtime=1x ./...

jobs-overhead: build ## 1 gateway + 2 workers (NATS JetStream) against in-process bench, back to back
	scripts/jobs-overhead.sh $(or $(N),100) $(or $(SIDE),800)

hostile: build ## issue 9's hostile-client probe at full scale against a child server (~5 min; not in make test)
	./$(BIN) probe

clean:
	rm -rf bin samples
