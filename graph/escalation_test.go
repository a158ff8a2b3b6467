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

// escalationRegion is accessRegion with the Amstelland agreements: the
// regional team's director from REGIONAL on, the Actiecentrum's advisers
// (org-avz) in full from AVZ on, the NCTV's at the process level only at
// NATIONAL.
func escalationRegion() demo.Data {
	d := accessRegion()
	d.Organisations = append(d.Organisations,
		demo.Organisation{ID: "org-regio", Name: "Regionaal team", Type: "MUNICIPALITY_OOV"},
		demo.Organisation{ID: "org-nctv", Name: "NCTV", Type: "NCTV"})
	as := casus.DefaultAgreements()
	as[1].Participants = []casus.Participant{{OrganisationID: "org-regio", Roles: []string{casus.RoleDirector}, Information: casus.InformationFull}}
	as[2].Participants = []casus.Participant{{OrganisationID: "org-avz", Roles: []string{casus.RoleAdviser}, Information: casus.InformationFull}}
	as[3].Participants = []casus.Participant{{OrganisationID: "org-nctv", Roles: []string{casus.RoleAdviser}, Information: casus.InformationContext}}
	d.Escalation = as
	return d
}

var (
	adviserAVZ  = casus.Actor{ID: "u-avz", Name: "Adviseur AVZ", Role: casus.RoleAdviser, OrganisationID: "org-avz"}
	adviserNCTV = casus.Actor{ID: "u-nctv", Name: "Adviseur NCTV", Role: casus.RoleAdviser, OrganisationID: "org-nctv"}
	regional    = casus.Actor{ID: "u-regio", Name: "Regionaal regisseur", Role: casus.RoleDirector, OrganisationID: "org-regio"}
)

// move escalates (up) or de-escalates case-a to level on criterion code.
func move(a *api, up bool, caseID, level, code string) {
	a.t.Helper()
	op := map[bool]string{true: "escalateCase", false: "deescalateCase"}[up]
	a.must(fmt.Sprintf(`mutation { %s(input: {case: %q, to: %s, reason: "besproken in het overleg",
		criteria: [{code: %q, explanation: "zie het verslag"}]}) { case { escalationLevel } } }`, op, gid("Case", caseID), level, code), nil, nil)
}

// reach is what an actor reaches of case-a and its subject p-a by every
// way of reading them: the case directly, the case list and its total, the
// person directly, the person search, the network around the person.
func reach(a *api) []string {
	a.t.Helper()
	var out struct {
		Case   *struct{ Reference string }
		Cases  struct{ TotalCount int }
		Person *struct{ LastName string }
		Search struct{ TotalCount int }
	}
	r := a.do(`query($c: ID!, $p: ID!) { case(id: $c) { reference } cases(first: 10) { totalCount }
		person(id: $p) { lastName } search: persons(first: 10, filter: {name: "Anna"}) { totalCount } }`,
		map[string]any{"c": gid("Case", "case-a"), "p": gid("Person", "p-a")}, &out)
	var got []string
	if out.Case != nil {
		got = append(got, "case")
	}
	if out.Cases.TotalCount > 0 {
		got = append(got, fmt.Sprintf("list %d", out.Cases.TotalCount))
	}
	if out.Person != nil {
		got = append(got, "person")
	}
	if out.Search.TotalCount > 0 {
		got = append(got, "search")
	}
	for _, e := range r.Errors {
		if c := e.Extensions["code"]; c != "NOT_FOUND" {
			a.t.Fatalf("reach: %+v", r.Errors)
		}
	}
	return got
}

// TestEscalationChangesWhoWorksTheCase escalates a case level by level and
// back: at each level exactly its participants (and those below it) reach
// the case and its subject, the national adviser only at the process
// level; advice is asked, given and taken up; de-escalating takes every
// participant above the new level out at once, and their advice stays.
func TestEscalationChangesWhoWorksTheCase(t *testing.T) {
	a := newAPI(t, escalationRegion())
	avz, nctv, regio, dir := a.as(adviserAVZ), a.as(adviserNCTV), a.as(regional), a.as(actors["director A"])
	nothing := func(when string) {
		t.Helper()
		for name, x := range map[string]*api{"AVZ": avz, "NCTV": nctv, "regional director": regio} {
			if got := reach(x); len(got) > 0 {
				t.Fatalf("%s: %s reaches %v of case-a", when, name, got)
			}
		}
	}
	nothing("at LOCAL")
	full := []string{"case", "list 1", "person", "search"}

	move(a, true, "case-a", "REGIONAL", "MULTIPLE_MUNICIPALITIES")
	if got := reach(regio); !slices.Equal(got, full) {
		t.Fatalf("REGIONAL: the regional director reaches %v, want %v", got, full)
	}
	if got := reach(avz); len(got) > 0 {
		t.Fatalf("REGIONAL: the Actiecentrum reaches %v", got)
	}

	move(a, true, "case-a", "AVZ", "HIGH_RISK")
	for name, x := range map[string]*api{"AVZ": avz, "regional director": regio} {
		if got := reach(x); !slices.Equal(got, full) {
			t.Fatalf("AVZ: %s reaches %v, want %v", name, got, full)
		}
	}
	if got := reach(nctv); len(got) > 0 {
		t.Fatalf("AVZ: the NCTV reaches %v", got)
	}
	// An adviser advises: they neither move the case nor decide for the mayor.
	expectCode(t, avz, fmt.Sprintf(`mutation { escalateCase(input: {case: %q, reason: "r", criteria: [{code: "NATIONAL_SECURITY", explanation: "x"}]}) { case { id } } }`,
		gid("Case", "case-a")), nil, "FORBIDDEN", "")
	expectCode(t, avz, `mutation($c: ID!) { decideMeasure(input: {case: $c, type: AREA_BAN, decision: IMPOSED, reason: "r"}) { measure { id } } }`,
		map[string]any{"c": gid("Case", "case-a")}, "FORBIDDEN", "")

	// The director asks, the Actiecentrum advises, the director takes it up.
	var asked struct {
		AskAdvice struct{ Advice struct{ ID, Status string } }
	}
	dir.must(`mutation($c: ID!) { askAdvice(input: {case: $c, question: "Welke aanpak past bij dit netwerk?"}) { advice { id status } } }`,
		map[string]any{"c": gid("Case", "case-a")}, &asked)
	var open struct {
		OpenAdviceQuestions []struct{ ID, CaseReference, Question string }
	}
	avz.must(`{ openAdviceQuestions { id caseReference question } }`, nil, &open)
	if len(open.OpenAdviceQuestions) != 1 || open.OpenAdviceQuestions[0].CaseReference != "AM-2026-0001" {
		t.Fatalf("the Actiecentrum's open questions = %+v", open.OpenAdviceQuestions)
	}
	id := asked.AskAdvice.Advice.ID
	expectCode(t, dir, `mutation($a: ID!) { giveAdvice(input: {advice: $a, text: "x"}) { advice { id } } }`, map[string]any{"a": id}, "FORBIDDEN", "")
	expectCode(t, avz, `mutation($a: ID!) { answerAdvice(input: {advice: $a, takeUp: true, reason: "x"}) { advice { id } } }`, map[string]any{"a": id}, "FORBIDDEN", "")
	expectCode(t, dir, `mutation($a: ID!) { answerAdvice(input: {advice: $a, takeUp: true, reason: "x"}) { advice { id } } }`, map[string]any{"a": id}, "INVALID", "advice")
	expectCode(t, avz, `mutation($a: ID!) { giveAdvice(input: {advice: $a, text: "  "}) { advice { id } } }`, map[string]any{"a": id}, "INVALID", "advice")
	avz.must(`mutation($a: ID!) { giveAdvice(input: {advice: $a, text: "Werk met een vaste mentor."}) { advice { status } } }`, map[string]any{"a": id}, nil)
	expectCode(t, avz, `mutation($a: ID!) { giveAdvice(input: {advice: $a, text: "nog eens"}) { advice { id } } }`, map[string]any{"a": id}, "INVALID", "advice")
	dir.must(`mutation($a: ID!) { answerAdvice(input: {advice: $a, takeUp: true, reason: "Past in het plan."}) { advice { status } } }`, map[string]any{"a": id}, nil)

	move(a, true, "case-a", "NATIONAL", "NATIONAL_SECURITY")
	if got := reach(nctv); len(got) > 0 {
		t.Fatalf("NATIONAL: the NCTV reaches %v at level 2", got)
	}
	// The national level reads the process, and of the advice only what is
	// asked of it — without names, not even the staff's.
	var natq struct {
		AskAdvice struct{ Advice struct{ ID string } }
	}
	dir.must(`mutation($c: ID!) { askAdvice(input: {case: $c, question: "Landelijk beeld van deze groep?"}) { advice { id } } }`,
		map[string]any{"c": gid("Case", "case-a")}, &natq)
	var ctxs struct {
		CaseContexts []struct {
			Reference, Phase, EscalationLevel string
			Escalations                       []struct {
				To, Reason, By string
				Criteria       []struct{ Code, Explanation string }
			}
			Advice []struct {
				Question, AskedBy, Status string
				Advice, Response          *string
			}
		}
	}
	nctv.must(`{ caseContexts { reference phase escalationLevel escalations { to reason by criteria { code explanation } } advice { question askedBy status advice response } } }`, nil, &ctxs)
	if len(ctxs.CaseContexts) != 1 {
		t.Fatalf("the NCTV's contexts = %+v, want case-a", ctxs.CaseContexts)
	}
	cc := ctxs.CaseContexts[0]
	if cc.Reference != "AM-2026-0001" || cc.EscalationLevel != "NATIONAL" || len(cc.Escalations) != 3 {
		t.Fatalf("context = %+v", cc)
	}
	for _, e := range cc.Escalations {
		if e.Reason != "" || e.By != "" || e.Criteria[0].Explanation != "" || e.Criteria[0].Code == "" {
			t.Fatalf("the NCTV reads %+v: only the criteria, never what may name a person", e)
		}
	}
	if len(cc.Advice) != 1 || cc.Advice[0].Question != "Landelijk beeld van deze groep?" || cc.Advice[0].AskedBy != "" {
		t.Fatalf("the NCTV reads advice %+v: only its own question, without names (the Actiecentrum's stays out)", cc.Advice)
	}
	var nq struct {
		OpenAdviceQuestions []struct{ ID, AskedBy string }
	}
	nctv.must(`{ openAdviceQuestions { id askedBy } }`, nil, &nq)
	if len(nq.OpenAdviceQuestions) != 1 || nq.OpenAdviceQuestions[0].AskedBy != "" {
		t.Fatalf("the NCTV's open questions = %+v", nq.OpenAdviceQuestions)
	}
	expectCode(t, nctv, `mutation($a: ID!) { giveAdvice(input: {advice: $a, text: "x"}) { advice { id } } }`, map[string]any{"a": id}, "NOT_FOUND", "advice")
	nctv.must(`mutation($a: ID!) { giveAdvice(input: {advice: $a, text: "Geen landelijke aanwijzingen."}) { advice { status } } }`,
		map[string]any{"a": natq.AskAdvice.Advice.ID}, nil)
	// A participant works the case but does not steer it: no moves, no
	// answers to advice; neither does a director who may only read it.
	expectCode(t, regio, fmt.Sprintf(`mutation { deescalateCase(input: {case: %q, to: LOCAL, reason: "r", criteria: [{code: "NO_NATIONAL_INTEREST", explanation: "x"}]}) { case { id } } }`,
		gid("Case", "case-a")), nil, "NOT_FOUND", "")
	expectCode(t, regio, `mutation($a: ID!) { answerAdvice(input: {advice: $a, takeUp: false, reason: "x"}) { advice { id } } }`,
		map[string]any{"a": natq.AskAdvice.Advice.ID}, "NOT_FOUND", "advice")

	// Down to LOCAL at once: every participant is out of every read.
	move(a, false, "case-a", "LOCAL", "NO_NATIONAL_INTEREST")
	nothing("back at LOCAL")
	nctv.must(`{ caseContexts { reference } }`, nil, &ctxs)
	if len(ctxs.CaseContexts) != 0 {
		t.Fatalf("the NCTV still has %+v", ctxs.CaseContexts)
	}
	// What the participants contributed stays on the case, attributed.
	var kept struct {
		Case struct {
			Advice []struct {
				Status       string
				GivenBy      *string
				Organisation *struct{ Name string }
			}
			Escalations []struct{ Up bool }
		}
	}
	dir.must(`query($c: ID!) { case(id: $c) { advice { status givenBy organisation { name } } escalations { up } } }`, map[string]any{"c": gid("Case", "case-a")}, &kept)
	if len(kept.Case.Advice) != 2 || kept.Case.Advice[0].Status != "TAKEN_UP" || kept.Case.Advice[0].GivenBy == nil || *kept.Case.Advice[0].GivenBy != "Adviseur AVZ" ||
		kept.Case.Advice[0].Organisation == nil || kept.Case.Advice[0].Organisation.Name != "AVZ" || len(kept.Case.Escalations) != 4 {
		t.Fatalf("after de-escalation the case keeps %+v", kept.Case)
	}
	avz.must(`{ openAdviceQuestions { id } }`, nil, &open)
	if len(open.OpenAdviceQuestions) != 0 {
		t.Fatalf("the Actiecentrum still sees questions: %+v", open.OpenAdviceQuestions)
	}

	// The figures: three escalations and a de-escalation this month, and
	// one stay ended at each level below NATIONAL.
	var figures struct {
		ProcessFigures struct {
			Levels []struct {
				Level     string
				Completed int
			}
			EscalationsPerMonth []struct{ Escalated, Deescalated int }
		}
	}
	now := time.Now().UTC()
	a.must(`query($from: DateTime!, $to: DateTime!) { processFigures(from: $from, to: $to) { levels { level completed } escalationsPerMonth { escalated deescalated } } }`,
		map[string]any{"from": now.Add(-time.Hour).Format(time.RFC3339), "to": now.Add(time.Hour).Format(time.RFC3339)}, &figures)
	up, down := 0, 0
	for _, m := range figures.ProcessFigures.EscalationsPerMonth {
		up, down = up+m.Escalated, down+m.Deescalated
	}
	var stays []string
	for _, l := range figures.ProcessFigures.Levels {
		stays = append(stays, fmt.Sprintf("%s %d", l.Level, l.Completed))
	}
	if up != 3 || down != 1 || strings.Join(stays, ", ") != "LOCAL 1, REGIONAL 1, AVZ 1, NATIONAL 1" {
		t.Fatalf("figures: %d up, %d down, stays %v", up, down, stays)
	}
}

// TestEscalationRefusesBadInput: an unknown level, criteria off the
// region's list, a missing explanation, a missing reason, a closed case,
// an adviser escalating, advice asked at LOCAL — each a clear error at its
// field, and nothing written.
func TestEscalationRefusesBadInput(t *testing.T) {
	a := newAPI(t, escalationRegion())
	c := gid("Case", "case-a")
	for name, tc := range map[string]struct {
		as          *api
		input       string
		code, field string
	}{
		"unknown level":       {a, `{case: $c, to: HIGHEST, reason: "r", criteria: [{code: "MULTIPLE_MUNICIPALITIES", explanation: "x"}]}`, "INVALID", ""},
		"criterion off list":  {a, `{case: $c, reason: "r", criteria: [{code: "BORED", explanation: "x"}]}`, "INVALID", "criteria.0.code"},
		"criterion of AVZ":    {a, `{case: $c, to: REGIONAL, reason: "r", criteria: [{code: "HIGH_RISK", explanation: "x"}]}`, "INVALID", "criteria.0.code"},
		"no explanation":      {a, `{case: $c, reason: "r", criteria: [{code: "MULTIPLE_MUNICIPALITIES", explanation: " "}]}`, "INVALID", "criteria.0.explanation"},
		"criterion twice":     {a, `{case: $c, reason: "r", criteria: [{code: "STUCK_LOCALLY", explanation: "x"}, {code: "STUCK_LOCALLY", explanation: "y"}]}`, "INVALID", "criteria.1.code"},
		"no criteria":         {a, `{case: $c, reason: "r", criteria: []}`, "INVALID", "criteria"},
		"no reason":           {a, `{case: $c, reason: "", criteria: [{code: "MULTIPLE_MUNICIPALITIES", explanation: "x"}]}`, "INVALID", "reason"},
		"adviser escalating":  {a.as(adviserAVZ), `{case: $c, reason: "r", criteria: [{code: "MULTIPLE_MUNICIPALITIES", explanation: "x"}]}`, "FORBIDDEN", ""},
		"partner escalating":  {a.as(actors["partner JW"]), `{case: $c, reason: "r", criteria: [{code: "MULTIPLE_MUNICIPALITIES", explanation: "x"}]}`, "FORBIDDEN", ""},
		"another's director":  {a.as(casus.Actor{ID: "dir-x", Role: casus.RoleDirector, Municipalities: []string{"GM0362"}}), `{case: $c, reason: "r", criteria: [{code: "MULTIPLE_MUNICIPALITIES", explanation: "x"}]}`, "NOT_FOUND", ""},
		"level not above now": {a, `{case: $c, to: LOCAL, reason: "r", criteria: [{code: "MULTIPLE_MUNICIPALITIES", explanation: "x"}]}`, "INVALID", "to"},
	} {
		t.Run(name, func(t *testing.T) {
			q := `mutation($c: ID!) { escalateCase(input: ` + tc.input + `) { case { id } } }`
			r := tc.as.do(q, map[string]any{"c": c}, nil)
			if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != tc.code || (tc.field != "" && r.Errors[0].Extensions["field"] != tc.field) {
				t.Fatalf("%+v, want %s at %q", r.Errors, tc.code, tc.field)
			}
			if strings.Contains(r.Errors[0].Message, "case-a") {
				t.Fatalf("the error names the case: %s", r.Errors[0].Message)
			}
		})
	}
	expectCode(t, a.as(actors["director A"]), `mutation($c: ID!) { askAdvice(input: {case: $c, question: "vraag"}) { advice { id } } }`,
		map[string]any{"c": c}, "INVALID", "case")
	var out struct {
		Case struct {
			EscalationLevel string
			Escalations     []struct{ ID string }
			Advice          []struct{ ID string }
		}
	}
	a.must(`query($c: ID!) { case(id: $c) { escalationLevel escalations { id } advice { id } } }`, map[string]any{"c": c}, &out)
	if out.Case.EscalationLevel != "LOCAL" || len(out.Case.Escalations) != 0 || len(out.Case.Advice) != 0 {
		t.Fatalf("refused moves wrote %+v", out.Case)
	}
}

