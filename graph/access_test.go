package graph_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"casusnet/internal/casus"
	"casusnet/internal/demo"
	"casusnet/internal/neo4j/neo4jtest"
)

// accessRegion has two municipalities, A (GM0358) and B (GM0362), with one
// case each, and persons at every distance from the cases:
//
//	case-a (A, directed by dir-a) about p-a; p-a-rel is p-a's relative,
//	p-a-con p-a's contact, and p-a is also a contact of p-b.
//	case-b (B, no director) about p-b; p-x is p-b's contact only.
func accessRegion() demo.Data {
	at := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	return demo.Data{
		Municipalities: []demo.Municipality{{Code: "GM0358", Name: "Aalsmeer"}, {Code: "GM0362", Name: "Amstelveen"}},
		Organisations: []demo.Organisation{
			{ID: "org-avz", Name: "AVZ", Type: "OTHER", ProvidesDirectors: true},
			{ID: "org-jw", Name: "Jongerenwerk", Type: "YOUTH_WORK", ProvidesInterventions: true},
			{ID: "org-ggd", Name: "GGD", Type: "GGD", ProvidesInterventions: true},
			{ID: "org-gem", Name: "Gemeente", Type: "MUNICIPALITY_OOV"},
			{ID: "org-pol", Name: "Politie", Type: "POLICE"},
			{ID: "org-om", Name: "OM", Type: "PUBLIC_PROSECUTOR"},
		},
		Directors: []demo.Director{{ID: "dir-a", Name: "Regisseur A", OrganisationID: "org-avz", Municipalities: []string{"GM0358"}, Capacity: 5}},
		Offerings: []demo.Offering{{ID: "off-jw", ProviderID: "org-jw", Name: "Mentor"}, {ID: "off-ggd", ProviderID: "org-ggd", Name: "Zorg"}},
		Persons: []demo.Person{
			{ID: "p-a", FirstName: "Anna", LastName: "A", Municipality: "GM0358"},
			{ID: "p-a-rel", FirstName: "Ruud", LastName: "A", Municipality: "GM0358"},
			{ID: "p-a-con", FirstName: "Coach", LastName: "C", Municipality: "GM0358"},
			{ID: "p-b", FirstName: "Bart", LastName: "B", Municipality: "GM0362"},
			{ID: "p-x", FirstName: "Xander", LastName: "X", Municipality: "GM0362"},
		},
		Relatives: []demo.Relative{{From: "p-a-rel", To: "p-a", Kind: "PARENT"}},
		Contacts: []demo.Contact{
			{From: "p-a", To: "p-a-con", Network: "FORMAL", Role: "SPORTS_COACH", Source: "s", Confidence: 1},
			{From: "p-b", To: "p-a", Network: "INFORMAL", Role: "FRIEND", Source: "s", Confidence: 1},
			{From: "p-b", To: "p-x", Network: "INFORMAL", Role: "RECRUITER", Source: "s", Confidence: 1},
		},
		Cases: []demo.Case{
			{ID: "case-a", Reference: "AM-2026-0001", Municipality: "GM0358", Subjects: []string{"p-a"}, RiskGroups: []casus.RiskGroup{"RADICALISING"},
				Ideology: "OTHER", RiskLevel: "LOW", Phase: "EXECUTION", EscalationLevel: "LOCAL", DirectorID: "dir-a", Summary: "A", OpenedAt: at,
				Interventions: []demo.Intervention{
					{ID: "int-jw", OfferingID: "off-jw", Status: "PROPOSED", Goal: "g"},
					{ID: "int-ggd", OfferingID: "off-ggd", Status: "PROPOSED", Goal: "g"},
				},
				Weighings:   []demo.Weighing{weighing("w-a", at)},
				Conferences: []demo.Conference{conference("conf-a", at, "org-jw", "org-ggd")},
				Goals: []demo.Goal{{ID: "goal-a", Domain: "WORK_SCHOOL", Description: "Naar school", CreatedAt: at, Interventions: []string{"int-jw"},
					Actions: []demo.Action{
						{ID: "act-jw", ConferenceID: "conf-a", Description: "Mentor zoeken", OrganisationID: "org-jw", Status: "OPEN", Due: at.AddDate(0, 1, 0)},
						{ID: "act-ggd", ConferenceID: "conf-a", Description: "Zorg regelen", OrganisationID: "org-ggd", Status: "OPEN"},
					}}},
				Assessments: []demo.Assessment{{ID: "as-a", Instrument: "VERA_2R", Assessor: "T", On: at, Outcome: "LOW", NextOn: at.AddDate(0, 6, 0)}},
				Informing:   &casus.Informing{Ground: "lopend strafrechtelijk onderzoek", ReconsiderOn: ptr(at.AddDate(0, 3, 0))},
			},
			{ID: "case-b", Reference: "AM-2026-0002", Municipality: "GM0362", Subjects: []string{"p-b"}, RiskGroups: []casus.RiskGroup{"RADICALISING"},
				Ideology: "OTHER", RiskLevel: "LOW", Phase: "EXECUTION", EscalationLevel: "LOCAL", Summary: "B", OpenedAt: at.Add(time.Hour),
				Interventions: []demo.Intervention{{ID: "int-b", OfferingID: "off-ggd", Status: "PROPOSED", Goal: "g"}},
				Weighings:     []demo.Weighing{weighing("w-b", at)},
				Conferences:   []demo.Conference{conference("conf-b", at, "org-ggd")},
				Goals: []demo.Goal{{ID: "goal-b", Domain: "SAFETY", Description: "Veilig", CreatedAt: at,
					Actions: []demo.Action{{ID: "act-b", ConferenceID: "conf-b", Description: "Gesprek", OrganisationID: "org-ggd", Status: "OPEN"}}}},
				Assessments: []demo.Assessment{{ID: "as-b", Instrument: "ERG22_PLUS", Assessor: "T", On: at, Outcome: "LOW"}},
			},
		},
		Signals: []demo.Signal{
			{ID: "sig-a", Municipality: "GM0358", OrganisationID: "org-jw", Description: "a", Status: "NEW", ReceivedAt: at},
			{ID: "sig-b", Municipality: "GM0362", OrganisationID: "org-jw", Description: "b", Status: "NEW", ReceivedAt: at},
		},
	}
}

