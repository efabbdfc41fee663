# skillrecord — common tasks. `make run` and `make test` are all a newcomer needs.

GO        ?= go
BIN       ?= bin/skillrecord
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X main.version=$(VERSION)
LINT_VERSION := v2.15.0
LINT      := bin/golangci-lint

# Tests use the machine's MariaDB and Redis; each test creates and drops its own database.
export SKILLRECORD_TEST_MYSQL_DSN ?= root:@tcp(127.0.0.1:3306)/
export SKILLRECORD_TEST_REDIS_ADDR ?= 127.0.0.1:6379

.PHONY: run build test test-short bench load lint vuln fmt tidy clean

## run: start the server on the embedded default (SQLite + in-process Redis) at 127.0.0.1:8080
run:
	$(GO) run -ldflags "$(LDFLAGS)" . serve

## build: build the static binary into bin/
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) .

## test: go vet and the whole suite with -race against MariaDB and Redis
test:
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 20m ./...

## bench: benchmarks (no -race), against MariaDB and Redis
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count=1 -timeout 30m ./...

## load: the load run of the read paths against the built binary and the bare stack (not part of test)
load:
	SKILLRECORD_LOAD=1 $(GO) test -count=1 -run TestLoad -v -timeout 15m ./internal/loadtest/

## lint: golangci-lint v2 (installed into bin/ on first use)
lint: $(LINT)
	$(LINT) run ./...

$(LINT):
	GOBIN=$(CURDIR)/bin $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(LINT_VERSION)

## vuln: govulncheck
vuln:
	$(GO) run golang.org/x/vuln/cmd/govulncheck@v1.1.4 ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin
