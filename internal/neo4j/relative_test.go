package neo4j_test

import (
	"slices"
	"testing"

	"casusnet/internal/casus"
	"casusnet/internal/demo"
	"casusnet/internal/neo4j"
	"casusnet/internal/neo4j/neo4jtest"
)

func TestRelativesAreSeenFromEachSide(t *testing.T) {
	db := neo4jtest.Open(t)
	people(t, db)
	svc := neo4j.NewServices(db)
	ctx := testContext(t)

	relatives := func(ids ...string) [][]casus.Relative {
		t.Helper()
		rs, err := svc.RelativeService.RelativesOf(ctx, ids)
		if err != nil {
			t.Fatalf("RelativesOf: %v", err)
		}
		if len(rs) != len(ids) {
			t.Fatalf("RelativesOf(%v) gave %d lists", ids, len(rs))
		}
		return rs
	}
	has := func(rs []casus.Relative, want ...casus.Relative) bool {
		if len(rs) != len(want) {
			return false
		}
		for _, w := range want {
			if !slices.Contains(rs, w) {
				return false
			}
		}
		return true
	}
	edges := func() int64 {
		t.Helper()
		return countOf(t, "MATCH ()-[r:RELATIVE]->() RETURN count(r)")
	}

	// Seeded: p-2 is PARENT of p-1.
	rs := relatives("p-1", "p-2", "p-3", "p-404")
	if !has(rs[0], casus.Relative{Kind: casus.KindParent, RelativeID: "p-2"}) ||
		!has(rs[1], casus.Relative{Kind: casus.KindChild, RelativeID: "p-1"}) || len(rs[2]) != 0 || len(rs[3]) != 0 {
		t.Fatalf("seeded relatives = %v", rs)
	}

	// p-3 is p-1's sibling: stored as (p-3)-[:RELATIVE {kind: SIBLING}]->(p-1).
	p, err := svc.RelativeService.RelatePersons(ctx, casus.RelateInput{PersonID: "p-1", RelativeID: "p-3", Kind: casus.KindSibling})
	if err != nil {
		t.Fatalf("RelatePersons: %v", err)
	}
	if p.ID != "p-1" || p.LastName != "Testpersoon" {
		t.Errorf("RelatePersons returned %+v, want p-1", p)
	}
	if n := countOf(t, "MATCH (:Person {id: 'p-3'})-[r:RELATIVE {kind: 'SIBLING'}]->(:Person {id: 'p-1'}) RETURN count(r)"); n != 1 {
		t.Fatalf("stored sibling edges = %d, want 1 from the relative to the person", n)
	}
	rs = relatives("p-1", "p-3")
	if !has(rs[0], casus.Relative{Kind: casus.KindParent, RelativeID: "p-2"}, casus.Relative{Kind: casus.KindSibling, RelativeID: "p-3"}) ||
		!has(rs[1], casus.Relative{Kind: casus.KindSibling, RelativeID: "p-1"}) {
		t.Fatalf("after relating a sibling = %v", rs)
	}

	// Recording the tie again from the other side replaces the seeded one:
	// now p-2 is p-1's CHILD, so p-1 is p-2's PARENT.
	if _, err := svc.RelativeService.RelatePersons(ctx, casus.RelateInput{PersonID: "p-1", RelativeID: "p-2", Kind: casus.KindChild}); err != nil {
		t.Fatal(err)
	}
	if n := countOf(t, "MATCH (:Person {id: 'p-1'})-[r:RELATIVE]-(:Person {id: 'p-2'}) RETURN count(r)"); n != 1 {
		t.Fatalf("ties between p-1 and p-2 = %d, want 1", n)
	}
	if n := countOf(t, "MATCH (:Person {id: 'p-2'})-[r:RELATIVE {kind: 'CHILD'}]->(:Person {id: 'p-1'}) RETURN count(r)"); n != 1 {
		t.Fatal("the tie is not stored as (relative)-[:RELATIVE {kind: CHILD}]->(person)")
	}
	rs = relatives("p-1", "p-2")
	if !has(rs[0], casus.Relative{Kind: casus.KindChild, RelativeID: "p-2"}, casus.Relative{Kind: casus.KindSibling, RelativeID: "p-3"}) ||
		!has(rs[1], casus.Relative{Kind: casus.KindParent, RelativeID: "p-1"}) {
		t.Fatalf("after replacing = %v", rs)
	}
	// And once more the other way round: still one tie.
	if _, err := svc.RelativeService.RelatePersons(ctx, casus.RelateInput{PersonID: "p-2", RelativeID: "p-1", Kind: casus.KindPartner}); err != nil {
		t.Fatal(err)
	}
	rs = relatives("p-1", "p-2")
	if !has(rs[0], casus.Relative{Kind: casus.KindPartner, RelativeID: "p-2"}, casus.Relative{Kind: casus.KindSibling, RelativeID: "p-3"}) ||
		!has(rs[1], casus.Relative{Kind: casus.KindPartner, RelativeID: "p-1"}) || edges() != 2 {
		t.Fatalf("after relating as partners = %v, %d edges", rs, edges())
	}

	// Refused requests write nothing.
	before := edges()
	refused := []struct {
		name  string
		in    casus.RelateInput
		field string
	}{
		{"unknown kind", casus.RelateInput{PersonID: "p-1", RelativeID: "p-4", Kind: "COUSIN"}, "kind"},
		{"own relative", casus.RelateInput{PersonID: "p-1", RelativeID: "p-1", Kind: casus.KindOther}, "relative"},
		{"foreign or unknown person", casus.RelateInput{PersonID: "p-404", RelativeID: "p-4", Kind: casus.KindOther}, "person"},
		{"foreign or unknown relative", casus.RelateInput{PersonID: "p-1", RelativeID: "p-404", Kind: casus.KindOther}, "relative"},
	}
	for _, r := range refused {
		_, err := svc.RelativeService.RelatePersons(ctx, r.in)
		if want := refusedCode(r.name); casus.ErrorCode(err) != want || casus.ErrorField(err) != r.field {
			t.Errorf("%s: err = %v, want %s on %s", r.name, err, want, r.field)
		}
	}
	analyst := casus.WithActor(ctx, casus.Actor{ID: "u-analyst", Role: casus.RoleAnalyst})
	_, err = svc.RelativeService.RelatePersons(analyst, casus.RelateInput{PersonID: "p-1", RelativeID: "p-4", Kind: casus.KindOther})
	mustErr(t, err, casus.EFORBIDDEN, "")
	if n := edges(); n != before {
		t.Fatalf("refused requests changed the RELATIVE edges: %d, was %d", n, before)
	}
	if rs := relatives("p-4"); len(rs[0]) != 0 {
		t.Fatalf("p-4 got relatives %v", rs[0])
	}
}

