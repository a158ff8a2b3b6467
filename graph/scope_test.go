package graph_test

import (
	"strings"
	"testing"
	"time"

	"casusnet/internal/casus"
	"casusnet/internal/demo"
)

// probeRegion is the outside probe's region: a Diemen director who directs
// nothing and serves only Diemen, a Diemen case about d1, and Amsterdam's
// people around it. d1's contacts a1 (Amsterdam) and n1 (residence unknown)
// are readable to Diemen; a2 (a1's contact), a3 (an Amsterdam subject) and
// the Amsterdam group are not.
func probeRegion() demo.Data {
	at := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	tie := func(from, to string) demo.Contact {
		return demo.Contact{From: from, To: to, Network: "INFORMAL", Role: "FRIEND", Source: "politie", Confidence: 0.8}
	}
	return demo.Data{
		Municipalities: []demo.Municipality{{Code: "GM0384", Name: "Diemen"}, {Code: "GM0363", Name: "Amsterdam"}},
		Organisations: []demo.Organisation{
			{ID: "org-avz", Name: "AVZ", Type: "OTHER", ProvidesDirectors: true},
			{ID: "org-jw", Name: "Jongerenwerk", Type: "YOUTH_WORK", ProvidesInterventions: true},
		},
		Directors: []demo.Director{
			{ID: "dir-diemen", Name: "Regisseur Diemen", OrganisationID: "org-avz", Municipalities: []string{"GM0384"}, Capacity: 5},
			{ID: "dir-am", Name: "Regisseur Amsterdam", OrganisationID: "org-avz", Municipalities: []string{"GM0363"}, Capacity: 5},
		},
		Persons: []demo.Person{
			{ID: "d1", FirstName: "Daan", LastName: "Diemen", Municipality: "GM0384"},
			{ID: "d2", FirstName: "Dirk", LastName: "Diemen", Municipality: "GM0384"},
			{ID: "a1", FirstName: "Anna", LastName: "Amsterdam", Municipality: "GM0363"},
			{ID: "a2", FirstName: "Aisha", LastName: "Terugkeerder", Municipality: "GM0363", Notes: "geheim"},
			{ID: "a3", FirstName: "Adam", LastName: "Amsterdam", Municipality: "GM0363"},
			{ID: "n1", FirstName: "Noor", LastName: "Onbekend"},
		},
		Contacts: []demo.Contact{tie("d1", "a1"), tie("d1", "n1"), tie("a1", "a2")},
		Groups:   []demo.Group{{ID: "g-a", Name: "Groep Amsterdam", Members: []string{"a2", "a3"}}},
		Cases: []demo.Case{
			{ID: "case-d", Reference: "DI-2026-0001", Municipality: "GM0384", Subjects: []string{"d1"}, RiskGroups: []casus.RiskGroup{"RADICALISING"},
				Ideology: "OTHER", RiskLevel: "LOW", Phase: "EXECUTION", EscalationLevel: "LOCAL", Summary: "D", OpenedAt: at},
			{ID: "case-a", Reference: "AM-2026-0001", Municipality: "GM0363", Subjects: []string{"a3"}, RiskGroups: []casus.RiskGroup{"RADICALISING"},
				Ideology: "OTHER", RiskLevel: "LOW", Phase: "EXECUTION", EscalationLevel: "LOCAL", DirectorID: "dir-am", Summary: "A", OpenedAt: at},
		},
		Signals: []demo.Signal{
			{ID: "sig-a", ReporterName: "M. Melder", Municipality: "GM0363", OrganisationID: "org-jw", Description: "a", Status: "CASE_OPENED", ReceivedAt: at, About: []string{"a3"}, CaseID: "case-a"},
		},
	}
}

var (
	diemenDirector = casus.Actor{ID: "dir-diemen", Role: casus.RoleDirector, Municipalities: []string{"GM0384"}}
	diemenMayor    = casus.Actor{ID: "u-mayor-diemen", Role: casus.RoleMayor, Municipalities: []string{"GM0384"}}
	diemenAnalyst  = casus.Actor{ID: "u-analyst-diemen", Role: casus.RoleAnalyst, Municipalities: []string{"GM0384"}}
)

