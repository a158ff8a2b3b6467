package neo4j_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"casusnet/internal/casus"
	"casusnet/internal/neo4j"
	"casusnet/internal/neo4j/neo4jtest"
)

func TestGroups(t *testing.T) {
	db := neo4jtest.Open(t)
	people(t, db)
	svc := neo4j.NewServices(db)
	ctx := testContext(t)
	sorted := func(s []string) string { return strings.Join(slices.Sorted(slices.Values(s)), ",") }

	g, err := svc.GroupService.CreateGroup(ctx, casus.CreateGroupInput{Name: " Schoolvrienden ", MemberIDs: []string{"p-1", "p-3", "p-3"}, IdempotencyKey: "group-1"})
	if err != nil {
		t.Fatalf("CreateGroup: %v", err)
	}
	if _, err := uuid.Parse(g.ID); err != nil || g.Name != "Schoolvrienden" || sorted(g.MemberIDs) != "p-1,p-3" {
		t.Fatalf("created %+v", g)
	}
	again, err := svc.GroupService.CreateGroup(ctx, casus.CreateGroupInput{Name: "Schoolvrienden", MemberIDs: []string{"p-1", "p-3"}, IdempotencyKey: "group-1"})
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != g.ID || countOf(t, "MATCH (g:Group) RETURN count(g)") != 2 ||
		countOf(t, "MATCH (:Person)-[r:IN_GROUP]->(:Group {name: 'Schoolvrienden'}) RETURN count(r)") != 2 {
		t.Fatalf("retry created %s, want the first group %s and no more members", again.ID, g.ID)
	}

	got, err := svc.GroupService.Group(ctx, g.ID)
	if err != nil || got.Name != "Schoolvrienden" || sorted(got.MemberIDs) != "p-1,p-3" {
		t.Fatalf("Group = %+v, %v", got, err)
	}
	_, err = svc.GroupService.Group(ctx, "g-404")
	mustErr(t, err, casus.ENOTFOUND, "")
	gs, err := svc.GroupService.GroupsByID(ctx, []string{"g-1", "g-404", g.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(gs) != 3 || gs[0] == nil || gs[0].Name != "Vriendengroep" || sorted(gs[0].MemberIDs) != "p-1,p-2" || gs[1] != nil ||
		gs[2] == nil || gs[2].ID != g.ID {
		t.Fatalf("GroupsByID = %v", gs)
	}
	of, err := svc.GroupService.GroupsOf(ctx, []string{"p-1", "p-2", "p-3", "p-4"})
	if err != nil {
		t.Fatal(err)
	}
	names := func(gs []*casus.Group) string {
		var out []string
		for _, g := range gs {
			out = append(out, g.Name)
		}
		return sorted(out)
	}
	if names(of[0]) != "Schoolvrienden,Vriendengroep" || names(of[1]) != "Vriendengroep" || names(of[2]) != "Schoolvrienden" || len(of[3]) != 0 {
		t.Fatalf("GroupsOf = %v / %v / %v / %v", names(of[0]), names(of[1]), names(of[2]), of[3])
	}

	refused := []struct {
		name  string
		in    casus.CreateGroupInput
		field string
	}{
		{"no name", casus.CreateGroupInput{Name: " ", MemberIDs: []string{"p-1"}}, "name"},
		{"long name", casus.CreateGroupInput{Name: strings.Repeat("g", casus.MaxName+1), MemberIDs: []string{"p-1"}}, "name"},
		{"no members", casus.CreateGroupInput{Name: "Leeg"}, "members"},
		{"too many members", casus.CreateGroupInput{Name: "Groot", MemberIDs: make([]string, casus.MaxGroupSize+1)}, "members"},
		{"foreign or unknown member", casus.CreateGroupInput{Name: "Spook", MemberIDs: []string{"p-1", "p-404"}, IdempotencyKey: "group-2"}, "members"},
		{"long key", casus.CreateGroupInput{Name: "Sleutel", MemberIDs: []string{"p-1"}, IdempotencyKey: strings.Repeat("k", casus.MaxKey+1)}, "idempotencyKey"},
	}
	for _, r := range refused {
		_, err := svc.GroupService.CreateGroup(ctx, r.in)
		if want := refusedCode(r.name); casus.ErrorCode(err) != want || casus.ErrorField(err) != r.field {
			t.Errorf("%s: err = %v, want %s on %s", r.name, err, want, r.field)
		}
	}
	reporter := casus.WithActor(ctx, casus.Actor{ID: "u-rep", Role: casus.RoleReporter})
	_, err = svc.GroupService.CreateGroup(reporter, casus.CreateGroupInput{Name: "Melders", MemberIDs: []string{"p-1"}})
	mustErr(t, err, casus.EFORBIDDEN, "")
	if n := countOf(t, "MATCH (g:Group) RETURN count(g)"); n != 2 {
		t.Fatalf("groups = %d after refused requests, want 2", n)
	}
	if n := countOf(t, "MATCH ()-[r:IN_GROUP]->() RETURN count(r)"); n != 4 {
		t.Fatalf("memberships = %d after refused requests, want 4", n)
	}
	if n := countOf(t, "MATCH (k:IdempotencyKey) RETURN count(k)"); n != 1 {
		t.Fatalf("idempotency keys = %d, want 1", n)
	}
}