// TestDeescalatedParticipantGetsNoMoreEvents: an Actiecentrum adviser
// follows the case's events while it is at AVZ; after the de-escalation
// the next event of the case does not reach their open subscription, and a
// replay from a cursor before it returns none of the case's later events.
// Events arrive in order, so an event of a case the adviser still reads,
// written after, shows that the earlier one was not sent.
func TestDeescalatedParticipantGetsNoMoreEvents(t *testing.T) {
	a := newAPI(t, escalationRegion())
	move(a, true, "case-a", "AVZ", "HIGH_RISK")
	move(a, true, "case-b", "AVZ", "HIGH_RISK")
	avz := a.as(adviserAVZ)
	c := avz.subscribe(t, "graphql-transport-ws", eventsQuery, nil)
	defer c.close()
	a.waitSubscribers(t, 1)
	dir := a.as(actors["director A"])
	dir.must(`mutation($c: ID!) { askAdvice(input: {case: $c, question: "vraag"}) { advice { id } } }`, map[string]any{"c": gid("Case", "case-a")}, nil)
	typ, cursor, ref := c.event()
	if typ != casus.EventAdviceAsked || ref != "AM-2026-0001" {
		t.Fatalf("at AVZ the adviser gets %s %s", typ, ref)
	}
	move(a, false, "case-a", "LOCAL", "RISK_REDUCED")
	a.must(`mutation($c: ID!) { askAdvice(input: {case: $c, question: "nog een"}) { advice { id } } }`, map[string]any{"c": gid("Case", "case-b")}, nil)
	// Case-a's de-escalation and anything after it never reach the adviser.
	if typ, _, ref := c.event(); typ != casus.EventAdviceAsked || ref != "AM-2026-0002" {
		t.Fatalf("after the de-escalation the adviser gets %s %s, want case-b's advice question", typ, ref)
	}
	replay := avz.subscribe(t, "graphql-transport-ws", eventsQuery, map[string]any{"after": cursor})
	defer replay.close()
	if typ, _, ref := replay.event(); typ != casus.EventAdviceAsked || ref != "AM-2026-0002" {
		t.Fatalf("the replay gives %s %s, want only case-b's question", typ, ref)
	}
}

// TestAdviserDoesNothingButAdvise runs every mutation of the schema as an
// Actiecentrum adviser on a case escalated to them: each is FORBIDDEN but
// giving advice, which the policy table gives them alone.
func TestAdviserDoesNothingButAdvise(t *testing.T) {
	a := newAPI(t, escalationRegion())
	move(a, true, "case-a", "AVZ", "HIGH_RISK")
	avz := a.as(adviserAVZ)
	in := scopes["director A"][0]
	for name, m := range mutations {
		r := avz.do(m.query(in), nil, nil)
		code := ""
		if len(r.Errors) > 0 {
			code, _ = r.Errors[0].Extensions["code"].(string)
		}
		switch {
		case name == "giveAdvice" && code != "NOT_FOUND": // no such advice
			t.Errorf("giveAdvice: %q %+v, want NOT_FOUND", code, r.Errors)
		case name != "giveAdvice" && code != "FORBIDDEN":
			t.Errorf("%s: %q %+v, want FORBIDDEN", name, code, r.Errors)
		}
	}
}