// refusal is the one error of a refused request: its code and message.
func refusal(t *testing.T, r response) (code, message string) {
	t.Helper()
	if len(r.Errors) != 1 {
		t.Fatalf("want one error, got %+v (data %s)", r.Errors, r.Data)
	}
	code, _ = r.Errors[0].Extensions["code"].(string)
	return code, r.Errors[0].Message
}

// readable reports whether actor can look person id up.
func readable(a *api, actor casus.Actor, id string) bool {
	r := a.as(actor).do(`query($id: ID!) { person(id: $id) { id } }`, map[string]any{"id": gid("Person", id)}, nil)
	return len(r.Errors) == 0
}

// TestNoWriteWidensScopeOverGraphQL replays the outside probe's routes as
// the Diemen director: each write that names someone outside the caller's
// scope is refused with the same answer as a write that names nobody, and
// afterwards neither the director nor the Diemen mayor and analyst read
// anyone new.
func TestNoWriteWidensScopeOverGraphQL(t *testing.T) {
	a := newAPI(t, probeRegion())
	dir := a.as(diemenDirector)
	const relate = `mutation($p: ID!, $r: ID!) { relatePersons(input: {person: $p, relative: $r, kind: SIBLING}) { person { id } } }`
	const contact = `mutation($f: ID!, $t: ID!) { addNetworkContact(input: {from: $f, to: $t, network: INFORMAL, role: FRIEND, source: "x", confidence: 1}) { contact { to { fullName birthDate notes } } } }`
	const unrelate = `mutation($p: ID!, $r: ID!) { unrelatePersons(input: {person: $p, relative: $r}) { person { id } } }`
	const open = `mutation($in: OpenCaseInput!) { openCase(input: $in) { case { id subjects { id } } } }`
	const signal = `mutation($about: [ID!]) { submitSignal(input: {municipality: "GM0384", description: "x", about: $about}) { signal { id } } }`
	const group = `mutation($m: [ID!]!) { createGroup(input: {name: "g", members: $m}) { group { id } } }`
	caseIn := func(extra map[string]any) map[string]any {
		in := map[string]any{"municipality": "GM0384", "summary": "s", "riskGroups": []string{"RADICALISING"}, "ideology": "OTHER", "riskLevel": "LOW"}
		for k, v := range extra {
			in[k] = v
		}
		return map[string]any{"in": in}
	}
	foreign, unknown := gid("Person", "a2"), gid("Person", "nobody")
	routes := []struct {
		name  string
		query string
		vars  func(id string) map[string]any
	}{
		{"relatePersons", relate, func(id string) map[string]any { return map[string]any{"p": gid("Person", "d1"), "r": id} }},
		{"relatePersons reversed", relate, func(id string) map[string]any { return map[string]any{"p": id, "r": gid("Person", "d1")} }},
		{"unrelatePersons", unrelate, func(id string) map[string]any { return map[string]any{"p": gid("Person", "d1"), "r": id} }},
		{"addNetworkContact", contact, func(id string) map[string]any { return map[string]any{"f": gid("Person", "d1"), "t": id} }},
		{"addNetworkContact reversed", contact, func(id string) map[string]any { return map[string]any{"f": id, "t": gid("Person", "d1")} }},
		{"openCase subjects", open, func(id string) map[string]any { return caseIn(map[string]any{"subjects": []string{id}}) }},
		{"submitSignal about", signal, func(id string) map[string]any { return map[string]any{"about": []string{id}} }},
		{"createGroup members", group, func(id string) map[string]any { return map[string]any{"m": []string{gid("Person", "d1"), id}} }},
	}
	for _, rt := range routes {
		t.Run(rt.name, func(t *testing.T) {
			code, msg := refusal(t, dir.do(rt.query, rt.vars(foreign), nil))
			code2, msg2 := refusal(t, dir.do(rt.query, rt.vars(unknown), nil))
			if code != "NOT_FOUND" || code != code2 || msg != msg2 {
				t.Fatalf("foreign answers %s %q, unknown answers %s %q: want the same NOT_FOUND", code, msg, code2, msg2)
			}
			if strings.Contains(msg, "a2") || strings.Contains(msg, "nobody") {
				t.Fatalf("the refusal names the id: %q", msg)
			}
		})
	}
	t.Run("openCase group", func(t *testing.T) {
		code, msg := refusal(t, dir.do(open, caseIn(map[string]any{"group": gid("Group", "g-a")}), nil))
		code2, msg2 := refusal(t, dir.do(open, caseIn(map[string]any{"group": gid("Group", "g-none")}), nil))
		if code != "NOT_FOUND" || code != code2 || msg != msg2 {
			t.Fatalf("foreign group answers %s %q, unknown %s %q", code, msg, code2, msg2)
		}
	})
	t.Run("openCase signals", func(t *testing.T) {
		code, msg := refusal(t, dir.do(open, caseIn(map[string]any{"signals": []string{gid("Signal", "sig-a")}}), nil))
		code2, msg2 := refusal(t, dir.do(open, caseIn(map[string]any{"signals": []string{gid("Signal", "sig-none")}}), nil))
		if code != "NOT_FOUND" || code != code2 || msg != msg2 {
			t.Fatalf("foreign signal answers %s %q, unknown %s %q", code, msg, code2, msg2)
		}
	})
	// The hop: a1 is readable (d1's contact) but lives in Amsterdam, n1's
	// residence is unknown; neither can become a Diemen subject, and the
	// director cannot move a1 to Diemen first.
	t.Run("hop", func(t *testing.T) {
		for _, id := range []string{"a1", "n1"} {
			if !readable(a, diemenDirector, id) {
				t.Fatalf("%s should be readable as d1's contact", id)
			}
			if code, msg := refusal(t, dir.do(open, caseIn(map[string]any{"subjects": []string{gid("Person", id)}}), nil)); code != "INVALID" {
				t.Fatalf("case about %s: %s %q, want INVALID", id, code, msg)
			}
		}
		const move = `mutation($p: ID!) { updatePerson(input: {person: $p, municipality: "GM0384"}) { person { id } } }`
		if code, msg := refusal(t, dir.do(move, map[string]any{"p": gid("Person", "a1")}, nil)); code != "INVALID" && code != "FORBIDDEN" {
			t.Fatalf("moving a1 to Diemen: %s %q", code, msg)
		}
	})
	for _, actor := range []casus.Actor{diemenDirector, diemenMayor, diemenAnalyst} {
		for _, id := range []string{"a2", "a3"} {
			if readable(a, actor, id) {
				t.Errorf("%s reads %s after the probe", actor.ID, id)
			}
		}
	}
}

// TestMissingMunicipalitiesClaimSeesNothing: a director, mayor or analyst
// token without a municipalities claim sees no figures at all, not the
// region's.
func TestMissingMunicipalitiesClaimSeesNothing(t *testing.T) {
	a := newAPI(t, probeRegion())
	const q = `query($from: DateTime!, $to: DateTime!) {
		dashboard { municipalities { code } openCases }
		processFigures(from: $from, to: $to) { registered phases { current } }
		trainings { id } }`
	vars := map[string]any{"from": "2020-01-01T00:00:00Z", "to": "2030-01-01T00:00:00Z"}
	type figures struct {
		Dashboard struct {
			Municipalities []struct{ Code string }
			OpenCases      int
		}
		ProcessFigures struct {
			Registered int
			Phases     []struct{ Current int }
		}
		Trainings []struct{ ID string }
	}
	seen := func(f figures) int {
		n := len(f.Dashboard.Municipalities) + f.Dashboard.OpenCases + f.ProcessFigures.Registered + len(f.Trainings)
		for _, p := range f.ProcessFigures.Phases {
			n += p.Current
		}
		return n
	}
	var full figures
	a.as(diemenMayor).must(q, vars, &full)
	if len(full.Dashboard.Municipalities) != 1 || full.Dashboard.Municipalities[0].Code != "GM0384" || full.Dashboard.OpenCases != 1 {
		t.Fatalf("the Diemen mayor's dashboard: %+v", full.Dashboard)
	}
	for _, role := range []string{casus.RoleDirector, casus.RoleMayor, casus.RoleAnalyst} {
		var out figures
		r := a.as(casus.Actor{ID: "u-claimless", Role: role}).do(q, vars, &out)
		if seen(out) != 0 {
			t.Errorf("%s without a claim sees %+v (errors %+v)", role, out, r.Errors)
		}
	}
}

// TestCaseSignalsFollowTheSignalScope: who may not look a signal up may not
// read it, or its reporter, under its case either.
func TestCaseSignalsFollowTheSignalScope(t *testing.T) {
	a := newAPI(t, probeRegion())
	amsterdamMayor := casus.Actor{ID: "u-mayor-am", Role: casus.RoleMayor, Municipalities: []string{"GM0363"}}
	const q = `query($id: ID!) { case(id: $id) { signals { id reporterName } } }`
	var out struct {
		Case struct{ Signals []struct{ ID string } }
	}
	a.as(amsterdamMayor).must(q, map[string]any{"id": gid("Case", "case-a")}, &out)
	if len(out.Case.Signals) != 0 {
		t.Fatalf("the mayor reads the case's signals: %+v", out.Case.Signals)
	}
	if r := a.as(amsterdamMayor).do(`query($id: ID!) { signal(id: $id) { id } }`, map[string]any{"id": gid("Signal", "sig-a")}, nil); len(r.Errors) == 0 {
		t.Fatal("the mayor looks the signal up")
	}
	a.must(q, map[string]any{"id": gid("Case", "case-a")}, &out)
	if len(out.Case.Signals) != 1 {
		t.Fatalf("the coordinator reads %d signals, want 1", len(out.Case.Signals))
	}
}

// TestDirectorLoadCountsOnlyCasesInScope: a Diemen mayor who may read the
// Amsterdam director (say, through a suggestion) does not learn how many
// Amsterdam cases they direct.
func TestDirectorLoadCountsOnlyCasesInScope(t *testing.T) {
	a := newAPI(t, probeRegion())
	const q = `query($id: ID!) { node(id: $id) { ... on Director { openCaseCount openCases { id } } } }`
	var out struct {
		Node struct {
			OpenCaseCount int
			OpenCases     []struct{ ID string }
		}
	}
	r := a.as(diemenMayor).do(q, map[string]any{"id": gid("Director", "dir-am")}, &out)
	if len(r.Errors) == 0 && (out.Node.OpenCaseCount != 0 || len(out.Node.OpenCases) != 0) {
		t.Fatalf("the Diemen mayor counts %d of dir-am's cases", out.Node.OpenCaseCount)
	}
	a.must(q, map[string]any{"id": gid("Director", "dir-am")}, &out)
	if out.Node.OpenCaseCount != 1 {
		t.Fatalf("the coordinator counts %d, want 1", out.Node.OpenCaseCount)
	}
}

