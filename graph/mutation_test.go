package graph_test

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"casusnet/internal/casus"
	"casusnet/internal/demo"
)

func gid(kind, key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + key))
}

// smallRegion is one municipality with a director, an offering and persons.
func smallRegion() demo.Data {
	return demo.Data{
		Municipalities: []demo.Municipality{{Code: "GM0451", Name: "Uithoorn", Inhabitants: 31500, Mayor: "P. Burgemeester"}},
		Organisations: []demo.Organisation{
			{ID: "org-avz", Name: "AVZ", Type: "OTHER", ProvidesDirectors: true},
			{ID: "org-jw", Name: "Jongerenwerk", Type: "YOUTH_WORK", ProvidesInterventions: true},
			{ID: "org-gem", Name: "Gemeente", Type: "MUNICIPALITY_OOV"},
			{ID: "org-pol", Name: "Politie", Type: "POLICE"},
			{ID: "org-om", Name: "OM", Type: "PUBLIC_PROSECUTOR"},
		},
		Directors: []demo.Director{{ID: "dir-1", Name: "R. Regisseur", OrganisationID: "org-avz", Municipalities: []string{"GM0451"}, Capacity: 5}},
		Offerings: []demo.Offering{{ID: "off-1", ProviderID: "org-jw", Name: "Mentoraat", TargetRiskGroups: []casus.RiskGroup{"RADICALISING"}}},
		Persons: []demo.Person{
			{ID: "p-1", FirstName: "Yara", LastName: "Voorbeeld", Municipality: "GM0451"},
			{ID: "p-2", FirstName: "Omar", LastName: "Voorbeeld", Municipality: "GM0451"},
		},
	}
}

// errCode returns the code and field of the only error of r.
func errCode(t *testing.T, r response) (string, string) {
	t.Helper()
	if len(r.Errors) != 1 {
		t.Fatalf("errors = %+v, want one", r.Errors)
	}
	code, _ := r.Errors[0].Extensions["code"].(string)
	field, _ := r.Errors[0].Extensions["field"].(string)
	return code, field
}

