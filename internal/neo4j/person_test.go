package neo4j_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"casusnet/internal/casus"
	"casusnet/internal/demo"
	"casusnet/internal/neo4j"
	"casusnet/internal/neo4j/neo4jtest"
)

// people seeds the region and a small family and network around p-1:
// p-2 is p-1's parent, p-3 is p-1's teacher (a seeded CONTACT without an id),
// and p-1 and p-2 form the group g-1.
func people(t *testing.T, db *neo4j.DB) {
	t.Helper()
	region(t, db)
	if _, err := db.Seed(testContext(t), demo.Data{
		Persons: []demo.Person{
			{ID: "p-4", FirstName: "Ahmed", LastName: "Bakker", Aliases: []string{"Abu Test"}, Municipality: "GM0384"},
			{ID: "p-5", LastName: "Bakker"},
			{ID: "p-6", FirstName: "Zoë", LastName: "Visser", Municipality: "GM0362"},
		},
		Relatives: []demo.Relative{{From: "p-2", To: "p-1", Kind: "PARENT"}},
		Contacts: []demo.Contact{{From: "p-1", To: "p-3", Network: "FORMAL", Role: "TEACHER",
			Since: time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC), Source: "school", Confidence: 0.8}},
		Groups: []demo.Group{{ID: "g-1", Name: "Vriendengroep", Members: []string{"p-1", "p-2"}}},
	}); err != nil {
		t.Fatalf("seed: %v", err)
	}
}

func countOf(t *testing.T, cypher string) int64 {
	t.Helper()
	return neo4jtest.Count(t, cypher, nil)
}

func mustErr(t *testing.T, err error, code, field string) {
	t.Helper()
	if casus.ErrorCode(err) != code || casus.ErrorField(err) != field {
		t.Fatalf("err = %v (code %s, field %q), want %s on %q", err, casus.ErrorCode(err), casus.ErrorField(err), code, field)
	}
}

func newPerson() casus.CreatePersonInput {
	born := time.Date(2008, 5, 17, 0, 0, 0, 0, time.UTC)
	return casus.CreatePersonInput{
		FirstName: "  Yusuf ", LastName: " El Amrani ", Aliases: []string{"Yus", " Yus ", "", "Y.E.A."},
		BirthDate: &born, MunicipalityCode: "GM0362", Notes: " Broer van een eerder subject. ",
	}
}

