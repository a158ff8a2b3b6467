package graph_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"casusnet/internal/casus"
)

// nopAudit is an access log that keeps nothing, to measure the log's cost.
type nopAudit struct{}

func (nopAudit) Append(context.Context, ...*casus.AuditEntry) error { return nil }
func (nopAudit) Entries(context.Context, casus.AuditFilter, casus.Page) (*casus.AuditPage, error) {
	return &casus.AuditPage{}, nil
}
func (nopAudit) Verify(context.Context) (int64, error)     { return 0, nil }
func (nopAudit) CheckChain(context.Context) (int64, error) { return 0, nil }

// BenchmarkAccessLogCost reads one case with its subjects as a director,
// with the hash-chained access log and without it, in the same run:
//
//	go test -run '^$' -bench AccessLogCost -benchtime 3s ./graph/
func BenchmarkAccessLogCost(b *testing.B) {
	const q = `query($id: ID!) { case(id: $id) { reference subjects { fullName } director { name } } }`
	vars := map[string]any{"id": gid("Case", "case-a")}
	// warm serves the API as director A, sends the query once (on a
	// cold server that compiles the statements: seconds, which would
	// leave the serial case at one iteration) and starts the clock.
	warm := func(b *testing.B, logged bool) *api {
		director := newBenchAPI(b, logged).as(actors["director A"])
		director.must(q, vars, nil)
		b.ResetTimer()
		return director
	}
	for _, bc := range []struct {
		name  string
		audit bool
	}{{"logged", true}, {"unlogged", false}} {
		b.Run(bc.name, func(b *testing.B) {
			director := warm(b, bc.audit)
			for i := 0; i < b.N; i++ {
				director.must(q, vars, nil)
			}
		})
		b.Run(bc.name+"-parallel", func(b *testing.B) {
			director := warm(b, bc.audit)
			b.SetParallelism(8)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					director.must(q, vars, nil)
				}
			})
		})
	}
}

// BenchmarkHotPaths runs the benchmark queries of make bench through the
// whole server (token, limits, resolvers, loaders, scope predicates, access
// log) on the access region, as a coordinator (no scope predicate) and as a
// director (scope predicates on every read), for benchstat:
//
//	make bench-go   (go test -run '^$' -bench HotPaths -count 6 ./graph/ | tee new.txt; benchstat old.txt new.txt)
func BenchmarkHotPaths(b *testing.B) {
	queries := []struct {
		name, query string
		vars        map[string]any
	}{
		{"cases-page", `{ cases(first: 20, orderBy: OPENED_AT_DESC) { edges { node { id reference municipality { code name }
			director { id name } subjects { id fullName } interventions { id status offering { name provider { name } } } } } } }`, nil},
		{"case-two-hops", `query($id: ID!) { case(id: $id) { id subjects { id fullName relatives { person { id fullName } }
			contacts { from { id fullName } to { id fullName } } } } }`, map[string]any{"id": gid("Case", "case-a")}},
		{"person-prefix", `{ persons(first: 20, filter: {name: "a"}) { edges { node { id fullName } } } }`, nil},
	}
	a := newBenchAPI(b, true)
	for _, who := range []string{"coordinator", "director A"} {
		caller := a.as(actors[who])
		if who == "coordinator" {
			caller = a.as(coordinator)
		}
		for _, q := range queries {
			b.Run(q.name+"/"+strings.ReplaceAll(who, " ", "-"), func(b *testing.B) {
				for b.Loop() {
					caller.must(q.query, q.vars, nil)
				}
			})
		}
	}
	b.Run("submit-signal/coordinator", func(b *testing.B) {
		caller := a.as(coordinator)
		n := 0
		for b.Loop() {
			n++
			caller.must(`mutation($in: SubmitSignalInput!) { submitSignal(input: $in) { signal { id } } }`, map[string]any{"in": map[string]any{
				"municipality": "GM0358", "description": "bench", "idempotencyKey": fmt.Sprintf("hot-%d-%d", time.Now().UnixNano(), n)}}, nil)
		}
	})
}
