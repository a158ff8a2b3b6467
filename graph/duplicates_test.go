package graph_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"casusnet/internal/casus"
	"casusnet/internal/demo"
)

// duplicateRegion has d1 and d2 (alike names, same birth date), d3 (d1's
// exact name, no birth date), d4 (another name on the same date) and d5
// (d4's name with accents, another date). d2 has a contact and is the
// subject of case-9.
func duplicateRegion() demo.Data {
	born := func(s string) *time.Time { t, _ := time.Parse(time.DateOnly, s); return &t }
	p := func(id, first, last string, birth *time.Time) demo.Person {
		d := demo.Person{ID: id, FirstName: first, LastName: last, Municipality: "GM0358"}
		if birth != nil {
			d.BirthDate = *birth
		}
		return d
	}
	return demo.Data{
		Municipalities: []demo.Municipality{{Code: "GM0358", Name: "Aalsmeer"}},
		Persons: []demo.Person{
			p("d1", "Youssef", "El Amrani", born("2005-04-03")), p("d2", "Yousef", "el-Amrani", born("2005-04-03")),
			p("d3", "Youssef", "El Amrani", nil), p("d4", "Anna", "Jansen", born("2005-04-03")), p("d5", "Ánna", "Jánsen", born("1990-01-01")),
			p("x", "Xander", "Contact", nil),
		},
		Contacts: []demo.Contact{{From: "d2", To: "x", Network: "INFORMAL", Role: "FRIEND", Source: "politie", Confidence: 0.5}},
		Cases: []demo.Case{{ID: "case-9", Reference: "AM-2026-0909", Municipality: "GM0358", Subjects: []string{"d2"}, RiskGroups: []casus.RiskGroup{"RADICALISING"},
			Ideology: "OTHER", RiskLevel: "LOW", Phase: "ASSESSMENT", EscalationLevel: "LOCAL", Summary: "s", OpenedAt: time.Now()}},
	}
}

// TestPossibleDuplicatesAndMerge finds the hand-checked pairs, then merges
// d2 into d1: d1 keeps d2's ties and case and gains its name as an alias.
func TestPossibleDuplicatesAndMerge(t *testing.T) {
	a := newAPI(t, duplicateRegion())
	pairs := func(api *api) string {
		var out struct {
			PossibleDuplicates []struct {
				A, B    struct{ ID string }
				Score   float64
				Reasons []string
			}
		}
		api.must(`{ possibleDuplicates { a { id } b { id } score reasons } }`, nil, &out)
		var s []string
		for _, p := range out.PossibleDuplicates {
			s = append(s, fmt.Sprintf("%s+%s %.2f %s", strings.TrimPrefix(keyOfDup(p.A.ID), ""), keyOfDup(p.B.ID), p.Score, strings.Join(p.Reasons, ",")))
		}
		return strings.Join(s, "; ")
	}
	if got := pairs(a); got != "d1+d2 0.94 same birth date,names 94% alike; d1+d3 0.85 one birth date unknown,same name" {
		t.Errorf("coordinator's duplicates = %s", got)
	}
	// d2 is a case subject in Aalsmeer: the analyst sees d2 and its contact x, and no pair.
	if got := pairs(a.as(analystA)); got != "" {
		t.Errorf("analyst's duplicates = %s", got)
	}
	if r := a.as(networkMayor).do(`{ possibleDuplicates { score } }`, nil, nil); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "FORBIDDEN" {
		t.Errorf("mayor: %+v", r.Errors)
	}

	const merge = `mutation($keep: ID!, $merge: ID!) { mergePersons(input: {keep: $keep, merge: $merge, reason: "dezelfde persoon volgens BRP"}) {
		person { id aliases version cases { reference } contacts { from { id } to { id } } } } }`
	vars := map[string]any{"keep": gid("Person", "d1"), "merge": gid("Person", "d2")}
	for name, c := range map[string]struct {
		api  *api
		vars map[string]any
		code string
	}{
		"director":  {a.as(actors["director A"]), vars, "FORBIDDEN"},
		"itself":    {a, map[string]any{"keep": gid("Person", "d1"), "merge": gid("Person", "d1")}, "INVALID"},
		"not found": {a, map[string]any{"keep": gid("Person", "d1"), "merge": gid("Person", "nobody")}, "NOT_FOUND"},
	} {
		if r := c.api.do(merge, c.vars, nil); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != c.code {
			t.Errorf("%s: %+v", name, r.Errors)
		}
	}
	var out struct {
		MergePersons struct {
			Person struct {
				ID       string
				Aliases  []string
				Version  int
				Cases    []struct{ Reference string }
				Contacts []struct{ From, To struct{ ID string } }
			}
		}
	}
	a.must(merge, vars, &out)
	p := out.MergePersons.Person
	if !slices.Contains(p.Aliases, "Yousef el-Amrani") || p.Version != 2 || len(p.Cases) != 1 || p.Cases[0].Reference != "AM-2026-0909" ||
		len(p.Contacts) != 1 || p.Contacts[0].From.ID != gid("Person", "d1") || p.Contacts[0].To.ID != gid("Person", "x") {
		t.Fatalf("kept person after the merge = %+v", p)
	}
	if r := a.do(`query($id: ID!) { person(id: $id) { id } }`, map[string]any{"id": gid("Person", "d2")}, nil); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "NOT_FOUND" {
		t.Errorf("the merged record: %+v", r.Errors)
	}
	if got := pairs(a); got != "d1+d3 0.85 one birth date unknown,same name" {
		t.Errorf("duplicates after the merge = %s", got)
	}
}

func keyOfDup(id string) string {
	for _, k := range []string{"d1", "d2", "d3", "d4", "d5", "x"} {
		if gid("Person", k) == id {
			return k
		}
	}
	return id
}