func TestCreatePersonAndReadBack(t *testing.T) {
	db := neo4jtest.Open(t)
	people(t, db)
	svc := neo4j.NewServices(db)
	ctx := testContext(t)

	start := time.Now().Add(-time.Minute)
	p, err := svc.PersonService.CreatePerson(ctx, newPerson())
	if err != nil {
		t.Fatalf("CreatePerson: %v", err)
	}
	if _, err := uuid.Parse(p.ID); err != nil {
		t.Errorf("id %q is not a uuid", p.ID)
	}
	if p.FirstName != "Yusuf" || p.LastName != "El Amrani" || p.Notes != "Broer van een eerder subject." ||
		strings.Join(p.Aliases, "|") != "Yus|Y.E.A." || p.MunicipalityCode != "GM0362" || p.Version != 1 {
		t.Errorf("created %+v", p)
	}
	if p.BirthDate == nil || p.BirthDate.Format(time.DateOnly) != "2008-05-17" {
		t.Errorf("birth date = %v, want 2008-05-17", p.BirthDate)
	}
	if p.CreatedAt.Before(start) || !p.UpdatedAt.Equal(p.CreatedAt) {
		t.Errorf("createdAt %v, updatedAt %v", p.CreatedAt, p.UpdatedAt)
	}
	if n := neo4jtest.Count(t, "MATCH (:Person {id: $id})-[:LIVES_IN]->(:Municipality {code: 'GM0362'}) RETURN count(*)",
		map[string]any{"id": p.ID}); n != 1 {
		t.Errorf("LIVES_IN edges = %d, want 1", n)
	}
	got, err := svc.PersonService.Person(ctx, p.ID)
	if err != nil {
		t.Fatalf("Person: %v", err)
	}
	if got.FullName() != "Yusuf El Amrani" || got.Version != 1 || !got.CreatedAt.Equal(p.CreatedAt) ||
		got.BirthDate == nil || !got.BirthDate.Equal(*p.BirthDate) {
		t.Errorf("read back %+v, want %+v", got, p)
	}

	// Without a municipality or birth date: no LIVES_IN, no date.
	bare, err := svc.PersonService.CreatePerson(ctx, casus.CreatePersonInput{LastName: "Onbekend"})
	if err != nil {
		t.Fatal(err)
	}
	if bare.MunicipalityCode != "" || bare.BirthDate != nil || bare.FirstName != "" || len(bare.Aliases) != 0 {
		t.Errorf("bare person = %+v", bare)
	}
	if n := neo4jtest.Count(t, "MATCH (:Person {id: $id})-[:LIVES_IN]->() RETURN count(*)", map[string]any{"id": bare.ID}); n != 0 {
		t.Errorf("a person without a municipality lives in %d", n)
	}

	ps, err := svc.PersonService.PersonsByID(ctx, []string{"p-3", "p-404", p.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 3 || ps[0] == nil || ps[0].LastName != "Anders" || ps[1] != nil || ps[2] == nil || ps[2].ID != p.ID {
		t.Fatalf("PersonsByID = %v", ps)
	}
	if ps[0].Version != 1 || ps[0].MunicipalityCode != "GM0384" {
		t.Errorf("seeded person = %+v", ps[0])
	}
	_, err = svc.PersonService.Person(ctx, "p-404")
	mustErr(t, err, casus.ENOTFOUND, "")
}

func TestCreatePersonRefusesBadInputAndWritesNothing(t *testing.T) {
	db := neo4jtest.Open(t)
	region(t, db)
	svc := neo4j.NewServices(db)
	ctx := testContext(t)

	long := strings.Repeat("x", casus.MaxName+1)
	future := time.Now().AddDate(0, 0, 2)
	old := time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		edit  func(*casus.CreatePersonInput)
		field string
	}{
		{"no last name", func(in *casus.CreatePersonInput) { in.LastName = "  " }, "lastName"},
		{"long last name", func(in *casus.CreatePersonInput) { in.LastName = long }, "lastName"},
		{"long first name", func(in *casus.CreatePersonInput) { in.FirstName = long }, "firstName"},
		{"too many aliases", func(in *casus.CreatePersonInput) { in.Aliases = make([]string, casus.MaxAliases+1) }, "aliases"},
		{"long alias", func(in *casus.CreatePersonInput) { in.Aliases = []string{long} }, "aliases"},
		{"born tomorrow", func(in *casus.CreatePersonInput) { in.BirthDate = &future }, "birthDate"},
		{"born before 1900", func(in *casus.CreatePersonInput) { in.BirthDate = &old }, "birthDate"},
		{"long notes", func(in *casus.CreatePersonInput) { in.Notes = strings.Repeat("n", casus.MaxNotes+1) }, "notes"},
		{"long key", func(in *casus.CreatePersonInput) { in.IdempotencyKey = strings.Repeat("k", casus.MaxKey+1) }, "idempotencyKey"},
		{"unknown municipality", func(in *casus.CreatePersonInput) { in.MunicipalityCode = "GM9999"; in.IdempotencyKey = "k1" }, "municipality"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := newPerson()
			tt.edit(&in)
			_, err := svc.PersonService.CreatePerson(ctx, in)
			mustErr(t, err, casus.EINVALID, tt.field)
		})
	}
	analyst := casus.WithActor(ctx, casus.Actor{ID: "u-analyst", Role: casus.RoleAnalyst, Municipalities: []string{"GM0362"}})
	_, err := svc.PersonService.CreatePerson(analyst, newPerson())
	mustErr(t, err, casus.EFORBIDDEN, "")
	_, err = svc.PersonService.CreatePerson(context.Background(), newPerson())
	mustErr(t, err, casus.EUNAUTHENTICATED, "")

	if n := countOf(t, "MATCH (p:Person) RETURN count(p)"); n != 3 {
		t.Fatalf("persons = %d after refused requests, want the 3 seeded", n)
	}
	if n := countOf(t, "MATCH (k:IdempotencyKey) RETURN count(k)"); n != 0 {
		t.Fatalf("refused requests stored %d idempotency keys", n)
	}
}