// weighing returns a weighing that included its case.
func weighing(id string, at time.Time) demo.Weighing {
	return demo.Weighing{ID: id, Outcome: "INCLUDE", Reasons: "r", WeighedOn: at,
		Members:  []casus.TeamMember{{OrganisationID: "org-gem", Name: "G"}, {OrganisationID: "org-pol", Name: "P"}, {OrganisationID: "org-om", Name: "O"}},
		Criteria: []casus.CriterionCheck{{Code: "IDEOLOGY", Met: true, Explanation: "e"}}}
}

// conference returns a held conference inviting orgs, with an agenda item,
// a contribution and a decision for each, one for nobody, and with more
// than one organisation one decision for all of them.
func conference(id string, at time.Time, orgs ...string) demo.Conference {
	k := demo.Conference{ID: id, Date: at, StartsAt: "10:00", EndsAt: "11:00", Chair: "Voorzitter " + id, Minutes: "verslag " + id,
		Agenda: []casus.AgendaItem{{Title: "algemeen " + id}}, Decisions: []casus.Decision{{Text: "algemeen besluit " + id}}}
	yes := true
	for _, o := range orgs {
		k.Invitations = append(k.Invitations, casus.Invitation{OrganisationID: o, Person: "persoon " + o, Attended: &yes})
		k.Agenda = append(k.Agenda, casus.AgendaItem{Title: "punt " + o, OrganisationID: o})
		k.Contributions = append(k.Contributions, casus.Contribution{OrganisationID: o, Summary: "bijdrage " + o, LegalGround: "Wgs"})
		k.Decisions = append(k.Decisions, casus.Decision{Text: "besluit " + o, OrganisationIDs: []string{o}})
	}
	if len(orgs) > 1 {
		k.Decisions = append(k.Decisions, casus.Decision{Text: "gezamenlijk besluit " + id, OrganisationIDs: orgs})
	}
	return k
}

