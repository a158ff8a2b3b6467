// Command benchnet measures the network queries and the person search on
// synthetic regions of growing size, through GraphQL and, as the floor, the
// same Cypher through the driver (the network or person service called in
// process, without HTTP, GraphQL or the access log), and prints a Markdown
// table; for the person search, its nodes are the persons found.
//
//	benchnet [--sizes 10000,100000,1000000] [--iterations 200] [--casusnet bin/casusnet]
//
// It loads the region into the Neo4j named by NEO4J_URI (make bench-network
// starts one of its own, so the development database is left alone), one
// size after the other, and starts casusnet serve on it.
package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"casusnet/internal/auth"
	"casusnet/internal/casus"
	"casusnet/internal/neo4j"
	"casusnet/internal/synthetic"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "benchnet:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("benchnet", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sizes := fs.String("sizes", "10000,100000,1000000", "numbers of synthetic persons")
	iterations := fs.Int("iterations", 200, "measured queries of each kind at each size")
	bin := fs.String("casusnet", "bin/casusnet", "the casusnet binary")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	var ns []int
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 100 {
			return fmt.Errorf("--sizes: %q", s)
		}
		ns = append(ns, n)
	}
	slices.Sort(ns)
	cfg := neo4j.Config{URI: getenv("NEO4J_URI"), User: "neo4j", Password: getenv("NEO4J_PASSWORD")}
	if cfg.URI == "" {
		cfg.URI = "bolt://127.0.0.1:7687"
	}
	if cfg.Password == "" {
		cfg.Password = "casusnet-dev"
	}
	db, err := neo4j.Open(cfg, zerolog.Nop())
	if err != nil {
		return err
	}
	defer db.Close(context.Background())
	if err := db.Migrate(ctx); err != nil {
		return err
	}

	addr, err := freeAddr()
	if err != nil {
		return err
	}
	srv := exec.CommandContext(ctx, *bin, "serve", "--addr", addr)
	srv.Env = append(os.Environ(), "NEO4J_URI="+cfg.URI, "NEO4J_PASSWORD="+cfg.Password, "CASUSNET_DEV=true", "CASUSNET_LOG_LEVEL=warn",
		"CASUSNET_USER_LIMIT=1000000/1000000", "CASUSNET_ADDRESS_LIMIT=1000000/1000000")
	srv.Stderr = stderr
	if err := srv.Start(); err != nil {
		return err
	}
	defer func() { _ = srv.Process.Signal(syscall.SIGTERM); _ = srv.Wait() }()
	if err := waitReady(ctx, "http://"+addr+"/readyz"); err != nil {
		return err
	}

	coordinator := casus.Actor{ID: "bench-analyst", Name: "Bench", Role: casus.RoleCoordinator}
	tok, err := auth.IssueDevToken([]byte(auth.DevSigningKey), auth.Identity{Actor: coordinator}, 4*time.Hour, time.Now())
	if err != nil {
		return err
	}
	svc := neo4j.NewNetworkService(db)
	persons := neo4j.NewPersonService(db)
	actx := casus.WithActor(ctx, coordinator)

	fmt.Fprintln(stdout, "| persons | query | floor p50 | floor p99 | GraphQL p50 | GraphQL p99 | overhead (p50) | nodes (median) |")
	fmt.Fprintln(stdout, "|---:|---|---:|---:|---:|---:|---:|---:|")
	loaded := 0
	for _, n := range ns {
		start := time.Now()
		i := 0
		for batch := range synthetic.Region(synthetic.Options{Seed: 1, Persons: n}) {
			if i += len(batch.Persons); i <= loaded {
				continue // loaded for a smaller size already
			}
			if _, err := db.Seed(ctx, batch); err != nil {
				return fmt.Errorf("load %d persons: %w", i, err)
			}
		}
		fmt.Fprintf(stderr, "%d persons loaded in %s\n", n, time.Since(start).Round(time.Second))
		loaded = n
		rng := rand.New(rand.NewPCG(uint64(n), 9))
		person := func() string { return synthetic.PersonID(rng.IntN(n)) }
		for _, q := range []struct {
			name  string
			floor func(a, b string) (int, error)
			gql   func(a, b string) string
		}{
			{"network(depth: 2)",
				func(a, _ string) (int, error) {
					g, err := svc.Network(actx, casus.NetworkQuery{From: []string{a}, Depth: 2, Purpose: benchPurpose})
					return nodes(g), err
				},
				func(a, _ string) string {
					return fmt.Sprintf(`{ network(from: [%q], depth: 2, question: "benchmark of the network analysis") { truncated nodes { id kind label redacted depth } edges { relation from to kind } } }`, gid("Person", a))
				}},
			{"network(depth: 3, limit: 500)",
				func(a, _ string) (int, error) {
					g, err := svc.Network(actx, casus.NetworkQuery{From: []string{a}, Depth: 3, Limit: 500, Purpose: benchPurpose})
					return nodes(g), err
				},
				func(a, _ string) string {
					return fmt.Sprintf(`{ network(from: [%q], depth: 3, limit: 500, question: "benchmark of the network analysis") { truncated nodes { id kind label redacted depth } edges { relation from to kind } } }`, gid("Person", a))
				}},
			{"persons(filter: {name}, first: 20)",
				func(a, _ string) (int, error) {
					first := 20
					pg, err := persons.Persons(actx, casus.PersonFilter{Name: prefixOf(a)}, casus.Page{First: &first, SkipTotal: true})
					if err != nil {
						return 0, err
					}
					return len(pg.Edges), nil
				},
				func(a, _ string) string {
					return fmt.Sprintf(`{ persons(first: 20, filter: {name: %q}) { edges { node { id firstName lastName } } } }`, prefixOf(a))
				}},
			{"shortestPaths(maxDepth: 6)",
				func(a, b string) (int, error) {
					_, g, err := svc.ShortestPaths(actx, a, b, 6, nil)
					return nodes(g), err
				},
				func(a, b string) string {
					return fmt.Sprintf(`{ shortestPaths(from: %q, to: %q, maxDepth: 6) { length paths } }`, gid("Person", a), gid("Person", b))
				}},
		} {
			var floor, viaGQL []time.Duration
			var sizes []int
			for k := -20; k < *iterations; k++ { // 20 to warm up
				a, b := person(), person()
				t0 := time.Now()
				size, err := q.floor(a, b)
				d1 := time.Since(t0)
				if err != nil {
					return fmt.Errorf("%s: %w", q.name, err)
				}
				t0 = time.Now()
				if err := post(ctx, "http://"+addr+"/graphql", tok, q.gql(a, b)); err != nil {
					return fmt.Errorf("%s through GraphQL: %w", q.name, err)
				}
				d2 := time.Since(t0)
				if k >= 0 {
					floor, viaGQL, sizes = append(floor, d1), append(viaGQL, d2), append(sizes, size)
				}
			}
			f50, f99 := pct(floor)
			g50, g99 := pct(viaGQL)
			slices.Sort(sizes)
			fmt.Fprintf(stdout, "| %d | %s | %s | %s | %s | %s | %+.0f%% | %d |\n", n, q.name, ms(f50), ms(f99), ms(g50), ms(g99),
				100*(float64(g50)/float64(f50)-1), sizes[len(sizes)/2])
		}
	}
	return nil
}

