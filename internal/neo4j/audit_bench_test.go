package neo4j_test

import (
	"context"
	"testing"
	"time"

	"casusnet/internal/casus"
	"casusnet/internal/neo4j"
	"casusnet/internal/neo4j/neo4jtest"
)

// BenchmarkAuditAppend appends one access log entry per operation, alone
// and from 16 goroutines at once (which group commit serves with one
// transaction per batch):
//
//	go test -run '^$' -bench AuditAppend -count 6 ./internal/neo4j/
func BenchmarkAuditAppend(b *testing.B) {
	db := neo4jtest.Open(b)
	log := neo4j.NewAuditLog(db)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); log.Run(ctx) }()
	defer func() { cancel(); <-done }()
	entry := func() *casus.AuditEntry {
		return &casus.AuditEntry{At: time.Now().UTC(), UserID: "u-bench", Role: casus.RoleDirector, Action: casus.AuditRead,
			Outcome: casus.OutcomeSuccess, Operation: "query case", Objects: []string{"Case:case-a", "Person:p-a"}, Purpose: []string{"case-a"}}
	}
	b.Run("serial", func(b *testing.B) {
		for b.Loop() {
			if err := log.Append(ctx, entry()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parallel-16", func(b *testing.B) {
		b.SetParallelism(8) // 2 cores × 8
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := log.Append(ctx, entry()); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}