func TestUnrelatePersons(t *testing.T) {
	db := neo4jtest.Open(t)
	people(t, db)
	// A tie recorded twice, once each way, as imported data may have it.
	if _, err := db.Seed(testContext(t), demo.Data{Relatives: []demo.Relative{
		{From: "p-4", To: "p-5", Kind: "SIBLING"}, {From: "p-5", To: "p-4", Kind: "SIBLING"},
	}}); err != nil {
		t.Fatal(err)
	}
	svc := neo4j.NewServices(db)
	ctx := testContext(t)

	p, err := svc.RelativeService.UnrelatePersons(ctx, "p-1", "p-2")
	if err != nil {
		t.Fatalf("UnrelatePersons: %v", err)
	}
	if p.ID != "p-1" {
		t.Errorf("returned %s, want p-1", p.ID)
	}
	if n := countOf(t, "MATCH (:Person {id: 'p-1'})-[r:RELATIVE]-(:Person {id: 'p-2'}) RETURN count(r)"); n != 0 {
		t.Fatalf("%d ties left", n)
	}
	_, err = svc.RelativeService.UnrelatePersons(ctx, "p-1", "p-2")
	mustErr(t, err, casus.ENOTFOUND, "")
	_, err = svc.RelativeService.UnrelatePersons(ctx, "p-1", "p-3") // a contact, not family
	mustErr(t, err, casus.ENOTFOUND, "")
	if n := countOf(t, "MATCH ()-[r:CONTACT]->() RETURN count(r)"); n != 1 {
		t.Fatalf("unrelating touched the contacts: %d", n)
	}

	// From either side, both directions go.
	if p, err = svc.RelativeService.UnrelatePersons(ctx, "p-5", "p-4"); err != nil || p.ID != "p-5" {
		t.Fatalf("UnrelatePersons both ways: %v, %+v", err, p)
	}
	if n := countOf(t, "MATCH ()-[r:RELATIVE]->() RETURN count(r)"); n != 0 {
		t.Fatalf("%d ties left", n)
	}
	rs, err := svc.RelativeService.RelativesOf(ctx, []string{"p-4", "p-5"})
	if err != nil || len(rs[0]) != 0 || len(rs[1]) != 0 {
		t.Fatalf("relatives after unrelating: %v %v", rs, err)
	}
}
