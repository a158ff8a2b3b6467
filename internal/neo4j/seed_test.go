package neo4j_test

import (
	"testing"

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
	svc := neo4j.NewCaseService(db)
	in := validInput()
	in.SubjectIDs = []string{"p-39"}
	c, err := svc.OpenCase(ctx, in)
	if err != nil {
		t.Fatalf("open a case after seeding: %v", err)
	}
	if n := neo4jtest.Count(t, "MATCH (c:Case {reference: $ref}) RETURN count(c)", map[string]any{"ref": c.Reference}); n != 1 {
		t.Fatalf("reference %s is used %d times", c.Reference, n)
	}
}
