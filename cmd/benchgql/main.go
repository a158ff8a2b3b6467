// Command benchgql measures casusnet next to the Neo4j GraphQL Library
// (@neo4j/graphql, bench/neo4jgraphql) and the floor (the same work as
// hand-written Cypher through neo4j-go-driver), on the same Neo4j and the
// same graph, and writes bench/RESULTS.md.
//
//	benchgql --casusnet URL --neo4jgraphql URL [--concurrency 1,16,64] [--duration 30s] [--warmup 5s]
//
// For each query and concurrency it runs each server in turn: a warm-up,
// then closed-loop workers for the duration, and reports requests per
// second and p50/p99 latency. Before timing, it checks that the three
// return the same data for queries 1 to 3. make bench starts everything.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"casusnet/internal/casus"
	"casusnet/internal/load"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "benchgql:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("benchgql", flag.ContinueOnError)
	fs.SetOutput(stderr)
	casusnetURL := fs.String("casusnet", "", "casusnet's GraphQL endpoint")
	libraryURL := fs.String("neo4jgraphql", "", "the @neo4j/graphql server's GraphQL endpoint")
	levels := fs.String("concurrency", "1,16,64", "concurrency levels")
	duration := fs.Duration("duration", 30*time.Second, "measured time per query, concurrency and server")
	warmup := fs.Duration("warmup", 5*time.Second, "warm-up before each measurement")
	out := fs.String("out", "bench/RESULTS.md", "the report")
	scale := fs.String("scale", "10k persons, 1k cases", "the data set, for the report")
	command := fs.String("command", "make bench", "the command that reproduces the run, for the report")
	only := fs.String("only", "", "measure only these targets (casusnet, @neo4j/graphql, floor; comma-separated) and queries 1-4 (--queries), print and write no report: for profiling")
	onlyQueries := fs.String("queries", "1,2,3,4", "with --only, the queries to measure")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	var conc []int
	for _, s := range strings.Split(*levels, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return fmt.Errorf("--concurrency: %q", s)
		}
		conc = append(conc, n)
	}
	if *only == "" && (*casusnetURL == "" || *libraryURL == "") {
		return errors.New("--casusnet and --neo4jgraphql are required")
	}
	password := getenv("NEO4J_PASSWORD")
	if password == "" {
		password = "casusnet-dev"
	}
	drv, err := neo4j.NewDriverWithContext(getenv("NEO4J_URI"), neo4j.BasicAuth("neo4j", password, ""),
		func(c *neo4j.Config) { c.MaxConnectionPoolSize = 128 })
	if err != nil {
		return err
	}
	defer drv.Close(ctx)
	httpc := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256}}
	b := &bench{
		casusnet: &load.Client{URL: *casusnetURL, HTTP: httpc, Token: load.Token(casus.Actor{ID: "bench-coordinator", Name: "Bench", Role: casus.RoleCoordinator})},
		library:  &load.Client{URL: *libraryURL, HTTP: httpc},
		driver:   drv,
		run:      strconv.FormatInt(time.Now().UnixNano(), 36),
	}
	if err := b.prepare(ctx); err != nil {
		return err
	}
	if *only == "" {
		if err := b.check(ctx, stderr); err != nil {
			return err
		}
	}
	var rows []row
	for n, q := range queries {
		if *only != "" && !slices.Contains(strings.Split(*onlyQueries, ","), strconv.Itoa(n+1)) {
			continue
		}
		for _, c := range conc {
			r := row{query: q.name, concurrency: c}
			for i, t := range b.targets() {
				if *only != "" && !slices.Contains(strings.Split(*only, ","), t.name) {
					continue
				}
				fmt.Fprintf(stderr, "benchgql: %s, concurrency %d, %s\n", q.name, c, t.name)
				r.results[i] = measure(ctx, t, q, c, *warmup, *duration)
				fmt.Fprintf(stderr, "benchgql:   %.0f req/s, p50 %s, p99 %s, errors %d\n", r.results[i].rps, load.Ms(r.results[i].p50), load.Ms(r.results[i].p99), r.results[i].errors)
			}
			rows = append(rows, r)
		}
	}
	if *only != "" {
		return nil
	}
	return writeResults(*out, rows, *scale, *command, *duration, *warmup, b.versions(ctx))
}

// bench holds the three ways to do the work and the ids the work is on.
type bench struct {
	casusnet, library *load.Client
	driver            neo4j.DriverWithContext
	caseIDs           []string // raw ids of cases with subjects
	personIDs         []string // raw ids of persons signals are about
	prefixes          []string
	signals           atomic.Int64
	run               string // names this run in idempotency keys, so that a rerun on the same data writes anew
}

