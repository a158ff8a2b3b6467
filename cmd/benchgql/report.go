package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"casusnet/internal/load"
)

// versions names what ran: machine, Neo4j, Node and the library.
func (b *bench) versions(ctx context.Context) string {
	var parts []string
	cpu := "?"
	if info, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(info), "\n") {
			if v, ok := strings.CutPrefix(line, "model name"); ok {
				cpu = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	mem := "?"
	if info, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		fmt.Sscanf(strings.SplitN(string(info), "\n", 2)[0], "MemTotal: %d kB", &kb)
		mem = fmt.Sprintf("%.0f GiB", float64(kb)/(1<<20))
	}
	parts = append(parts, fmt.Sprintf("%d cores (%s), %s memory, %s/%s", runtime.NumCPU(), cpu, mem, runtime.GOOS, runtime.GOARCH))
	if res, err := neo4j.ExecuteQuery(ctx, b.driver, "CALL dbms.components() YIELD name, versions, edition RETURN name + ' ' + versions[0] + ' ' + edition AS v",
		nil, neo4j.EagerResultTransformer); err == nil && len(res.Records) > 0 {
		v, _ := res.Records[0].Get("v")
		parts = append(parts, fmt.Sprint(v))
	}
	parts = append(parts, "casusnet built with "+runtime.Version())
	if out, err := exec.Command("node", "--version").Output(); err == nil {
		parts = append(parts, "Node "+strings.TrimSpace(string(out)))
	}
	if out, err := exec.Command("node", "-p", "require('./bench/neo4jgraphql/node_modules/@neo4j/graphql/package.json').version").Output(); err == nil {
		parts = append(parts, "@neo4j/graphql "+strings.TrimSpace(string(out)))
	}
	return strings.Join(parts, "; ")
}

// writeResults writes the report: per query and concurrency, requests per
// second and p50/p99 for each server, and the ratios.
func writeResults(path string, rows []row, scale, command string, duration, warmup time.Duration, versions string) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# casusnet next to @neo4j/graphql and the floor\n\n")
	fmt.Fprintf(&b, "Rewritten by every run of `%s` (%s).\n\n", command, time.Now().UTC().Format(time.RFC3339))
	fmt.Fprintf(&b, "- Machine and versions: %s.\n", versions)
	fmt.Fprintf(&b, "- Data: the synthetic region, %s (`casusnet seed --synthetic`, seed 1), on one Neo4j shared by all three.\n", scale)
	fmt.Fprintf(&b, "- Each cell: closed-loop workers for %v after a %v warm-up, each server in turn; the load generator runs on the same cores.\n", duration, warmup)
	fmt.Fprintf(&b, "- casusnet runs as deployed: a coordinator's bearer token, every request checked against the caller's scope and written to the access log (committed before the answer). "+
		"@neo4j/graphql runs without authentication or logging. The floor is the hand-written Cypher of each query (cmd/benchgql/queries.go) through neo4j-go-driver, one query per request.\n")
	fmt.Fprintf(&b, "- Before timing, queries 1 to 3 were run on all three for five arguments each and gave the same data (ids, names, order).\n\n")
	fmt.Fprintf(&b, "| query | conc. | casusnet req/s | p50 | p99 | @neo4j/graphql req/s | p50 | p99 | floor req/s | p50 | p99 | casusnet / library req/s | casusnet / floor p50 |\n")
	fmt.Fprintf(&b, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range rows {
		c, l, f := r.results[0], r.results[1], r.results[2]
		cell := func(x result) string {
			s := fmt.Sprintf("%.0f | %s | %s", x.rps, load.Ms(x.p50), load.Ms(x.p99))
			if x.errors > 0 {
				s = fmt.Sprintf("%.0f (%d errors) | %s | %s", x.rps, x.errors, load.Ms(x.p50), load.Ms(x.p99))
			}
			return s
		}
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %.2f× | %.2f |\n", r.query, r.concurrency, cell(c), cell(l), cell(f),
			c.rps/max(l.rps, 1e-9), float64(c.p50)/max(float64(f.p50), 1))
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}
