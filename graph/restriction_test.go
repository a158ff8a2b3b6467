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

// restrictedRegion is one municipality where Rosa, whose processing will be
// restricted, is a subject of her own case, the only tie between the
// subjects Sam and Sara (in the middle), the only way Xavier reaches a
// second case (as a subject) and Yara any case (in the middle of a
// bridge); Zoë is tied to Sam and Sara both, a bridge that owes nothing to
// Rosa. Rosanne is a likely duplicate of Rosa.
func restrictedRegion() demo.Data {
	at := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	born := time.Date(1999, 9, 9, 0, 0, 0, 0, time.UTC)
	c := func(id, ref, subject string) demo.Case {
		k := demo.Case{ID: id, Reference: ref, Municipality: "GM0358", Subjects: []string{subject}, RiskGroups: []casus.RiskGroup{"RADICALISING"},
			Ideology: "OTHER", RiskLevel: "LOW", Phase: "EXECUTION", EscalationLevel: "LOCAL", DirectorID: "dir-a", Summary: ref, OpenedAt: at}
		return k
	}
	friend := func(a, b string) demo.Contact {
		return demo.Contact{From: a, To: b, Network: "INFORMAL", Role: "FRIEND", Source: "s", Confidence: 1}
	}
	return demo.Data{
		Municipalities: []demo.Municipality{{Code: "GM0358", Name: "Aalsmeer"}},
		Organisations:  []demo.Organisation{{ID: "org-avz", Name: "AVZ", Type: "OTHER", ProvidesDirectors: true}, {ID: "org-jw", Name: "Jongerenwerk", Type: "YOUTH_WORK", ProvidesInterventions: true}},
		Directors:      []demo.Director{{ID: "dir-a", Name: "Regisseur A", OrganisationID: "org-avz", Municipalities: []string{"GM0358"}, Capacity: 5}},
		Offerings:      []demo.Offering{{ID: "off-jw", ProviderID: "org-jw", Name: "Mentor", TargetRiskGroups: []casus.RiskGroup{"RADICALISING"}}},
		Persons: []demo.Person{
			{ID: "p-rosa", FirstName: "Rosalinde", LastName: "Restrictie", BirthDate: born, Municipality: "GM0358", Notes: "Geheime aantekening over Rosalinde"},
			{ID: "p-rosanne", FirstName: "Rosalind", LastName: "Restriktie", BirthDate: born, Municipality: "GM0358"},
			{ID: "p-sam", FirstName: "Sam", LastName: "S", Municipality: "GM0358"},
			{ID: "p-sara", FirstName: "Sara", LastName: "S", Municipality: "GM0358"},
			{ID: "p-xavier", FirstName: "Xavier", LastName: "X", Municipality: "GM0358"},
			{ID: "p-yara", FirstName: "Yara", LastName: "Y", Municipality: "GM0358"},
			{ID: "p-zoe", FirstName: "Zoë", LastName: "Z", Municipality: "GM0358"},
		},
		Contacts: []demo.Contact{
			friend("p-sam", "p-rosa"), friend("p-rosa", "p-sara"),
			friend("p-xavier", "p-sam"), friend("p-xavier", "p-rosa"),
			friend("p-yara", "p-rosa"),
			friend("p-zoe", "p-sam"), friend("p-zoe", "p-sara"),
		},
		Cases: []demo.Case{c("case-rosa", "AM-2026-0100", "p-rosa"), c("case-sam", "AM-2026-0101", "p-sam"), c("case-sara", "AM-2026-0102", "p-sara")},
	}
}