func TestCreatePersonIdempotencyKey(t *testing.T) {
	db := neo4jtest.Open(t)
	region(t, db)
	svc := neo4j.NewServices(db)
	ctx := testContext(t)

	in := newPerson()
	in.IdempotencyKey = "person-1"
	first, err := svc.PersonService.CreatePerson(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	again, err := svc.PersonService.CreatePerson(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != first.ID || again.Version != 1 {
		t.Fatalf("retry created %s (v%d), want the first person %s", again.ID, again.Version, first.ID)
	}
	if n := countOf(t, "MATCH (p:Person {lastName: 'El Amrani'}) RETURN count(p)"); n != 1 {
		t.Fatalf("persons = %d, want 1", n)
	}
	if n := countOf(t, "MATCH (:Person {lastName: 'El Amrani'})-[r:LIVES_IN]->() RETURN count(r)"); n != 1 {
		t.Fatalf("LIVES_IN = %d, want 1", n)
	}
	other := casus.WithActor(ctx, casus.Actor{ID: "u-dir", Role: casus.RoleDirector, Municipalities: []string{"GM0362"}})
	third, err := svc.PersonService.CreatePerson(other, in)
	if err != nil {
		t.Fatal(err)
	}
	if third.ID == first.ID {
		t.Fatal("another user's request with the same key returned the first user's person")
	}
	// Without a key, two requests are two persons.
	in.IdempotencyKey = ""
	for range 2 {
		if _, err := svc.PersonService.CreatePerson(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	if n := countOf(t, "MATCH (p:Person {lastName: 'El Amrani'}) RETURN count(p)"); n != 4 {
		t.Fatalf("persons = %d, want 4", n)
	}
}

func TestUpdatePerson(t *testing.T) {
	db := neo4jtest.Open(t)
	region(t, db)
	svc := neo4j.NewServices(db)
	ctx := testContext(t)

	p, err := svc.PersonService.CreatePerson(ctx, newPerson())
	if err != nil {
		t.Fatal(err)
	}
	lives := func() []string {
		t.Helper()
		var out []string
		for _, code := range []string{"GM0362", "GM0384"} {
			if neo4jtest.Count(t, "MATCH (:Person {id: $id})-[r:LIVES_IN]->(:Municipality {code: $code}) RETURN count(r)",
				map[string]any{"id": p.ID, "code": code}) > 0 {
				out = append(out, code)
			}
		}
		return out
	}

	// One field: the others stay.
	u, err := svc.PersonService.UpdatePerson(ctx, casus.UpdatePersonInput{ID: p.ID, FirstName: ptr(" Youssef "), ExpectedVersion: ptr(1)})
	if err != nil {
		t.Fatalf("UpdatePerson: %v", err)
	}
	if u.FirstName != "Youssef" || u.LastName != p.LastName || strings.Join(u.Aliases, "|") != "Yus|Y.E.A." ||
		u.Notes != p.Notes || u.BirthDate == nil || !u.BirthDate.Equal(*p.BirthDate) || u.MunicipalityCode != "GM0362" {
		t.Errorf("after a first-name change: %+v", u)
	}
	if u.Version != 2 || u.UpdatedAt.Before(p.UpdatedAt) || !u.CreatedAt.Equal(p.CreatedAt) {
		t.Errorf("version %d, updatedAt %v (was %v), createdAt %v", u.Version, u.UpdatedAt, p.UpdatedAt, u.CreatedAt)
	}

	// Empty aliases, cleared birth date, new notes, moved house.
	u, err = svc.PersonService.UpdatePerson(ctx, casus.UpdatePersonInput{ID: p.ID, Aliases: []string{}, ClearBirthDate: true,
		Notes: ptr("verhuisd"), MunicipalityCode: ptr("GM0384")})
	if err != nil {
		t.Fatal(err)
	}
	if len(u.Aliases) != 0 || u.BirthDate != nil || u.Notes != "verhuisd" || u.MunicipalityCode != "GM0384" || u.Version != 3 {
		t.Errorf("after the second change: %+v", u)
	}
	if got := lives(); !slices.Equal(got, []string{"GM0384"}) {
		t.Errorf("lives in %v, want only GM0384", got)
	}

	// A new birth date, and an empty municipality removes the residence.
	born := time.Date(2009, 1, 2, 0, 0, 0, 0, time.UTC)
	u, err = svc.PersonService.UpdatePerson(ctx, casus.UpdatePersonInput{ID: p.ID, BirthDate: &born, MunicipalityCode: ptr(" ")})
	if err != nil {
		t.Fatal(err)
	}
	if u.BirthDate == nil || u.BirthDate.Format(time.DateOnly) != "2009-01-02" || u.MunicipalityCode != "" || u.Version != 4 {
		t.Errorf("after the third change: %+v", u)
	}
	if got := lives(); len(got) != 0 {
		t.Errorf("lives in %v, want nowhere", got)
	}

	// A stale version conflicts and changes nothing.
	_, err = svc.PersonService.UpdatePerson(ctx, casus.UpdatePersonInput{ID: p.ID, LastName: ptr("Anders"), ExpectedVersion: ptr(3)})
	mustErr(t, err, casus.ECONFLICT, "")

	// Refused requests change nothing.
	future := time.Now().AddDate(1, 0, 0)
	refused := []struct {
		name  string
		in    casus.UpdatePersonInput
		code  string
		field string
	}{
		{"blank last name", casus.UpdatePersonInput{ID: p.ID, LastName: ptr(" ")}, casus.EINVALID, "lastName"},
		{"long first name", casus.UpdatePersonInput{ID: p.ID, FirstName: ptr(strings.Repeat("x", casus.MaxName+1))}, casus.EINVALID, "firstName"},
		{"too many aliases", casus.UpdatePersonInput{ID: p.ID, Aliases: make([]string, casus.MaxAliases+1)}, casus.EINVALID, "aliases"},
		{"future birth date", casus.UpdatePersonInput{ID: p.ID, BirthDate: &future}, casus.EINVALID, "birthDate"},
		{"set and clear", casus.UpdatePersonInput{ID: p.ID, BirthDate: &born, ClearBirthDate: true}, casus.EINVALID, "birthDate"},
		{"long notes", casus.UpdatePersonInput{ID: p.ID, Notes: ptr(strings.Repeat("n", casus.MaxNotes+1))}, casus.EINVALID, "notes"},
		{"unknown municipality", casus.UpdatePersonInput{ID: p.ID, Notes: ptr("weg"), MunicipalityCode: ptr("GM9999")}, casus.EINVALID, "municipality"},
		{"unknown person", casus.UpdatePersonInput{ID: "p-404", Notes: ptr("x")}, casus.ENOTFOUND, ""},
	}
	for _, r := range refused {
		_, err := svc.PersonService.UpdatePerson(ctx, r.in)
		if casus.ErrorCode(err) != r.code || casus.ErrorField(err) != r.field {
			t.Errorf("%s: err = %v, want %s on %q", r.name, err, r.code, r.field)
		}
	}
	now, err := svc.PersonService.Person(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if now.Version != 4 || now.LastName != "El Amrani" || now.Notes != "verhuisd" || now.BirthDate == nil ||
		now.MunicipalityCode != "" || !now.UpdatedAt.Equal(u.UpdatedAt) {
		t.Fatalf("refused changes altered the person: %+v, was %+v", now, u)
	}
	// The current version is accepted.
	if u, err = svc.PersonService.UpdatePerson(ctx, casus.UpdatePersonInput{ID: p.ID, LastName: ptr("Amrani"), ExpectedVersion: ptr(4)}); err != nil || u.Version != 5 {
		t.Fatalf("update at the current version: %v, %+v", err, u)
	}
}

func TestPersonsPagesBothWaysAndFilters(t *testing.T) {
	db := neo4jtest.Open(t)
	people(t, db)
	svc := neo4j.NewServices(db)
	ctx := testContext(t)

	page := func(p casus.Page, f casus.PersonFilter) *casus.PersonPage {
		t.Helper()
		res, err := svc.PersonService.Persons(ctx, f, p)
		if err != nil {
			t.Fatalf("Persons(%+v, %+v): %v", f, p, err)
		}
		return res
	}
	ids := func(p *casus.PersonPage) []string {
		out := []string{}
		for _, e := range p.Edges {
			out = append(out, e.Person.ID)
		}
		return out
	}
	// By last name, first name (none sorts first), id.
	want := []string{"p-3", "p-5", "p-4", "p-2", "p-1", "p-6"}
	all := page(casus.Page{}, casus.PersonFilter{})
	if !slices.Equal(ids(all), want) || all.TotalCount != 6 || all.HasNextPage || all.HasPreviousPage {
		t.Fatalf("all = %v total %d", ids(all), all.TotalCount)
	}

	two := 2
	p1 := page(casus.Page{First: &two}, casus.PersonFilter{})
	if !slices.Equal(ids(p1), want[:2]) || !p1.HasNextPage || p1.HasPreviousPage || p1.TotalCount != 6 {
		t.Fatalf("page 1 = %v next=%v prev=%v", ids(p1), p1.HasNextPage, p1.HasPreviousPage)
	}
	p2 := page(casus.Page{First: &two, After: p1.Edges[1].Cursor}, casus.PersonFilter{})
	if !slices.Equal(ids(p2), want[2:4]) || !p2.HasNextPage || !p2.HasPreviousPage {
		t.Fatalf("page 2 = %v next=%v prev=%v", ids(p2), p2.HasNextPage, p2.HasPreviousPage)
	}
	p3 := page(casus.Page{First: &two, After: p2.Edges[1].Cursor}, casus.PersonFilter{})
	if !slices.Equal(ids(p3), want[4:]) || p3.HasNextPage || !p3.HasPreviousPage {
		t.Fatalf("page 3 = %v next=%v prev=%v", ids(p3), p3.HasNextPage, p3.HasPreviousPage)
	}
	back := page(casus.Page{Last: &two, Before: p3.Edges[0].Cursor}, casus.PersonFilter{})
	if !slices.Equal(ids(back), want[2:4]) || !back.HasPreviousPage || !back.HasNextPage {
		t.Fatalf("backward = %v next=%v prev=%v", ids(back), back.HasNextPage, back.HasPreviousPage)
	}
	tail := page(casus.Page{Last: &two}, casus.PersonFilter{})
	if !slices.Equal(ids(tail), want[4:]) || !tail.HasPreviousPage || tail.HasNextPage {
		t.Fatalf("last two = %v next=%v prev=%v", ids(tail), tail.HasNextPage, tail.HasPreviousPage)
	}
	first := page(casus.Page{Last: &two, Before: back.Edges[0].Cursor}, casus.PersonFilter{})
	if !slices.Equal(ids(first), want[:2]) || first.HasPreviousPage {
		t.Fatalf("back to the start = %v prev=%v", ids(first), first.HasPreviousPage)
	}

	filters := []struct {
		f    casus.PersonFilter
		want []string
	}{
		{casus.PersonFilter{Name: "bak"}, []string{"p-5", "p-4"}},     // last name
		{casus.PersonFilter{Name: "NOOR"}, []string{"p-2"}},           // first name, any case
		{casus.PersonFilter{Name: "ahmed bak"}, []string{"p-4"}},      // full name
		{casus.PersonFilter{Name: "abu t"}, []string{"p-4"}},          // alias
		{casus.PersonFilter{Name: " testp "}, []string{"p-2", "p-1"}}, // trimmed
		{casus.PersonFilter{Name: "ami"}, []string{}},                 // a prefix, not a substring
		{casus.PersonFilter{MunicipalityCode: "GM0384"}, []string{"p-3", "p-4"}},
		{casus.PersonFilter{Name: "b", MunicipalityCode: "GM0384"}, []string{"p-4"}},
	}
	for _, f := range filters {
		got := page(casus.Page{}, f.f)
		if !slices.Equal(ids(got), f.want) || got.TotalCount != len(f.want) {
			t.Errorf("filter %+v = %v total %d, want %v", f.f, ids(got), got.TotalCount, f.want)
		}
	}
	// Paging within a filter.
	one := 1
	b1 := page(casus.Page{First: &one}, casus.PersonFilter{Name: "bak"})
	b2 := page(casus.Page{First: &one, After: b1.Edges[0].Cursor}, casus.PersonFilter{Name: "bak"})
	if !slices.Equal(ids(b1), []string{"p-5"}) || !slices.Equal(ids(b2), []string{"p-4"}) || b2.HasNextPage || b1.TotalCount != 2 {
		t.Fatalf("filtered pages = %v %v", ids(b1), ids(b2))
	}

	bad := []struct {
		name string
		page casus.Page
		f    casus.PersonFilter
		fld  string
	}{
		{"garbage cursor", casus.Page{After: "not-a-cursor"}, casus.PersonFilter{}, "after"},
		{"garbage before", casus.Page{Before: "%%"}, casus.PersonFilter{}, "before"},
		{"first too big", casus.Page{First: ptr(101)}, casus.PersonFilter{}, "first"},
		{"long name", casus.Page{}, casus.PersonFilter{Name: strings.Repeat("a", casus.MaxName+1)}, "filter.name"},
	}
	for _, b := range bad {
		_, err := svc.PersonService.Persons(ctx, b.f, b.page)
		if casus.ErrorCode(err) != casus.EINVALID || casus.ErrorField(err) != b.fld {
			t.Errorf("%s: err = %v, want INVALID on %s", b.name, err, b.fld)
		}
	}
}

// refusedCode is the code a refused write answers: NOT_FOUND for a
// reference the caller cannot read or that does not exist (the same
// answer), INVALID for anything else.
func refusedCode(name string) string {
	if strings.HasPrefix(name, "foreign or unknown") {
		return casus.ENOTFOUND
	}
	return casus.EINVALID
}
