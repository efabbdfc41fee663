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

.PHONY: run build test test-short test-cluster bench load lint vuln fmt tidy clean lint-api docs-vendor examples screenshots

## run: start the server on the embedded default (SQLite + in-process Redis) at 127.0.0.1:8080
run:
	$(GO) run -ldflags "$(LDFLAGS)" . serve

## build: build the static binary into bin/
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) .

## test: go vet and the whole suite with -race against MariaDB and Redis
test:
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 30m ./...

# The store tests that run against node 1 of the cluster: migrations, leases, and every store
# whose writes race (ledger, trainings, certificates, shares, registry, audit).
CLUSTER_STORE_TESTS := TestMigrat|TestLease_|TestOpen_|TestLedger_|TestTrainingStore_|TestTrainingService_|TestCertificates_|TestShareStore_|TestRegistry_Concurrent|TestActivate_|TestAuditGrants_|TestAuditStore_|TestPoster_|TestQueryTimeout_

## test-cluster: start a private 3-node Galera cluster (.ci/galera, spare ports, never 3306), run the
## store and migration tests against it, the cluster tests (internal/clustertest) and two `serve`
## instances starting together on two nodes; stop it by PID
test-cluster:
	@dir=$$(mktemp -d); trap '.ci/galera stop "$$dir"' EXIT; \
	dsns=$$(.ci/galera start "$$dir") || exit 1; \
	echo "test-cluster: Galera at $$dsns"; \
	SKILLRECORD_TEST_MYSQL_DSN="$${dsns%%,*}" $(GO) test -race -count=1 -timeout 10m -skip '/sqlite$$' \
	  -run '$(CLUSTER_STORE_TESTS)' ./internal/sqlstore/ && \
	SKILLRECORD_TEST_GALERA_DSNS="$$dsns" SKILLRECORD_TEST_GALERA_DIR="$$dir" \
	  $(GO) test -race -count=1 -timeout 10m ./internal/clustertest/ && \
	SKILLRECORD_TEST_GALERA_DSNS="$$dsns" $(GO) test -race -count=1 -timeout 5m -run 'Galera' .

## screenshots: the pages' browser test (headless Chromium), saving its screenshots into docs/screenshots
screenshots:
	SKILLRECORD_SCREENSHOTS=$(CURDIR)/docs/screenshots $(GO) test -count=1 -run TestPages ./internal/web/

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

## examples: build, then run the README's walks (examples/*.sh) against a fresh embedded server
examples: build
	bash examples/run.sh $(BIN)

## lint-api: spectral (spectral:oas) and redocly (recommended) on api/openapi.yaml; any warning fails
lint-api: node_modules/.package-lock.json
	npx --no-install spectral lint --fail-severity=warn api/openapi.yaml
	@out=$$(REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true npx --no-install redocly lint --format=summary api/openapi.yaml 2>&1); rc=$$?; \
	  echo "$$out" | grep -v -e '^ *║' -e '^ *╔' -e '^ *╚'; \
	  if [ $$rc -ne 0 ] || echo "$$out" | grep -Eq '^(error|warning) |You have [0-9]+ warning'; then echo "lint-api: redocly found problems" >&2; exit 1; fi

# The pinned linters (package.json, package-lock.json) go into ./node_modules, which git ignores.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund

## docs-vendor: copy Redoc's standalone bundle (version pinned in package.json) into api/docs for /docs
docs-vendor: node_modules/.package-lock.json
	cp node_modules/redoc/bundles/redoc.standalone.js node_modules/redoc/bundles/redoc.standalone.js.LICENSE.txt api/docs/
	cp node_modules/redoc/LICENSE api/docs/REDOC-LICENSE

## vuln: govulncheck
vuln:
	$(GO) run golang.org/x/vuln/cmd/govulncheck@v1.1.4 ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin
