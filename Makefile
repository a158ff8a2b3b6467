# casusnet: the two commands a newcomer needs are `make run` and `make test`.
# Both start a local Neo4j Community (scripts/neo4j) unless NEO4J_URI is set.

SHELL := /bin/bash
GO ?= go
NEO4J := scripts/neo4j/neo4j.sh

.PHONY: bench bench-go soak web bench-network bench-subscriptions run test neo4j-up neo4j-down neo4j-status build generate check-generated fmt vet lint clean bench-audit fuzz

## run: start the local Neo4j, migrate, seed the demo region and serve on :8080
run:
	@scripts/run.sh

## test: every test (unit and integration) against a real Neo4j
test:
	@scripts/test.sh

## neo4j-up / neo4j-down: start and stop the local Neo4j (bolt://127.0.0.1:7687)
neo4j-up:
	@$(NEO4J) up

neo4j-down:
	@$(NEO4J) down

neo4j-status:
	@$(NEO4J) status

## web: build the web client (internal/web/app) into internal/web/dist when it changed
web:
	@scripts/web.sh

## build: the binary, at bin/casusnet, with the web client built in
build: web
	$(GO) build -o bin/casusnet ./cmd/casusnet

## generate: regenerate graph/ from schema/*.graphqls with gqlgen
generate:
	$(GO) generate ./...

## check-generated: fail if the generated code is not what gqlgen makes
check-generated:
	@scripts/check-generated.sh

fmt:
	gofmt -w $$(git ls-files '*.go')

vet:
	$(GO) vet ./...

## lint: the quick checks CI runs besides the tests
lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt wants changes"; exit 1; }
	$(GO) vet ./...

clean:
	rm -rf bin scripts/neo4j/target

## bench-audit: the access log's cost per request, logged and unlogged side by side
bench-audit:
	@scripts/test.sh -run '^$$' -bench AccessLogCost -benchtime 3s ./graph/

## fuzz: ten minutes for each fuzz target (their seed corpora run in make test)
fuzz:
	cd internal/casus && go test -run '^$$' -fuzz FuzzValidate -fuzztime 10m -fuzzminimizetime 2s -timeout 15m .
	cd internal/neo4j && go test -run '^$$' -fuzz FuzzDecodeCursor -fuzztime 10m -fuzzminimizetime 2s -timeout 15m .

## bench-subscriptions: casusnet's subscriptions at 1,000, 5,000 and 10,000 subscribers next to a bare gorilla broadcast (see bench/NETWORK-SUBSCRIPTIONS.md)
bench-subscriptions: build
	@$(NEO4J) up
	$(GO) build -o bin/benchsubs ./cmd/benchsubs
	ulimit -n $$(ulimit -Hn) && bin/benchsubs $(BENCH_ARGS)

## bench-network: network queries at 10k, 100k and 1M synthetic persons, GraphQL next to the Cypher floor, on a Neo4j of its own (.neo4j-bench, port 7688; see bench/NETWORK-SUBSCRIPTIONS.md)
BENCH_NEO4J := CASUSNET_NEO4J_HOME=$(CURDIR)/.neo4j-bench CASUSNET_NEO4J_PORT=7688 CASUSNET_NEO4J_HEAP=3g CASUSNET_NEO4J_PAGECACHE=3g $(NEO4J)
bench-network: build
	@$(BENCH_NEO4J) down >/dev/null 2>&1 || true
	@rm -rf $(CURDIR)/.neo4j-bench # each size is loaded into an empty database
	@$(BENCH_NEO4J) up
	$(GO) build -o bin/benchnet ./cmd/benchnet
	NEO4J_URI=bolt://127.0.0.1:7688 bin/benchnet $(BENCH_ARGS)
	@$(BENCH_NEO4J) down

## soak: 30 minutes of mixed load with 1,000 subscriptions on a Neo4j of its own (.neo4j-soak, port 7690); writes bench/SOAK.md and bench/soak.png
soak:
	@scripts/soak.sh

## bench: casusnet next to @neo4j/graphql and the Cypher floor on one Neo4j of its own (.neo4j-compare, port 7692); writes bench/RESULTS.md (BENCH_SCALE=10 for 100k persons)
bench:
	@scripts/bench.sh

## bench-go: the Go micro-benchmarks of the hot paths (resolvers with and without scope predicates, access-log append, graph algorithms), six runs each for benchstat, to bench/go-bench.txt
bench-go:
	@scripts/test.sh -run '^$$' -bench 'HotPaths|AuditAppend|AccessLogCost|Centrality' -count 6 -benchtime 1s ./graph/ ./internal/neo4j/ ./internal/gonum/ | grep -E '^(Benchmark|goos|goarch|pkg|cpu|ok)' | tee bench/go-bench.txt
