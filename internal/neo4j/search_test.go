package neo4j_test

import (
	"context"
	"slices"
	"testing"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"casusnet/internal/casus"
	"casusnet/internal/neo4j"
	"casusnet/internal/neo4j/neo4jtest"
	"casusnet/internal/synthetic"
)

// TestPersonSearch finds persons by name through the index: by the start
// of any word of a first name, last name or alias, in any case, with or
// without diacritics, every word of the query; a person created, renamed
// or merged is found (or not) at once; the query's characters are never
// read as the index's syntax.
func TestPersonSearch(t *testing.T) {
	db := neo4jtest.Open(t)
	people(t, db)
	svc := neo4j.NewServices(db)
	ctx := testContext(t)
	find := func(name string) []string {
		t.Helper()
		res, err := svc.PersonService.Persons(ctx, casus.PersonFilter{Name: name}, casus.Page{})
		if err != nil {
			t.Fatalf("Persons(%q): %v", name, err)
		}
		ids := []string{}
		for _, e := range res.Edges {
			ids = append(ids, e.Person.ID)
		}
		if res.TotalCount != len(ids) {
			t.Fatalf("Persons(%q): totalCount %d for %d persons", name, res.TotalCount, len(ids))
		}
		return ids
	}
	for name, want := range map[string][]string{
		"bak":          {"p-5", "p-4"},        // last name, with and without a first name
		"BAKKER":       {"p-5", "p-4"},        // case
		"ahmed bak":    {"p-4"},               // every word
		"zoe":          {"p-6"},               // without the diaeresis
		"ZOË vis":      {"p-6"},               // with it
		"abu":          {"p-4"},               // an alias
		"test":         {"p-4", "p-2", "p-1"}, // an alias word and a last name
		"sami test":    {"p-1"},
		"nobody":       {},
		"  ":           {"p-3", "p-5", "p-4", "p-2", "p-1", "p-6"}, // no words: no filter
		"bak* OR kees": {},                                         // no syntax: the words bak, or, kees
		"anders~":      {"p-3"},                                    // a fuzzy operator is a character like any other
		`"kees" (a:b)`: {},
		"k\\ees":       {},
	} {
		if got := find(name); !slices.Equal(got, want) {
			t.Errorf("%q: %v, want %v", name, got, want)
		}
	}

	// The index finds; the scope decides: no person, and no count, for a
	// caller who may see none of them.
	analyst := casus.WithActor(ctx, casus.Actor{ID: "u-analyst", Role: casus.RoleAnalyst, Municipalities: []string{"GM0999"}})
	if res, err := svc.PersonService.Persons(analyst, casus.PersonFilter{Name: "bak"}, casus.Page{}); err != nil || len(res.Edges) != 0 || res.TotalCount != 0 {
		t.Fatalf("outside the scope: %+v, %v", res, err)
	}

	yusuf, err := svc.PersonService.CreatePerson(ctx, newPerson())
	if err != nil {
		t.Fatal(err)
	}
	if got := find("yus el"); !slices.Equal(got, []string{yusuf.ID}) {
		t.Fatalf("just created: %v", got)
	}
	renamed := "Émile"
	if _, err := svc.PersonService.UpdatePerson(ctx, casus.UpdatePersonInput{ID: yusuf.ID, FirstName: &renamed}); err != nil {
		t.Fatal(err)
	}
	if got := find("emile"); !slices.Equal(got, []string{yusuf.ID}) {
		t.Fatalf("renamed: %v", got)
	}
	if _, err := svc.PersonService.MergePersons(ctx, casus.MergePersonsInput{KeepID: "p-4", MergeID: "p-5", Reason: "one person"}); err != nil {
		t.Fatal(err)
	}
	if got := find("bakker"); !slices.Equal(got, []string{"p-4"}) {
		t.Fatalf("after the merge: %v", got)
	}
}

// BenchmarkPersonSearch searches 20,000 synthetic persons for the name
// prefix "jan", side by side in one run and on one connection pool: the
// page of 20 and its total through the name index, and through the scan it
// replaced (four name forms per person); and the whole Persons call with
// the coordinator's scope. Run it with
// `go test -run '^$' -bench PersonSearch -count 3 ./internal/neo4j/`.
func BenchmarkPersonSearch(b *testing.B) {
	db := neo4jtest.Open(b)
	for d := range synthetic.Region(synthetic.Options{Persons: 20_000, Seed: 1}) {
		if _, err := db.Seed(context.Background(), d); err != nil {
			b.Fatal(err)
		}
	}
	cfg := neo4jtest.Config()
	ctx := context.Background()
	d, err := driver.NewDriverWithContext(cfg.URI, driver.BasicAuth(cfg.User, cfg.Password, ""))
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close(ctx)
	const page = `
		WITH p ORDER BY p.lastName, coalesce(p.firstName, ''), p.id
		WITH collect(p)[0..20] AS page, count(p) AS total
		RETURN total, size(page) AS n`
	for name, match := range map[string]string{
		"index": `CALL db.index.fulltext.queryNodes('person_names', 'jan*') YIELD node AS p`,
		"scan": `MATCH (p:Person)
			WHERE toLower(p.lastName) STARTS WITH 'jan' OR toLower(coalesce(p.firstName, '')) STARTS WITH 'jan'
			  OR toLower(coalesce(p.firstName, '') + ' ' + p.lastName) STARTS WITH 'jan'
			  OR any(a IN coalesce(p.aliases, []) WHERE toLower(a) STARTS WITH 'jan')`,
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := driver.ExecuteQuery(ctx, d, match+page, nil, driver.EagerResultTransformer,
					driver.ExecuteQueryWithDatabase(cfg.Database), driver.ExecuteQueryWithReadersRouting()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	svc := neo4j.NewServices(db)
	coordinator := casus.WithActor(ctx, casus.Actor{ID: "u-bench", Role: casus.RoleCoordinator})
	b.Run("Persons", func(b *testing.B) {
		for b.Loop() {
			if _, err := svc.PersonService.Persons(coordinator, casus.PersonFilter{Name: "jan"}, casus.Page{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