func ptr[T any](v T) *T { return &v }

var actors = map[string]casus.Actor{
	"coordinator": {ID: "u-coord", Role: casus.RoleCoordinator},
	"director A":  {ID: "dir-a", Role: casus.RoleDirector, Municipalities: []string{"GM0358"}},
	"mayor B":     {ID: "u-mayor-b", Role: casus.RoleMayor, Municipalities: []string{"GM0362"}},
	"analyst A":   {ID: "u-analyst", Role: casus.RoleAnalyst, Municipalities: []string{"GM0358"}},
	"partner JW":  {ID: "u-jw", Role: casus.RolePartner, OrganisationID: "org-jw"},
	"reporter":    {ID: "u-reporter", Role: casus.RoleReporter},
	"auditor":     {ID: "u-auditor", Role: casus.RoleAuditor},
	"dpo":         {ID: "u-dpo", Name: "Functionaris gegevensbescherming", Role: casus.RoleDPO, Municipalities: []string{"GM0358"}},
}

// TestReadScope checks, for every role, exactly which cases, persons,
// signals and interventions it can read, by every way of reading them:
// lists and their totals, direct lookups, node and nodes.
func TestReadScope(t *testing.T) {
	a := newAPI(t, accessRegion())
	all := map[string][]string{
		"Case":         {"case-a", "case-b"},
		"Person":       {"p-a", "p-a-rel", "p-a-con", "p-b", "p-x"},
		"Signal":       {"sig-a", "sig-b"},
		"Intervention": {"int-jw", "int-ggd", "int-b"},
		"PlanAction":   {"act-jw", "act-ggd", "act-b"},
		"Conference":   {"conf-a", "conf-b"},
	}
	want := map[string]map[string][]string{
		"coordinator": all,
		"director A": {"Case": {"case-a"}, "Person": {"p-a", "p-a-rel", "p-a-con", "p-b"}, "Signal": {"sig-a"}, "Intervention": {"int-jw", "int-ggd"},
			"PlanAction": {"act-jw", "act-ggd"}, "Conference": {"conf-a"}},
		"mayor B": {"Case": {"case-b"}, "Person": {"p-b", "p-x", "p-a"}, "Intervention": {"int-b"},
			"PlanAction": {"act-b"}, "Conference": {"conf-b"}},
		"analyst A": {"Case": {"case-a"}, "Person": {"p-a", "p-a-rel", "p-a-con", "p-b"}, "Intervention": {"int-jw", "int-ggd"},
			"PlanAction": {"act-jw", "act-ggd"}, "Conference": {"conf-a"}},
		"partner JW": {"Intervention": {"int-jw"}, "PlanAction": {"act-jw"}, "Conference": {"conf-a"}},
		"reporter":   {},
		"auditor":    {},
	}
	lists := map[string]string{"Case": "cases", "Person": "persons", "Signal": "signals", "Intervention": "interventions",
		"PlanAction": "actions", "Conference": "conferences"}
	// Actions and conferences are reached through lists and their cases,
	// not as nodes: node answers NOT_FOUND for every one of them.
	nodes := map[string]bool{"Case": true, "Person": true, "Signal": true, "Intervention": true}
	lookups := map[string]string{"Case": "case", "Person": "person", "Signal": "signal"}
	for name, actor := range actors {
		t.Run(name, func(t *testing.T) {
			c := a.as(actor)
			for kind, ids := range all {
				visible := want[name][kind]
				for _, id := range ids {
					r := c.do(`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": gid(kind, id)}, nil)
					in := slices.Contains(visible, id) && nodes[kind]
					if in && len(r.Errors) > 0 {
						t.Errorf("node(%s %s): %v, want it visible", kind, id, r.Errors[0].Message)
					}
					if !in {
						if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "NOT_FOUND" {
							t.Errorf("node(%s %s) = %s %+v, want NOT_FOUND", kind, id, r.Data, r.Errors)
						}
					}
				}
				// The direct lookups answer the same as node.
				if lookup, ok := lookups[kind]; ok {
					for _, id := range ids {
						r := c.do(`query($id: ID!) { `+lookup+`(id: $id) { id } }`, map[string]any{"id": gid(kind, id)}, nil)
						in := slices.Contains(visible, id)
						if in == (len(r.Errors) > 0) {
							t.Errorf("%s(%s): %s %+v, visible=%v", lookup, id, r.Data, r.Errors, in)
						}
						if !in && (len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "NOT_FOUND") {
							t.Errorf("%s(%s): %+v, want NOT_FOUND", lookup, id, r.Errors)
						}
					}
				}
				field, ok := lists[kind]
				if !ok {
					continue
				}
				var out map[string]struct {
					TotalCount int
					Edges      []struct{ Node struct{ ID string } }
				}
				r := c.do(`{ `+field+`(first: 100) { totalCount edges { node { id } } } }`, nil, &out)
				if kind == "Case" {
					// caseByReference finds exactly the visible cases.
					for i, id := range ids {
						ref := fmt.Sprintf("AM-2026-%04d", i+1)
						rr := c.do(`query($r: String!) { caseByReference(reference: $r) { id } }`, map[string]any{"r": ref}, nil)
						if slices.Contains(visible, id) == (len(rr.Errors) > 0) {
							t.Errorf("caseByReference(%s): %+v", ref, rr.Errors)
						}
					}
				}
				var got []string
				for _, e := range out[field].Edges {
					got = append(got, e.Node.ID)
				}
				var wantIDs []string
				for _, id := range visible {
					wantIDs = append(wantIDs, gid(kind, id))
				}
				sort.Strings(got)
				sort.Strings(wantIDs)
				if strings.Join(got, ",") != strings.Join(wantIDs, ",") || out[field].TotalCount != len(visible) || len(r.Errors) > 0 {
					t.Errorf("%s: %d %v (%+v), want %v", field, out[field].TotalCount, got, r.Errors, visible)
				}
			}
		})
	}
}

// TestCasePageReadsAlongInScope reads, for every role, a page of cases with
// what its statement reads along (municipality, director and employer,
// subjects, interventions with offering and provider) and each case again on
// its own, loaded object by object: the two must agree, so the page's
// statement shows nobody more than the lookups do.
func TestCasePageReadsAlongInScope(t *testing.T) {
	base := newAPI(t, accessRegion())
	const below = `id reference municipality { code } director { id organisation { id } } subjects { id firstName }
		interventions { id status offering { id provider { id } } }`
	for name, actor := range actors {
		t.Run(name, func(t *testing.T) {
			a := base.as(actor)
			var page struct {
				Cases struct {
					Edges []struct{ Node json.RawMessage }
				}
			}
			r := a.do(`{ cases(first: 50) { edges { node { `+below+` } } } }`, nil, &page)
			if len(r.Errors) > 0 {
				if code, _ := errCode(t, r); code != "FORBIDDEN" {
					t.Fatalf("cases: %s", code)
				}
				return
			}
			if want := map[string]int{"coordinator": 2, "director A": 1, "mayor B": 1, "analyst A": 1}[name]; len(page.Cases.Edges) != want {
				t.Fatalf("%d cases in the page, want %d", len(page.Cases.Edges), want)
			}
			for _, e := range page.Cases.Edges {
				var id struct{ ID string }
				if err := json.Unmarshal(e.Node, &id); err != nil {
					t.Fatal(err)
				}
				var one struct{ Case json.RawMessage }
				a.must(`query($id: ID!) { case(id: $id) { `+below+` } }`, map[string]any{"id": id.ID}, &one)
				if !jsonEqual(t, e.Node, one.Case) {
					t.Errorf("case %s in the page:\n%s\non its own:\n%s", id.ID, e.Node, one.Case)
				}
			}
		})
	}
}

func jsonEqual(t *testing.T, a, b json.RawMessage) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(x, y)
}

// TestTraversalRedacts follows ties out of the caller's scope: the person at
// the far end comes back redacted, and a direct lookup of it is NOT_FOUND.
func TestTraversalRedacts(t *testing.T) {
	a := newAPI(t, accessRegion()).as(actors["director A"])
	var out struct {
		Person struct {
			Contacts []struct {
				From, To struct {
					ID, FirstName string
					Redacted      bool
				}
			}
		}
	}
	a.must(`query($id: ID!) { person(id: $id) { contacts { from { id firstName redacted } to { id firstName redacted } } } }`,
		map[string]any{"id": gid("Person", "p-b")}, &out)
	var redacted, shown []string
	for _, c := range out.Person.Contacts {
		for _, p := range []struct {
			ID, FirstName string
			Redacted      bool
		}{c.From, c.To} {
			if p.Redacted {
				if p.FirstName != "" {
					t.Errorf("redacted person %s shows a name", p.ID)
				}
				redacted = append(redacted, p.ID)
			} else {
				shown = append(shown, p.FirstName)
			}
		}
	}
	// p-x, under a pseudonym of this answer only.
	if len(redacted) != 1 || keyOfGID(redacted[0]) != "~" {
		t.Fatalf("redacted = %v, want only p-x under a pseudonym (shown: %v)", redacted, shown)
	}
	r := a.do(`query($id: ID!) { person(id: $id) { firstName } }`, map[string]any{"id": redacted[0]}, nil)
	if code, _ := errCode(t, r); code != "NOT_FOUND" {
		t.Fatalf("direct lookup of a redacted person: %s", code)
	}
	// A person's relatives, groups and cases obey the same scope.
	var p struct {
		Person struct{ Cases []struct{ Reference string } }
	}
	a.must(`query($id: ID!) { person(id: $id) { cases { reference } } }`, map[string]any{"id": gid("Person", "p-b")}, &p)
	if len(p.Person.Cases) != 0 {
		t.Fatalf("p-b's cases as seen by director A = %v, want none (case-b is out of scope)", p.Person.Cases)
	}
}

// TestWriteScope tries mutations as every role, on targets in and out of
// scope: out of scope is NOT_FOUND, a role without the right is FORBIDDEN,
// and neither changes anything.
func TestWriteScope(t *testing.T) {
	a := newAPI(t, accessRegion())
	advance := func(caseID string) string {
		return fmt.Sprintf(`mutation { advanceCase(input: {case: %q, to: AFTERCARE, reason: "r"}) { case { phase } } }`, gid("Case", caseID))
	}
	start := func(id string) string {
		return fmt.Sprintf(`mutation { startIntervention(input: {intervention: %q}) { intervention { status } } }`, gid("Intervention", id))
	}
	measure := fmt.Sprintf(`mutation { decideMeasure(input: {case: %q, type: AREA_BAN, decision: IMPOSED, reason: "r"}) { measure { id } } }`, gid("Case", "case-b"))
	measureA := fmt.Sprintf(`mutation { decideMeasure(input: {case: %q, type: AREA_BAN, decision: IMPOSED, reason: "r"}) { measure { id } } }`, gid("Case", "case-a"))
	signal := `mutation { submitSignal(input: {municipality: "GM0358", description: "d"}) { signal { id } } }`
	person := `mutation { createPerson(input: {lastName: "Nieuw"}) { person { id } } }`
	tests := []struct {
		actor, name, query, want string // want: "" for success, else the code
	}{
		{"director A", "advance own case", advance("case-a"), ""},
		{"mayor B", "start an intervention", start("int-b"), "FORBIDDEN"},
		{"director A", "advance other municipality's case", advance("case-b"), "NOT_FOUND"},
		{"mayor B", "advance a case", advance("case-b"), "FORBIDDEN"},
		{"mayor B", "decide a measure on own case", measure, ""},
		{"mayor B", "decide a measure on another municipality's case", measureA, "NOT_FOUND"},
		{"coordinator", "decide a measure", measure, "FORBIDDEN"},
		{"analyst A", "create a person", person, "FORBIDDEN"},
		{"analyst A", "advance a case", advance("case-a"), "FORBIDDEN"},
		{"partner JW", "start own organisation's intervention", start("int-jw"), ""},
		{"partner JW", "start another organisation's intervention", start("int-ggd"), "NOT_FOUND"},
		{"partner JW", "advance a case", advance("case-a"), "FORBIDDEN"},
		{"reporter", "submit a signal", signal, ""},
		{"reporter", "create a person", person, "FORBIDDEN"},
		{"auditor", "submit a signal", signal, "FORBIDDEN"},
		{"auditor", "advance a case", advance("case-a"), "FORBIDDEN"},
	}
	for _, tt := range tests {
		r := a.as(actors[tt.actor]).do(tt.query, nil, nil)
		got := ""
		if len(r.Errors) > 0 {
			got, _ = r.Errors[0].Extensions["code"].(string)
		}
		if got != tt.want {
			t.Errorf("%s: %s: got %q (%+v), want %q", tt.actor, tt.name, got, r.Errors, tt.want)
		}
	}
	// The refused advance of case-b changed nothing.
	var b struct{ Case struct{ Phase string } }
	a.must(`query($id: ID!) { case(id: $id) { phase } }`, map[string]any{"id": gid("Case", "case-b")}, &b)
	if b.Case.Phase != "EXECUTION" {
		t.Fatalf("case-b is %s after refused changes", b.Case.Phase)
	}
	// A reporter reads back their own signal, and only that.
	rep := a.as(actors["reporter"])
	var sigs struct{ Signals struct{ TotalCount int } }
	rep.must(`{ signals { totalCount } }`, nil, &sigs)
	if sigs.Signals.TotalCount != 1 {
		t.Fatalf("reporter sees %d signals, want their own one", sigs.Signals.TotalCount)
	}
}

// TestReadsAreLogged reads a person as a director and finds the entry in the
// access log as the auditor; nobody else may read the log.
func TestReadsAreLogged(t *testing.T) {
	a := newAPI(t, accessRegion())
	director := a.as(actors["director A"])
	director.must(`query Dossier($id: ID!) { person(id: $id) { firstName cases { reference } } }`, map[string]any{"id": gid("Person", "p-a")}, nil)
	director.do(`query($id: ID!) { case(id: $id) { reference } }`, map[string]any{"id": gid("Case", "case-b")}, nil) // out of scope
	director.must(`{ municipalities { name } }`, nil, nil)                                                           // no personal data

	auditor := a.as(actors["auditor"])
	var out struct {
		AuditLog struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					Action, Outcome, Operation string
					Objects, Purpose           []string
					Actor                      struct{ ID, Role string }
					RequestID                  string
				}
			}
		}
	}
	auditor.must(`query($u: String!) { auditLog(filter: {user: $u}) { totalCount edges { node { action outcome operation objects purpose actor { id role } requestId } } } }`,
		map[string]any{"u": "dir-a"}, &out)
	if out.AuditLog.TotalCount != 2 {
		t.Fatalf("director's entries = %+v, want the person read and the refused case read", out.AuditLog)
	}
	denied, read := out.AuditLog.Edges[0].Node, out.AuditLog.Edges[1].Node
	if denied.Outcome != casus.OutcomeDenied || read.Outcome != casus.OutcomeSuccess || read.Action != casus.AuditRead ||
		read.Operation != "query Dossier" || !slices.Contains(read.Objects, personObject("p-a")) || !slices.Contains(read.Objects, "Case:case-a") ||
		!slices.Contains(read.Purpose, "case-a") || read.Actor.Role != "DIRECTOR" || read.RequestID == "" {
		t.Fatalf("entries = %+v", out.AuditLog.Edges)
	}
	var byPerson struct{ AuditLog struct{ TotalCount int } }
	auditor.must(`query($p: ID!) { auditLog(filter: {person: $p}) { totalCount } }`, map[string]any{"p": gid("Person", "p-a")}, &byPerson)
	if byPerson.AuditLog.TotalCount != 1 {
		t.Fatalf("entries about p-a = %d, want 1", byPerson.AuditLog.TotalCount)
	}
	for name, actor := range actors {
		if name == "auditor" {
			continue
		}
		r := a.as(actor).do(`{ auditLog { totalCount } }`, nil, nil)
		if code, _ := errCode(t, r); code != "FORBIDDEN" {
			t.Errorf("%s reads the access log: %s", name, code)
		}
	}
	// A write is logged too, with what it created.
	director.must(`mutation { createPerson(input: {lastName: "Nieuw", municipality: "GM0358"}) { person { id } } }`, nil, nil)
	auditor.must(`query($u: String!) { auditLog(first: 1, filter: {user: $u}) { totalCount edges { node { action outcome operation objects purpose actor { id role } requestId } } } }`,
		map[string]any{"u": "dir-a"}, &out)
	if w := out.AuditLog.Edges[0].Node; w.Action != casus.AuditCreate || len(w.Objects) != 1 {
		t.Fatalf("write entry = %+v", w)
	}
	if err := a.db.Ready(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// TestGrantsAndBreakGlass gives a CT officer time-limited access to one case,
// and lets a director break the glass to read a case outside their scope.
func TestGrantsAndBreakGlass(t *testing.T) {
	a := newAPI(t, accessRegion())
	officer := a.as(casus.Actor{ID: "u-ct", Name: "Agent CT", Role: casus.RoleAnalyst})
	read := func(c *api, id string) string {
		r := c.do(`query($id: ID!) { case(id: $id) { reference subjects { firstName } } }`, map[string]any{"id": gid("Case", id)}, nil)
		if len(r.Errors) > 0 {
			code, _ := r.Errors[0].Extensions["code"].(string)
			return code
		}
		return "OK"
	}
	if got := read(officer, "case-b"); got != "NOT_FOUND" {
		t.Fatalf("officer before the grant: %s", got)
	}
	grant := `mutation($c: ID!, $until: DateTime!) { grantCaseAccess(input: {case: $c, user: "u-ct", userName: "Agent CT", until: $until, reason: "Lopend CT-onderzoek"}) { grant { id userName until grantedBy { name } } } }`
	until := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	if code, _ := errCode(t, a.as(actors["director A"]).do(grant, map[string]any{"c": gid("Case", "case-a"), "until": until}, nil)); code != "FORBIDDEN" {
		t.Fatalf("a director granting access: %s", code)
	}
	if code, field := errCode(t, a.do(grant, map[string]any{"c": gid("Case", "case-b"), "until": "2020-01-01T00:00:00Z"}, nil)); code != "INVALID" || field != "until" {
		t.Fatalf("a grant in the past: %s %s", code, field)
	}
	a.must(grant, map[string]any{"c": gid("Case", "case-b"), "until": until}, nil)
	if got := read(officer, "case-b"); got != "OK" {
		t.Fatalf("officer with a grant: %s", got)
	}
	if got := read(officer, "case-a"); got != "NOT_FOUND" {
		t.Fatalf("the grant opened another case: %s", got)
	}
	var shown struct {
		Case struct{ Grants []struct{ UserName string } }
	}
	a.must(`query($id: ID!) { case(id: $id) { grants { userName } } }`, map[string]any{"id": gid("Case", "case-b")}, &shown)
	if len(shown.Case.Grants) != 1 || shown.Case.Grants[0].UserName != "Agent CT" {
		t.Fatalf("grants on the case = %+v", shown.Case.Grants)
	}
	// The grant expires by itself.
	if _, err := neo4jtest.Exec(t, "MATCH (g:Grant) SET g.until = datetime() - duration('PT1M')"); err != nil {
		t.Fatal(err)
	}
	if got := read(officer, "case-b"); got != "NOT_FOUND" {
		t.Fatalf("officer after the grant expired: %s", got)
	}

	// Break-glass.
	director := a.as(actors["director A"])
	if got := read(director, "case-b"); got != "NOT_FOUND" {
		t.Fatalf("director outside scope: %s", got)
	}
	if got := read(director.with("Casusnet-Break-Glass", "Acute dreiging, politie vraagt om overleg"), "case-b"); got != "OK" {
		t.Fatalf("director breaking the glass: %s", got)
	}
	if got := read(director.with("Casusnet-Break-Glass", "kort"), "case-b"); got != "INVALID" {
		t.Fatalf("break-glass without a real reason: %s", got)
	}
	if got := read(a.as(actors["mayor B"]).with("Casusnet-Break-Glass", "Acute dreiging in de gemeente"), "case-a"); got != "FORBIDDEN" {
		t.Fatalf("a mayor breaking the glass: %s", got)
	}
	r := director.with("Casusnet-Break-Glass", "Acute dreiging, politie vraagt om overleg").
		do(`mutation($c: ID!) { advanceCase(input: {case: $c, to: CASE_CONFERENCE, reason: "r"}) { case { phase } } }`, map[string]any{"c": gid("Case", "case-b")}, nil)
	if code, _ := errCode(t, r); code != "FORBIDDEN" {
		t.Fatalf("a write with break-glass: %s", code)
	}
	var flagged struct {
		AuditLog struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					BreakGlassReason string
					Objects          []string
				}
			}
		}
	}
	a.as(actors["auditor"]).must(`{ auditLog(filter: {breakGlass: true}) { totalCount edges { node { breakGlassReason objects } } } }`, nil, &flagged)
	// The read and the refused write are both flagged.
	if flagged.AuditLog.TotalCount != 2 || !strings.HasPrefix(flagged.AuditLog.Edges[0].Node.BreakGlassReason, "Acute dreiging") ||
		!slices.Contains(flagged.AuditLog.Edges[1].Node.Objects, "Case:case-b") {
		t.Fatalf("flagged entries = %+v", flagged.AuditLog)
	}
}

// TestPartnerSeesOnlyTheirInterventions lists interventions as a partner:
// only those given to their organisation, with the subjects' names and no
// case.
func TestPartnerSeesOnlyTheirInterventions(t *testing.T) {
	a := newAPI(t, accessRegion())
	var out struct {
		Interventions struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					ID           string
					SubjectNames []string
					Case         *struct{ Reference string }
					Offering     struct{ Name string }
				}
			}
		}
	}
	a.as(actors["partner JW"]).must(`{ interventions { totalCount edges { node { id subjectNames case { reference } offering { name } } } } }`, nil, &out)
	if out.Interventions.TotalCount != 1 {
		t.Fatalf("partner sees %d interventions, want their one", out.Interventions.TotalCount)
	}
	n := out.Interventions.Edges[0].Node
	if n.ID != gid("Intervention", "int-jw") || n.Case != nil || strings.Join(n.SubjectNames, ",") != "Anna A" || n.Offering.Name != "Mentor" {
		t.Fatalf("partner's intervention = %+v", n)
	}
	a.must(`{ interventions { totalCount } }`, nil, &out)
	if out.Interventions.TotalCount != 3 {
		t.Fatalf("coordinator sees %d interventions, want 3", out.Interventions.TotalCount)
	}
	a.as(actors["reporter"]).must(`{ interventions { totalCount } }`, nil, &out)
	if out.Interventions.TotalCount != 0 {
		t.Fatalf("reporter sees %d interventions", out.Interventions.TotalCount)
	}
}