// ids returns the ids a query finds, or an error when it finds none.
func (b *bench) ids(ctx context.Context, what, cypher string) ([]string, error) {
	res, err := neo4j.ExecuteQuery(ctx, b.driver, cypher, nil, neo4j.EagerResultTransformer)
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", what, err)
	}
	var out []string
	for _, r := range res.Records {
		id, _ := r.Get("id")
		out = append(out, id.(string))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no %s: seed a synthetic region first", what)
	}
	return out, nil
}

// person returns the n-th person a signal is about.
func (b *bench) person(n int64) string { return b.personIDs[int(n)%len(b.personIDs)] }

// target is one server doing one query, returning its answer normalised
// for comparison.
type target struct {
	name string
	do   func(ctx context.Context, q query, i int) (any, error)
}

func (b *bench) targets() []target {
	return []target{
		{"casusnet", func(ctx context.Context, q query, i int) (any, error) { return q.casusnet(ctx, b, i) }},
		{"@neo4j/graphql", func(ctx context.Context, q query, i int) (any, error) { return q.library(ctx, b, i) }},
		{"floor", func(ctx context.Context, q query, i int) (any, error) { return q.floor(ctx, b, i) }},
	}
}

// prepare finds the cases, persons and name prefixes the queries use.
func (b *bench) prepare(ctx context.Context) error {
	var err error
	if b.caseIDs, err = b.ids(ctx, "cases", `MATCH (c:Case) WHERE EXISTS { (c)-[:CONCERNS]->(:Person) } RETURN c.id AS id ORDER BY id LIMIT 200`); err != nil {
		return err
	}
	if b.personIDs, err = b.ids(ctx, "persons", `MATCH (p:Person) RETURN p.id AS id ORDER BY id LIMIT 1000`); err != nil {
		return err
	}
	// Prefixes that begin no later word of a synthetic name ("den" in "van
	// den Berg", "dijk" in "van Dijk"): casusnet matches the start of every
	// word of a name, the library the start of the first or last name, and
	// for these both answer alike.
	b.prefixes = []string{"dek", "van", "ba", "jan", "me", "sm", "vi", "yi", "el", "mo"}
	return nil
}

// check runs queries 1 to 3 on every target for a few arguments and
// compares the answers.
func (b *bench) check(ctx context.Context, log io.Writer) error {
	for _, q := range queries {
		if q.write {
			continue
		}
		for i := range 5 {
			var first any
			for j, t := range b.targets() {
				got, err := t.do(ctx, q, i)
				if err != nil {
					return fmt.Errorf("check %s on %s: %w", q.name, t.name, err)
				}
				if j == 0 {
					first = got
					continue
				}
				if !reflect.DeepEqual(first, got) {
					a, _ := json.Marshal(first)
					c, _ := json.Marshal(got)
					return fmt.Errorf("check %s #%d: %s answers differently from casusnet:\ncasusnet: %.2000s\n%s: %.2000s", q.name, i, t.name, a, t.name, c)
				}
			}
		}
		fmt.Fprintf(log, "benchgql: %s: the three answer the same\n", q.name)
	}
	return nil
}

// result is one target's figures for one query and concurrency.
type result struct {
	rps      float64
	p50, p99 time.Duration
	requests int
	errors   int
}

type row struct {
	query       string
	concurrency int
	results     [3]result
}

// measure runs q with c closed-loop workers: warm-up, then duration.
func measure(ctx context.Context, t target, q query, c int, warmup, duration time.Duration) result {
	var n atomic.Int64
	work := func(until time.Time, record bool) ([]time.Duration, int) {
		var mu sync.Mutex
		var lat []time.Duration
		failed := 0
		var wg sync.WaitGroup
		for range c {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var mine []time.Duration
				bad := 0
				for time.Now().Before(until) && ctx.Err() == nil {
					start := time.Now()
					_, err := t.do(ctx, q, int(n.Add(1)))
					mine = append(mine, time.Since(start))
					if err != nil {
						bad++
					}
				}
				if record {
					mu.Lock()
					lat = append(lat, mine...)
					failed += bad
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		return lat, failed
	}
	work(time.Now().Add(warmup), false)
	start := time.Now()
	lat, failed := work(start.Add(duration), true)
	elapsed := time.Since(start)
	return result{rps: float64(len(lat)) / elapsed.Seconds(), p50: load.Percentile(lat, 50), p99: load.Percentile(lat, 99), requests: len(lat), errors: failed}
}
