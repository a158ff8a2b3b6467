package graph_test

import (
	"context"
	"testing"

	"casusnet/internal/casus"
)

// nopAudit is an access log that keeps nothing, to measure the log's cost.
type nopAudit struct{}

func (nopAudit) Append(context.Context, ...*casus.AuditEntry) error { return nil }
func (nopAudit) Entries(context.Context, casus.AuditFilter, casus.Page) (*casus.AuditPage, error) {
	return &casus.AuditPage{}, nil
}
func (nopAudit) Verify(context.Context) (int64, error) { return 0, nil }

// BenchmarkAccessLogCost reads one case with its subjects as a director,
// with the hash-chained access log and without it, in the same run:
//
//	go test -run '^$' -bench AccessLogCost -benchtime 3s ./graph/
func BenchmarkAccessLogCost(b *testing.B) {
	const q = `query($id: ID!) { case(id: $id) { reference subjects { fullName } director { name } } }`
	vars := map[string]any{"id": gid("Case", "case-a")}
	for _, bc := range []struct {
		name  string
		audit bool
	}{{"logged", true}, {"unlogged", false}} {
		b.Run(bc.name, func(b *testing.B) {
			a := newBenchAPI(b, bc.audit)
			director := a.as(actors["director A"])
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				director.must(q, vars, nil)
			}
		})
		b.Run(bc.name+"-parallel", func(b *testing.B) {
			a := newBenchAPI(b, bc.audit)
			director := a.as(actors["director A"])
			b.ResetTimer()
			b.SetParallelism(8)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					director.must(q, vars, nil)
				}
			})
		})
	}
}
