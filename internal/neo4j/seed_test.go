package neo4j_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"casusnet/internal/casus"
	"casusnet/internal/demo"
	"casusnet/internal/neo4j"
	"casusnet/internal/neo4j/neo4jtest"
)

func discard() zerolog.Logger { return zerolog.Nop() }

func TestSeedDemoIsIdempotentAndComplete(t *testing.T) {
	db := neo4jtest.Open(t)
	ctx := testContext(t)
	if _, err := db.Seed(ctx, demo.Region()); err != nil {
		t.Fatalf("seed: %v", err)
	}
	census := func() map[string]int64 {
		out := map[string]int64{}
		for _, q := range []string{
			"MATCH (n) RETURN count(n)",
			"MATCH ()-[r]->() RETURN count(r)",
			"MATCH (e:CaseEvent) RETURN count(e)",
		} {
			out[q] = neo4jtest.Count(t, q, nil)
		}
		return out
	}
	first := census()
	if _, err := db.Seed(ctx, demo.Region()); err != nil {
		t.Fatalf("seed again: %v", err)
	}
	if again := census(); len(again) != len(first) || again["MATCH (n) RETURN count(n)"] != first["MATCH (n) RETURN count(n)"] ||
		again["MATCH ()-[r]->() RETURN count(r)"] != first["MATCH ()-[r]->() RETURN count(r)"] ||
		again["MATCH (e:CaseEvent) RETURN count(e)"] != first["MATCH (e:CaseEvent) RETURN count(e)"] {
		t.Fatalf("seeding twice changed the graph: %v then %v", first, again)
	}

	for _, p := range casus.Phases {
		if n := neo4jtest.Count(t, "MATCH (c:Case {phase: $p}) RETURN count(c)", map[string]any{"p": string(p)}); n == 0 {
			t.Errorf("no demo case in phase %s", p)
		}
	}
	for _, o := range casus.WeighingOutcomes {
		if n := neo4jtest.Count(t, "MATCH (w:Weighing {outcome: $o}) RETURN count(w)", map[string]any{"o": string(o)}); n == 0 {
			t.Errorf("no demo weighing with outcome %s", o)
		}
	}
	for _, s := range casus.ActionStatuses {
		if n := neo4jtest.Count(t, "MATCH (a:PlanAction {status: $s}) RETURN count(a)", map[string]any{"s": string(s)}); n == 0 {
			t.Errorf("no demo action %s", s)
		}
	}
	for _, g := range casus.RiskGroups {
		if n := neo4jtest.Count(t, "MATCH (c:Case) WHERE $g IN c.riskGroups RETURN count(c)", map[string]any{"g": string(g)}); n == 0 {
			t.Errorf("no demo case in risk group %s", g)
		}
	}
	for _, q := range []string{
		"MATCH (:Person)-[r:RELATIVE]->(:Person) RETURN count(r)",
		"MATCH (:Person)-[r:CONTACT {network: 'FORMAL'}]->(:Person) RETURN count(r)",
		"MATCH (:Person)-[r:CONTACT {network: 'INFORMAL'}]->(:Person) RETURN count(r)",
		"MATCH (:Case)-[:HAS]->(i:Intervention)-[:OF]->(:InterventionOffering)<-[:OFFERS]-(:Organisation) RETURN count(i)",
		"MATCH (:Signal)-[r:LED_TO]->(:Case) RETURN count(r)",
		"MATCH (:Director)-[r:DIRECTS]->(:Case) RETURN count(r)",
		// The work inside the phases.
		"MATCH (k:Conference {held: true})-[:INVITES {attended: true}]->(:Organisation) RETURN count(k)",
		"MATCH (k:Conference {held: false})-[:HAS_ITEM]->(:AgendaItem) RETURN count(k)",
		"MATCH (:Conference)-[:DECIDED]->(d:Decision) RETURN count(d)",
		"MATCH (:Conference)<-[:DECIDED_AT]-(a:PlanAction) RETURN count(a)",
		"MATCH (:Goal)<-[:SERVES]-(i:Intervention) RETURN count(i)",
		"MATCH (:Case)-[:HAS_ASSESSMENT]->(a:RiskAssessment) RETURN count(a)",
		"MATCH (c:Case {informed: false}) WHERE c.reconsiderOn IS NOT NULL RETURN count(c)",
		"MATCH (c:Case {informed: true}) RETURN count(c)",
		"MATCH (g:Goal) WHERE g.progressAt < datetime() - duration({days: 42}) AND EXISTS { (g)-[:HAS_ACTION]->(:PlanAction {status: 'OPEN'}) } RETURN count(g)",
		"MATCH (a:PlanAction {status: 'OPEN'}) WHERE a.due < date() RETURN count(a)",
	} {
		if neo4jtest.Count(t, q, nil) == 0 {
			t.Errorf("demo data has nothing for %s", q)
		}
	}
	// Every case has exactly one municipality, and its events are a gapless sequence.
	if n := neo4jtest.Count(t, "MATCH (c:Case) WHERE COUNT { (c)-[:IN]->(:Municipality) } <> 1 RETURN count(c)", nil); n != 0 {
		t.Errorf("%d cases without exactly one municipality", n)
	}
	events := neo4jtest.Count(t, "MATCH (e:CaseEvent) RETURN count(e)", nil)
	if top := neo4jtest.Count(t, "MATCH (e:CaseEvent) RETURN max(e.seq)", nil); top != events {
		t.Errorf("event sequence tops at %d with %d events: not gapless", top, events)
	}

	// A case opened after seeding does not collide with the seeded references.
	svc := neo4j.NewServices(db)
	in := validInput()
	in.SubjectIDs = []string{"p-39"}
	c, err := svc.CaseService.OpenCase(ctx, in)
	if err != nil {
		t.Fatalf("open a case after seeding: %v", err)
	}
	if n := neo4jtest.Count(t, "MATCH (c:Case {reference: $ref}) RETURN count(c)", map[string]any{"ref": c.Reference}); n != 1 {
		t.Fatalf("reference %s is used %d times", c.Reference, n)
	}
}

