package neo4j_test

import (
	"context"
	"fmt"
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
	log, ctx := runningAuditLog(b)
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

// BenchmarkAuditSubjects is what logging per data subject costs an entry of
// a network query that returned 300 persons: the entry as before (300
// person objects), and the same with the 300 pseudonyms computed and stored,
// side by side in one run:
//
//	go test -run '^$' -bench AuditSubjects -count 6 ./internal/neo4j/
func BenchmarkAuditSubjects(b *testing.B) {
	log, ctx := runningAuditLog(b)
	persons := make([]string, 300)
	objects := make([]string, 300)
	for i := range persons {
		persons[i] = fmt.Sprintf("p-%04d", i)
		objects[i] = "Person:" + persons[i]
	}
	key := []byte("bench-key")
	entry := func(subjects bool) *casus.AuditEntry {
		e := &casus.AuditEntry{At: time.Now().UTC(), UserID: "u-bench", Role: casus.RoleAnalyst, Action: casus.AuditRead,
			Outcome: casus.OutcomeSuccess, Operation: "query Network", Objects: objects, Activities: []string{casus.ActivityNetwork}}
		if subjects {
			e.Subjects = make([]string, len(persons))
			for i, p := range persons {
				e.Subjects[i] = casus.SubjectPseudonym(key, p)
			}
		}
		return e
	}
	for _, subjects := range []bool{false, true} {
		b.Run(map[bool]string{false: "objects-only", true: "with-300-subjects"}[subjects], func(b *testing.B) {
			for b.Loop() {
				if err := log.Append(ctx, entry(subjects)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// runningAuditLog returns an access log on a fresh test database whose
// writer runs until the test or benchmark ends, and the context to append
// with.
func runningAuditLog(b testing.TB) (*neo4j.AuditLog, context.Context) {
	db := neo4jtest.Open(b)
	log := neo4j.NewAuditLog(db)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); log.Run(ctx) }()
	b.Cleanup(func() { cancel(); <-done })
	return log, ctx
}