// TestEveryMutationThroughGraphQL runs each mutation once as it should be
// used and once with bad input, through the API, against the real Neo4j.
func TestEveryMutationThroughGraphQL(t *testing.T) {
	a := newAPI(t, smallRegion())
	p1, p2 := gid("Person", "p-1"), gid("Person", "p-2")

	expect := func(name, query string, vars map[string]any, code, field string) {
		t.Helper()
		r := a.do(query, vars, nil)
		got, gotField := errCode(t, r)
		if got != code || (field != "" && gotField != field) {
			t.Fatalf("%s: error %s on %q (%s), want %s on %q", name, got, gotField, r.Errors[0].Message, code, field)
		}
	}

	// submitSignal / dismissSignal
	var sig struct {
		SubmitSignal struct{ Signal struct{ ID, Status string } }
	}
	a.must(`mutation($p: ID!) { submitSignal(input: {municipality: "GM0451", description: "Deelt filmpjes", indicators: ["ONLINE_PROPAGANDA"], about: [$p], idempotencyKey: "s1"}) { signal { id status } } }`,
		map[string]any{"p": p2}, &sig)
	if sig.SubmitSignal.Signal.Status != "NEW" {
		t.Fatalf("submitted signal = %+v", sig)
	}
	expect("submitSignal", `mutation { submitSignal(input: {municipality: "GM0451", description: " "}) { signal { id } } }`, nil, "INVALID", "description")
	var other struct {
		SubmitSignal struct{ Signal struct{ ID string } }
	}
	a.must(`mutation { submitSignal(input: {municipality: "GM0451", description: "Loos alarm"}) { signal { id } } }`, nil, &other)
	var dismissed struct {
		DismissSignal struct {
			Signal struct{ Status, DismissReason string }
		}
	}
	a.must(`mutation($s: ID!) { dismissSignal(input: {signal: $s, reason: "Geen radicalisering"}) { signal { status dismissReason } } }`,
		map[string]any{"s": other.SubmitSignal.Signal.ID}, &dismissed)
	if dismissed.DismissSignal.Signal.Status != "DISMISSED" {
		t.Fatalf("dismissed = %+v", dismissed)
	}
	expect("dismissSignal", `mutation($s: ID!) { dismissSignal(input: {signal: $s, reason: "nog eens"}) { signal { id } } }`,
		map[string]any{"s": other.SubmitSignal.Signal.ID}, "INVALID", "")

	// openCase from the signal and a person
	var opened struct {
		OpenCase struct {
			Case struct {
				ID, Phase string
				Version   int
				Subjects  []struct{ ID string }
				Signals   []struct{ Status string }
			}
		}
	}
	a.must(`mutation($s: ID!, $p: ID!) { openCase(input: {municipality: "GM0451", signals: [$s], subjects: [$p], summary: "Zorgen", riskGroups: [RADICALISING], ideology: RIGHT_WING, riskLevel: MEDIUM}) {
		case { id phase version subjects { id } signals { status } } } }`,
		map[string]any{"s": sig.SubmitSignal.Signal.ID, "p": p1}, &opened)
	c := opened.OpenCase.Case
	if c.Phase != "REGISTERED" || len(c.Subjects) != 2 || len(c.Signals) != 1 || c.Signals[0].Status != "CASE_OPENED" {
		t.Fatalf("opened = %+v", c)
	}
	expect("openCase", `mutation { openCase(input: {municipality: "GM0451", subjects: ["bm9wZQ"], summary: "x", riskGroups: [RADICALISING], ideology: OTHER, riskLevel: LOW}) { case { id } } }`,
		nil, "INVALID", "subjects")

	caseVars := func(extra map[string]any) map[string]any {
		v := map[string]any{"c": c.ID}
		for k, x := range extra {
			v[k] = x
		}
		return v
	}
	// assignDirector, advanceCase, escalate/deescalate, scheduleReview
	a.must(`mutation($c: ID!, $d: ID!) { assignDirector(input: {case: $c, director: $d}) { case { director { name } } } }`,
		caseVars(map[string]any{"d": gid("Director", "dir-1")}), nil)
	expect("assignDirector", `mutation($c: ID!) { assignDirector(input: {case: $c, director: "bm9wZQ"}) { case { id } } }`, caseVars(nil), "INVALID", "director")
	expect("advanceCase illegal", `mutation($c: ID!) { advanceCase(input: {case: $c, to: EXECUTION, reason: "te snel"}) { case { id } } }`, caseVars(nil), "INVALID", "to")
	a.must(`mutation($c: ID!) { advanceCase(input: {case: $c, to: ASSESSMENT, reason: "verder"}) { case { phase } } }`, caseVars(nil), nil)
	walkToActionPlan(t, a, c.ID)
	a.must(`mutation($c: ID!) { escalateCase(input: {case: $c, reason: "ernstiger", criteria: [{code: "MULTIPLE_MUNICIPALITIES", explanation: "netwerk in twee gemeenten"}]}) { case { escalationLevel } } }`, caseVars(nil), nil)
	a.must(`mutation($c: ID!) { deescalateCase(input: {case: $c, reason: "minder ernstig", criteria: [{code: "LOCAL_SUFFICES", explanation: "gemeente kan het weer"}]}) { case { escalationLevel } } }`, caseVars(nil), nil)
	expect("deescalateCase", `mutation($c: ID!) { deescalateCase(input: {case: $c, reason: "nog lager", criteria: [{code: "LOCAL_SUFFICES", explanation: "x"}]}) { case { id } } }`, caseVars(nil), "INVALID", "to")
	expect("stale version", `mutation($c: ID!) { escalateCase(input: {case: $c, reason: "x", expectedVersion: 1, criteria: [{code: "MULTIPLE_MUNICIPALITIES", explanation: "x"}]}) { case { id } } }`, caseVars(nil), "CONFLICT", "")
	on := time.Now().AddDate(0, 1, 0).Format(time.DateOnly)
	var reviewed struct {
		ScheduleReview struct{ Case struct{ NextReview string } }
	}
	a.must(`mutation($c: ID!, $on: Date!) { scheduleReview(input: {case: $c, on: $on}) { case { nextReview } } }`, caseVars(map[string]any{"on": on}), &reviewed)
	if reviewed.ScheduleReview.Case.NextReview != on {
		t.Fatalf("nextReview = %q, want %s", reviewed.ScheduleReview.Case.NextReview, on)
	}
	expect("scheduleReview bad date", `mutation($c: ID!) { scheduleReview(input: {case: $c, on: "morgen"}) { case { id } } }`, caseVars(nil), "INVALID", "")

	// persons, ties, groups
	var created struct {
		CreatePerson struct{ Person struct{ ID, FullName string } }
	}
	a.must(`mutation { createPerson(input: {firstName: "Lotte", lastName: "Nieuw", birthDate: "2008-05-01", municipality: "GM0451", idempotencyKey: "np"}) { person { id fullName } } }`, nil, &created)
	if created.CreatePerson.Person.FullName != "Lotte Nieuw" {
		t.Fatalf("created = %+v", created)
	}
	expect("createPerson", `mutation { createPerson(input: {lastName: ""}) { person { id } } }`, nil, "INVALID", "lastName")
	np := created.CreatePerson.Person.ID
	a.must(`mutation($p: ID!) { updatePerson(input: {person: $p, notes: "Zus van Yara", aliases: ["L."]}) { person { notes aliases version } } }`, map[string]any{"p": np}, nil)
	expect("updatePerson stale", `mutation($p: ID!) { updatePerson(input: {person: $p, notes: "x", expectedVersion: 1}) { person { id } } }`, map[string]any{"p": np}, "CONFLICT", "")
	var related struct {
		RelatePersons struct {
			Person struct {
				Relatives []struct {
					Kind   string
					Person struct{ ID string }
				}
			}
		}
	}
	a.must(`mutation($p: ID!, $r: ID!) { relatePersons(input: {person: $p, relative: $r, kind: SIBLING}) { person { relatives { kind person { id } } } } }`,
		map[string]any{"p": p1, "r": np}, &related)
	if rs := related.RelatePersons.Person.Relatives; len(rs) != 1 || rs[0].Kind != "SIBLING" || rs[0].Person.ID != np {
		t.Fatalf("relatives = %+v", rs)
	}
	expect("relatePersons self", `mutation($p: ID!) { relatePersons(input: {person: $p, relative: $p, kind: SIBLING}) { person { id } } }`, map[string]any{"p": p1}, "INVALID", "relative")
	a.must(`mutation($p: ID!, $r: ID!) { unrelatePersons(input: {person: $p, relative: $r}) { person { relatives { kind } } } }`, map[string]any{"p": p1, "r": np}, nil)
	expect("unrelatePersons none", `mutation($p: ID!, $r: ID!) { unrelatePersons(input: {person: $p, relative: $r}) { person { id } } }`, map[string]any{"p": p1, "r": np}, "NOT_FOUND", "")
	var contact struct {
		AddNetworkContact struct{ Contact struct{ ID, Role string } }
	}
	a.must(`mutation($p: ID!, $r: ID!) { addNetworkContact(input: {from: $p, to: $r, network: INFORMAL, role: FRIEND, source: "jongerenwerk", confidence: 0.8}) { contact { id role } } }`,
		map[string]any{"p": p1, "r": p2}, &contact)
	expect("addNetworkContact", `mutation($p: ID!, $r: ID!) { addNetworkContact(input: {from: $p, to: $r, network: INFORMAL, role: FRIEND, source: "x", confidence: 1.5}) { contact { id } } }`,
		map[string]any{"p": p1, "r": p2}, "INVALID", "confidence")
	a.must(`mutation($c: ID!) { removeNetworkContact(input: {contact: $c}) { contact { role } } }`, map[string]any{"c": contact.AddNetworkContact.Contact.ID}, nil)
	expect("removeNetworkContact again", `mutation($c: ID!) { removeNetworkContact(input: {contact: $c}) { contact { id } } }`, map[string]any{"c": contact.AddNetworkContact.Contact.ID}, "NOT_FOUND", "")
	a.must(`mutation($p: ID!, $r: ID!) { createGroup(input: {name: "Appgroep", members: [$p, $r]}) { group { members { id } } } }`, map[string]any{"p": p1, "r": p2}, nil)
	expect("createGroup", `mutation { createGroup(input: {name: "Leeg", members: []}) { group { id } } }`, nil, "INVALID", "members")

	// interventions and measures
	var proposed struct {
		ProposeIntervention struct{ Intervention struct{ ID, Status string } }
	}
	a.must(`mutation($c: ID!, $o: ID!) { proposeIntervention(input: {case: $c, offering: $o, goal: "Andere vrienden"}) { intervention { id status } } }`,
		caseVars(map[string]any{"o": gid("InterventionOffering", "off-1")}), &proposed)
	iv := proposed.ProposeIntervention.Intervention.ID
	expect("proposeIntervention", `mutation($c: ID!) { proposeIntervention(input: {case: $c, offering: "bm9wZQ", goal: "x"}) { intervention { id } } }`, caseVars(nil), "INVALID", "offering")
	expect("completeIntervention early", `mutation($i: ID!) { completeIntervention(input: {intervention: $i, outcome: "x"}) { intervention { id } } }`, map[string]any{"i": iv}, "INVALID", "")
	a.must(`mutation($i: ID!) { startIntervention(input: {intervention: $i}) { intervention { status startedOn } } }`, map[string]any{"i": iv}, nil)
	expect("startIntervention twice", `mutation($i: ID!) { startIntervention(input: {intervention: $i}) { intervention { id } } }`, map[string]any{"i": iv}, "INVALID", "")
	a.must(`mutation($i: ID!) { completeIntervention(input: {intervention: $i, outcome: "Nieuwe vriendengroep"}) { intervention { status outcome } } }`, map[string]any{"i": iv}, nil)
	var second struct {
		ProposeIntervention struct{ Intervention struct{ ID string } }
	}
	a.must(`mutation($c: ID!, $o: ID!) { proposeIntervention(input: {case: $c, offering: $o, goal: "Nazorg"}) { intervention { id } } }`,
		caseVars(map[string]any{"o": gid("InterventionOffering", "off-1")}), &second)
	expect("stopIntervention no reason", `mutation($i: ID!) { stopIntervention(input: {intervention: $i, reason: ""}) { intervention { id } } }`, map[string]any{"i": second.ProposeIntervention.Intervention.ID}, "INVALID", "reason")
	a.must(`mutation($i: ID!) { stopIntervention(input: {intervention: $i, reason: "Niet meer nodig"}) { intervention { status } } }`, map[string]any{"i": second.ProposeIntervention.Intervention.ID}, nil)
	mayor := a.as(casus.Actor{ID: "u-mayor", Name: "P. Burgemeester", Role: casus.RoleMayor, Municipalities: []string{"GM0451"}})
	mayor.must(`mutation($c: ID!) { decideMeasure(input: {case: $c, type: CONTACT_BAN, decision: IMPOSED, reason: "Contact met ronselaar"}) { measure { type decidedBy { name } } } }`, caseVars(nil), nil)
	expect("decideMeasure by a coordinator", `mutation($c: ID!) { decideMeasure(input: {case: $c, type: CONTACT_BAN, decision: IMPOSED, reason: "x"}) { measure { id } } }`, caseVars(nil), "FORBIDDEN", "")
	if code, field := errCode(t, mayor.do(`mutation($c: ID!) { decideMeasure(input: {case: $c, type: CONTACT_BAN, decision: IMPOSED, reason: " "}) { measure { id } } }`, caseVars(nil), nil)); code != "INVALID" || field != "reason" {
		t.Fatalf("decideMeasure without reason: %s %s", code, field)
	}
	expect("decideMeasure", `mutation($c: ID!) { decideMeasure(input: {case: $c, type: CURFEW, decision: IMPOSED, reason: "x"}) { measure { id } } }`, caseVars(nil), "INVALID", "")

	// closeCase
	expect("closeCase without report", `mutation($c: ID!) { closeCase(input: {case: $c, report: {summary: "", outcome: "o", recommendations: "r"}}) { case { id } } }`, caseVars(nil), "INVALID", "report.summary")
	var closed struct {
		CloseCase struct {
			Case struct {
				Phase       string
				FinalReport struct {
					AddressedTo  string
					Municipality struct{ Name string }
				}
				Timeline struct {
					TotalCount int
					Edges      []struct {
						Node struct {
							Type    string
							Changes []struct{ Field, Before, After string }
						}
					}
				}
			}
		}
	}
	a.must(`mutation($c: ID!) { closeCase(input: {case: $c, report: {summary: "Verloop", outcome: "Resultaat", recommendations: "Advies"}}) {
		case { phase finalReport { addressedTo municipality { name } } timeline(last: 1) { totalCount edges { node { type changes { field before after } } } } } } }`,
		caseVars(nil), &closed)
	cc := closed.CloseCase.Case
	if cc.Phase != "CLOSED" || cc.FinalReport.AddressedTo != "P. Burgemeester" || cc.FinalReport.Municipality.Name != "Uithoorn" {
		t.Fatalf("closed = %+v", cc)
	}
	last := cc.Timeline.Edges[0].Node
	if last.Type != "CASE_CLOSED" || len(last.Changes) != 1 || last.Changes[0].After != `"CLOSED"` || !strings.Contains(last.Changes[0].Before, "ACTION_PLAN") {
		t.Fatalf("last event = %+v", last)
	}
	expect("advance closed", `mutation($c: ID!) { advanceCase(input: {case: $c, to: ASSESSMENT, reason: "heropenen"}) { case { id } } }`, caseVars(nil), "INVALID", "")
}