// namePrefixes are the name prefixes the person search looks for: those of
// make bench's person search, common and rare ones.
var namePrefixes = []string{"dek", "van", "ba", "jan", "me", "sm", "vi", "yi", "el", "mo"}

// prefixOf picks a name prefix for a randomly drawn person id, so that the
// floor and GraphQL search for the same one.
func prefixOf(id string) string {
	h := 0
	for _, c := range []byte(id) {
		h = h*31 + int(c)
	}
	return namePrefixes[(h%len(namePrefixes)+len(namePrefixes))%len(namePrefixes)]
}

func nodes(g *casus.NetworkGraph) int {
	if g == nil {
		return 0
	}
	return len(g.Nodes)
}

// gid is the API's global id of a key (kind:key, base64url without padding).
func gid(kind, key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + key))
}

func pct(ds []time.Duration) (p50, p99 time.Duration) {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2], s[len(s)*99/100]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

func post(ctx context.Context, url, tok, query string) error {
	body, _ := json.Marshal(map[string]any{"query": query})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var out struct{ Errors []json.RawMessage }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return err
	}
	if len(out.Errors) > 0 {
		return fmt.Errorf("%s", out.Errors[0])
	}
	return nil
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func waitReady(ctx context.Context, url string) error {
	for range 1200 {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s not ready", url)
}

// benchPurpose is the purpose the benchmark's analyses record: they start
// from random persons, most of whom are no subject of a case.
var benchPurpose = casus.AnalysisPurpose{Question: "benchmark of the network analysis"}