// TestAccessLogChain appends entries from concurrent callers, verifies the
// chain, then edits, removes and inserts entries behind the log's back and
// checks that Verify names each.
func TestAccessLogChain(t *testing.T) {
	log, ctx := runningAuditLog(t)

	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			err := log.Append(ctx, &casus.AuditEntry{At: time.Now(), Action: casus.AuditRead, Outcome: casus.OutcomeSuccess,
				UserID: fmt.Sprintf("u-%d", i), Role: casus.RoleDirector, Objects: []string{"Person:p-1"}, Purpose: []string{"case-1"}})
			if err != nil {
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	n, err := log.Verify(ctx)
	if err != nil || n != 20 {
		t.Fatalf("verify = %d, %v; want 20 intact entries", n, err)
	}

	tamper := func(cypher string) {
		t.Helper()
		if _, err := neo4jtest.Exec(t, cypher); err != nil {
			t.Fatal(err)
		}
	}
	brokenAt := func(want int64, reason string) {
		t.Helper()
		_, err := log.Verify(ctx)
		var b *casus.ChainBreak
		if !errors.As(err, &b) || b.Seq != want || !strings.Contains(b.Reason, reason) {
			t.Fatalf("verify = %v, want a break at %d (%s)", err, want, reason)
		}
	}
	tamper("MATCH (a:AuditEntry {seq: 7}) SET a.userId = 'someone-else'")
	brokenAt(7, "edited")
	tamper("MATCH (a:AuditEntry {seq: 7}) SET a.userId = 'u-x'") // still edited
	brokenAt(7, "edited")
	tamper("MATCH (a:AuditEntry) WHERE a.seq >= 7 DETACH DELETE a") // the edited one and all after: tail removed
	brokenAt(7, "removed")
	if err := log.Append(ctx, &casus.AuditEntry{At: time.Now(), Action: casus.AuditRead, Outcome: casus.OutcomeSuccess}); err != nil {
		t.Fatal(err)
	}
	// Rebuild an intact log, then remove one in the middle.
	neo4jtest.Reset(t)
	for i := 0; i < 5; i++ {
		if err := log.Append(ctx, &casus.AuditEntry{At: time.Now(), Action: casus.AuditRead, Outcome: casus.OutcomeSuccess}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := log.Verify(ctx); err != nil {
		t.Fatalf("fresh log: %v", err)
	}
	tamper("MATCH (a:AuditEntry {seq: 3}) DETACH DELETE a")
	brokenAt(4, "removed")
	// Put a forged entry 3 in its place: well-formed and hashed, but not
	// following entry 2.
	tamper(`MATCH (b:AuditEntry {seq: 2}) WITH properties(b) AS p CREATE (a:AuditEntry) SET a = p {.*, seq: 3, id: 'forged'}`)
	brokenAt(3, "")
}

// TestAccessLogTwoInstances appends through two logs on one database, as two
// server instances do, in turns and at once: each must notice the entries
// the other wrote after its own last ones, and the chain must hold them all.
func TestAccessLogTwoInstances(t *testing.T) {
	db := neo4jtest.Open(t)
	ctx := testContext(t)
	runCtx, stop := context.WithCancel(ctx)
	var running sync.WaitGroup
	defer func() { stop(); running.Wait() }()
	logs := []*neo4j.AuditLog{neo4j.NewAuditLog(db), neo4j.NewAuditLog(db)}
	for _, l := range logs {
		running.Add(1)
		go func() { defer running.Done(); l.Run(runCtx) }()
	}
	entry := func(i int) *casus.AuditEntry {
		return &casus.AuditEntry{At: time.Now(), Action: casus.AuditRead, Outcome: casus.OutcomeSuccess, UserID: fmt.Sprintf("u-%d", i)}
	}
	for i := 0; i < 6; i++ { // in turns: every append after the first finds the head moved by the other
		if err := logs[i%2].Append(ctx, entry(i)); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := logs[i%2].Append(ctx, entry(i)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	n, err := logs[0].Verify(ctx)
	if err != nil || n != 46 {
		t.Fatalf("verify = %d, %v; want 46 intact entries", n, err)
	}
}

// TestAccessLogStopped checks that an append after the log stopped fails at
// once instead of waiting forever.
func TestAccessLogStopped(t *testing.T) {
	db := neo4jtest.Open(t)
	log := neo4j.NewAuditLog(db)
	runCtx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); log.Run(runCtx) }()
	stop()
	<-done
	errc := make(chan error, 1)
	go func() {
		errc <- log.Append(context.Background(), &casus.AuditEntry{At: time.Now(), Action: casus.AuditRead, Outcome: casus.OutcomeSuccess, UserID: "u"})
	}()
	select {
	case err := <-errc:
		if err == nil {
			t.Fatal("append after stop succeeded without a writer")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("append after stop is still waiting")
	}
}