// TestGroupReplayRereadsInScope: retrying createGroup with its key after a
// member left the caller's scope answers NOT_FOUND, not the member.
func TestGroupReplayRereadsInScope(t *testing.T) {
	a := newAPI(t, probeRegion())
	dir := a.as(diemenDirector)
	const group = `mutation($m: [ID!]!) { createGroup(input: {name: "g", members: $m, idempotencyKey: "k-1"}) { group { id members { id fullName } } } }`
	vars := map[string]any{"m": []string{gid("Person", "d1"), gid("Person", "d2")}}
	dir.must(group, vars, nil)
	// The coordinator records that d2 moved to Amsterdam: Diemen no longer
	// reads them.
	a.must(`mutation($p: ID!) { updatePerson(input: {person: $p, municipality: "GM0363"}) { person { id } } }`, map[string]any{"p": gid("Person", "d2")}, nil)
	if readable(a, diemenMayor, "d2") {
		t.Fatal("the Diemen mayor still reads d2")
	}
	var out struct {
		CreateGroup struct {
			Group struct{ Members []struct{ FullName string } }
		}
	}
	r := dir.do(group, vars, &out)
	for _, m := range out.CreateGroup.Group.Members {
		if strings.Contains(m.FullName, "Dirk") {
			t.Fatalf("the replay hands out d2: %+v", out)
		}
	}
	if len(r.Errors) > 0 {
		if code, _ := refusal(t, r); code != "NOT_FOUND" {
			t.Fatalf("replay: %s", code)
		}
	}
}

// TestRedactedIsLevelZero: a person outside the caller's scope whom a
// traversal or a tie reaches shows only that someone is there, under a
// pseudonym of that one answer; the ties to them carry no facts.
func TestRedactedIsLevelZero(t *testing.T) {
	a := newAPI(t, probeRegion())
	dir := a.as(diemenDirector)
	const q = `query($from: [ID!]!, $a1: ID!) {
		network(from: $from, depth: 2) {
			nodes { id redacted label }
			edges { id from to kind network source confidence since } }
		person(id: $a1) { contacts { id from { id } to { id redacted } network role source confidence since } } }`
	type answer struct {
		Network struct {
			Nodes []struct {
				ID       string
				Redacted bool
				Label    *string
			}
			Edges []struct {
				ID, From, To                 string
				Kind, Network, Source, Since *string
				Confidence                   *float64
			}
		}
		Person struct {
			Contacts []struct {
				ID   string
				From struct{ ID string }
				To   struct {
					ID       string
					Redacted bool
				}
				Network, Role, Source, Since *string
				Confidence                   *float64
			}
		}
	}
	vars := map[string]any{"from": []string{gid("Person", "d1")}, "a1": gid("Person", "a1")}
	var first, second answer
	dir.must(q, vars, &first)
	dir.must(q, vars, &second)
	hidden := func(x answer) string {
		for _, n := range x.Network.Nodes {
			if n.Redacted {
				return n.ID
			}
		}
		return ""
	}
	h := hidden(first)
	if h == "" || h == gid("Person", "a2") || h == hidden(second) {
		t.Fatalf("the hidden person's ids in two answers: %q and %q", h, hidden(second))
	}
	for _, e := range first.Network.Edges {
		if e.From != h && e.To != h {
			continue
		}
		if e.Kind != nil || e.Network != nil || e.Source != nil || e.Confidence != nil || e.Since != nil {
			t.Errorf("a tie to the hidden person carries facts: %+v", e)
		}
	}
	var tieToHidden bool
	for _, c := range first.Person.Contacts {
		if !c.To.Redacted {
			continue
		}
		tieToHidden = true
		if c.To.ID != h || c.Network != nil || c.Role != nil || c.Source != nil || c.Confidence != nil || c.Since != nil {
			t.Errorf("a1's contact to the hidden person: %+v (the network calls them %s)", c, h)
		}
	}
	if !tieToHidden {
		t.Fatal("a1's contacts do not show the tie to the hidden person")
	}
	// A pseudonym opens nothing.
	if code, _ := refusal(t, dir.do(`query($id: ID!) { person(id: $id) { id } }`, map[string]any{"id": h}, nil)); code != "NOT_FOUND" {
		t.Fatalf("looking the pseudonym up: %s", code)
	}
	// Who may read a2 sees the tie's facts.
	var full answer
	a.must(q, vars, &full)
	if hidden(full) != "" {
		t.Fatalf("the coordinator sees a hidden node: %+v", full.Network.Nodes)
	}
}