// TestRestrictionHoldsInEveryAnalysis restricts Rosa's processing and runs
// every analysis, export and suggestion with her as a start, as an end, in
// the middle and as a subject, for every role that may analyse. None
// returns her name, birth date or notes, and none uses her ties: no path,
// common contact, bridge, centrality, community or duplicate pair goes
// through her. Lifting the restriction brings her back.
func TestRestrictionHoldsInEveryAnalysis(t *testing.T) {
	a := newAPI(t, restrictedRegion())
	dpo := a.as(actors["dpo"])
	var reg struct {
		RegisterRequest struct{ Request struct{ ID string } }
	}
	dpo.must(`mutation($p: ID!) { registerRequest(input: {kind: RESTRICTION, person: $p, receivedOn: "2026-11-20", identityCheckedBy: "balie"}) { request { id } } }`,
		map[string]any{"p": gid("Person", "p-rosa")}, &reg)
	restrict := func(lift bool) {
		dpo.must(`mutation($r: ID!, $lift: Boolean) { restrictPerson(input: {request: $r, lift: $lift}) { request { restricted } } }`,
			map[string]any{"r": reg.RegisterRequest.Request.ID, "lift": lift}, nil)
	}
	restrict(false)

	p := func(id string) string { return gid("Person", id) }
	rosa := p("p-rosa")
	purpose := gid("Case", "case-sam")
	scope := map[string]any{"purposeCase": purpose, "from": []string{p("p-sam")}, "depth": 3}
	municipality := map[string]any{"municipality": "GM0358", "question": "wie verbindt de casussen?"}
	type check struct {
		name  string
		query string
		vars  map[string]any
		// code is the error expected, "" for none; absent are persons
		// (besides Rosa's data) whose presence would mean her ties were used.
		code   string
		absent []string
	}
	checks := []check{
		{"network, Rosa as a start", `query($f: [ID!]!, $c: ID) { network(from: $f, purposeCase: $c) { nodes { id label } } }`,
			map[string]any{"f": []string{rosa}, "c": gid("Case", "case-rosa")}, "NOT_FOUND", nil},
		{"network, Rosa in the middle", `query($f: [ID!]!, $c: ID) { network(from: $f, depth: 3, purposeCase: $c) { nodes { id label } edges { from to } } }`,
			map[string]any{"f": []string{p("p-sam")}, "c": purpose}, "", []string{p("p-yara")}},
		{"shortest paths, Rosa in the middle", `query($a: ID!, $b: ID!) { shortestPaths(from: $a, to: $b) { length paths graph { nodes { id label } } } }`,
			map[string]any{"a": p("p-yara"), "b": p("p-sam")}, "", []string{p("p-yara")}},
		{"shortest paths, Rosa as a start", `query($a: ID!, $b: ID!) { shortestPaths(from: $a, to: $b) { paths } }`,
			map[string]any{"a": rosa, "b": p("p-sam")}, "NOT_FOUND", nil},
		{"shortest paths, Rosa as an end", `query($a: ID!, $b: ID!) { shortestPaths(from: $a, to: $b) { paths } }`,
			map[string]any{"a": p("p-sam"), "b": rosa}, "NOT_FOUND", nil},
		{"common contacts, Rosa in the middle", `query($a: ID!, $b: ID!) { commonContacts(a: $a, b: $b) { id firstName lastName birthDate notes } }`,
			map[string]any{"a": p("p-sam"), "b": p("p-sara")}, "", []string{rosa}},
		{"common contacts, Rosa as a start", `query($a: ID!, $b: ID!) { commonContacts(a: $a, b: $b) { id firstName } }`,
			map[string]any{"a": rosa, "b": p("p-sam")}, "NOT_FOUND", nil},
		{"bridges, Rosa as a subject and in the middle", `{ bridges { person { id firstName lastName birthDate notes } caseCount cases { reference } } }`,
			nil, "", []string{rosa, p("p-xavier"), p("p-yara"), "AM-2026-0100"}},
		{"centrality of a neighbourhood", `query($s: AnalysisScope!) { centrality(scope: $s, measure: BETWEENNESS) { person { id firstName } score } }`,
			map[string]any{"s": scope}, "", []string{rosa, p("p-yara")}},
		{"centrality of the municipality", `query($s: AnalysisScope!) { centrality(scope: $s, measure: DEGREE) { person { id firstName } score } }`,
			map[string]any{"s": municipality}, "", []string{rosa}},
		{"communities", `query($s: AnalysisScope!) { communities(scope: $s) { communities { members { id firstName } } } }`,
			map[string]any{"s": municipality}, "", []string{rosa}},
		{"possible duplicates", `{ possibleDuplicates(minScore: 0.5) { a { id firstName } b { id firstName } score } }`,
			nil, "", []string{rosa}},
		{"suggested interventions for her case", `query($c: ID!) { suggestInterventions(case: $c) { offering { name } } }`,
			map[string]any{"c": gid("Case", "case-rosa")}, "", nil},
	}
	private := []string{"Rosalinde", "Restrictie", "1999-09-09", "Geheime aantekening"}
	for _, role := range []string{"analyst A", "director A", "coordinator"} {
		api := a.as(actors[role])
		for _, c := range checks {
			t.Run(role+"/"+c.name, func(t *testing.T) {
				r := api.do(c.query, c.vars, nil)
				if c.code != "" {
					if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != c.code {
						t.Fatalf("want %s: %+v", c.code, r)
					}
				} else if forbidden := (role == "analyst A" && strings.HasPrefix(c.name, "suggested")) ||
					(role == "director A" && c.vars["s"] != nil && c.vars["s"].(map[string]any)["municipality"] != nil); forbidden {
					if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "FORBIDDEN" {
						t.Fatalf("want FORBIDDEN: %+v", r)
					}
				} else if len(r.Errors) > 0 {
					t.Fatalf("errors: %+v", r.Errors)
				}
				body := string(r.Data) + fmt.Sprint(r.Errors)
				for _, s := range append(private, c.absent...) {
					if strings.Contains(body, s) {
						t.Errorf("the answer holds %q: %s", s, body)
					}
				}
			})
		}
		// The exports of her network and of a path through her.
		for _, path := range []string{
			"/export/network?format=cytoscape&from=" + p("p-sam") + "&depth=3&purposeCase=" + purpose,
			"/export/network?format=graphml&from=" + rosa + "&purposeCase=" + gid("Case", "case-rosa"),
		} {
			status, body := api.get(t, path)
			for _, s := range append(private, p("p-yara")) {
				if strings.Contains(string(body), s) {
					t.Errorf("%s: export %s (%d) holds %q", role, path, status, s)
				}
			}
		}
	}

	// The bridge that owes nothing to her stays, and lifting the
	// restriction brings her and her ties back.
	bridges := func() []string {
		var out struct {
			Bridges []struct{ Person struct{ ID string } }
		}
		a.as(actors["analyst A"]).must(`{ bridges { person { id } } }`, nil, &out)
		var ids []string
		for _, b := range out.Bridges {
			ids = append(ids, b.Person.ID)
		}
		return ids
	}
	if got := bridges(); !slices.Equal(got, []string{p("p-zoe")}) {
		t.Errorf("bridges while she is restricted: %v, want Zoë alone", got)
	}
	restrict(true)
	if got := bridges(); !slices.Contains(got, rosa) || !slices.Contains(got, p("p-xavier")) {
		t.Errorf("bridges after lifting: %v, want Rosa and Xavier among them", got)
	}
	var common struct{ CommonContacts []struct{ FirstName string } }
	a.as(actors["analyst A"]).must(`query($a: ID!, $b: ID!) { commonContacts(a: $a, b: $b) { firstName } }`, map[string]any{"a": p("p-sam"), "b": p("p-sara")}, &common)
	if len(common.CommonContacts) != 2 {
		t.Errorf("common contacts after lifting: %+v, want Rosa and Zoë", common)
	}
}

// TestRecordingLapses follows a person the director of Aalsmeer records
// without a residence: she reads them while nobody else holds them; once
// the coordinator records that they live in Amstelveen and writes notes
// there, the recording lapses — by id, in a list of nodes, in search and
// as an analysis's start the director reads nothing of them, and she can no
// longer tie them to her own subject, which would open Amstelveen's notes to
// Aalsmeer's mayor and analyst.
func TestRecordingLapses(t *testing.T) {
	a := newAPI(t, accessRegion())
	director := a.as(actors["director A"])
	var made struct {
		CreatePerson struct{ Person struct{ ID string } }
	}
	director.must(`mutation { createPerson(input: {firstName: "Vera", lastName: "Vastgelegd"}) { person { id } } }`, nil, &made)
	id := made.CreatePerson.Person.ID
	reads := func() []string {
		var seen []string
		var one struct{ Person *struct{ Notes *string } }
		if r := director.do(`query($id: ID!) { person(id: $id) { notes } }`, map[string]any{"id": id}, &one); one.Person != nil {
			seen = append(seen, "person")
		} else if len(r.Errors) > 0 && r.Errors[0].Extensions["code"] != "NOT_FOUND" {
			t.Fatalf("person: %+v", r.Errors)
		}
		var nodes struct{ Nodes []*struct{ ID string } }
		director.must(`query($id: ID!) { nodes(ids: [$id]) { id } }`, map[string]any{"id": id}, &nodes)
		if len(nodes.Nodes) == 1 && nodes.Nodes[0] != nil {
			seen = append(seen, "nodes")
		}
		var found struct {
			Persons struct{ TotalCount int }
		}
		director.must(`{ persons(filter: {name: "vastgelegd"}) { totalCount } }`, nil, &found)
		if found.Persons.TotalCount > 0 {
			seen = append(seen, "search")
		}
		if r := director.do(`query($id: ID!) { network(from: [$id], question: "wie kent Vera?") { nodes { id } } }`, map[string]any{"id": id}, nil); len(r.Errors) == 0 {
			seen = append(seen, "network")
		}
		return seen
	}
	if got := reads(); len(got) != 4 {
		t.Fatalf("the recorder reads her own record through %v only", got)
	}
	a.as(actors["coordinator"]).must(`mutation($id: ID!) { updatePerson(input: {person: $id, municipality: "GM0362", notes: "Amstelveense aantekening"}) { person { id } } }`,
		map[string]any{"id": id}, nil)
	if got := reads(); len(got) != 0 {
		t.Errorf("after the move the recorder still reads the person through %v", got)
	}
	r := director.do(`mutation($from: ID!, $to: ID!) { addNetworkContact(input: {from: $from, to: $to, network: INFORMAL, role: FRIEND, source: "s", confidence: 1}) { contact { id } } }`,
		map[string]any{"from": gid("Person", "p-a"), "to": id}, nil)
	if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "NOT_FOUND" {
		t.Fatalf("tying the moved person to her own subject: %+v", r)
	}
	mayorA := casus.Actor{ID: "u-mayor-a", Role: casus.RoleMayor, Municipalities: []string{"GM0358"}}
	for role, actor := range map[string]casus.Actor{"analyst A": actors["analyst A"], "mayor A": mayorA} {
		var one struct{ Person *struct{ Notes string } }
		a.as(actor).do(`query($id: ID!) { person(id: $id) { notes } }`, map[string]any{"id": id}, &one)
		if one.Person != nil {
			t.Errorf("%s reads the moved person: %+v", role, one.Person)
		}
	}
}
