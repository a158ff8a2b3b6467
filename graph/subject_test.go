package graph_test

import (
	"strings"
	"testing"

	"casusnet/internal/casus"
)

// TestSignalBecomesACaseAboutItsPerson walks a pupil from a teacher's
// signal into a case: the reporter says whom it is about in their words;
// the director records the pupil, links the signal to them and opens the
// case from it, which is then about the pupil; later a parent is added as
// a person concerned. Nobody links, adds or reads what they may not.
func TestSignalBecomesACaseAboutItsPerson(t *testing.T) {
	a := newAPI(t, accessRegion())
	reporter := a.as(casus.Actor{ID: "u-teacher", Name: "Docent", Role: casus.RoleReporter})
	dir := a.as(actors["director A"])

	var sub struct {
		SubmitSignal struct {
			Signal struct {
				ID      string
				Subject *struct{ FirstName, LastName, BirthDate, Details string }
			}
		}
	}
	reporter.must(`mutation { submitSignal(input: {municipality: "GM0358", description: "Deelt filmpjes in de klas.",
		subject: {firstName: " Daan ", lastName: "Kuiper", birthDate: "2010-02-17", details: "klas 3B"}}) { signal { id subject { firstName lastName birthDate details } } } }`, nil, &sub)
	sig := sub.SubmitSignal.Signal
	if sig.Subject == nil || sig.Subject.FirstName != "Daan" || sig.Subject.BirthDate != "2010-02-17" || sig.Subject.Details != "klas 3B" {
		t.Fatalf("the signal's subject = %+v", sig.Subject)
	}
	expectCode(t, reporter, `mutation { submitSignal(input: {municipality: "GM0358", description: "d", subject: {firstName: "Daan", lastName: " "}}) { signal { id } } }`,
		nil, "INVALID", "subject.lastName")

	var person struct {
		CreatePerson struct{ Person struct{ ID string } }
	}
	dir.must(`mutation { createPerson(input: {firstName: "Daan", lastName: "Kuiper", birthDate: "2010-02-17", municipality: "GM0358"}) { person { id } } }`, nil, &person)
	pupil := person.CreatePerson.Person.ID
	link := `mutation($s: ID!, $p: ID!) { linkSignalPerson(input: {signal: $s, person: $p}) { signal { status about { id } } } }`
	expectCode(t, reporter, link, map[string]any{"s": sig.ID, "p": pupil}, "FORBIDDEN", "")
	expectCode(t, dir, link, map[string]any{"s": gid("Signal", "sig-b"), "p": pupil}, "NOT_FOUND", "signal")
	expectCode(t, dir, link, map[string]any{"s": sig.ID, "p": gid("Person", "p-x")}, "NOT_FOUND", "person")
	var linked struct {
		LinkSignalPerson struct {
			Signal struct {
				Status string
				About  []struct{ ID string }
			}
		}
	}
	dir.must(link, map[string]any{"s": sig.ID, "p": pupil}, &linked)
	if l := linked.LinkSignalPerson.Signal; l.Status != "NEW" || len(l.About) != 1 || l.About[0].ID != pupil {
		t.Fatalf("the linked signal = %+v", l)
	}
	var opened struct {
		OpenCase struct {
			Case struct {
				ID       string
				Subjects []struct{ ID string }
			}
		}
	}
	dir.must(`mutation($s: ID!) { openCase(input: {municipality: "GM0358", signals: [$s], summary: "Filmpjes in de klas", riskGroups: [RADICALISING], ideology: OTHER, riskLevel: LOW}) { case { id subjects { ... on Person { id } } } } }`,
		map[string]any{"s": sig.ID}, &opened)
	kase := opened.OpenCase.Case
	if len(kase.Subjects) != 1 || kase.Subjects[0].ID != pupil {
		t.Fatalf("the case from the signal is about %+v, want the pupil", kase.Subjects)
	}

	// The case page says what the phase still needs, in the words the
	// server refuses a move with.
	var fresh struct{ Case struct{ Phase, Needs string } }
	dir.must(`query($c: ID!) { case(id: $c) { phase needs } }`, map[string]any{"c": kase.ID}, &fresh)
	r := dir.do(`mutation($c: ID!) { advanceCase(input: {case: $c, to: ASSESSMENT, reason: "verder"}) { case { id } } }`, map[string]any{"c": kase.ID}, nil)
	if fresh.Case.Phase != "REGISTERED" || !strings.Contains(fresh.Case.Needs, "casusregisseur") || len(r.Errors) != 1 || r.Errors[0].Message != fresh.Case.Needs {
		t.Fatalf("needs %q, refusal %+v: want the same Dutch sentence", fresh.Case.Needs, r.Errors)
	}
	var ready struct{ Case struct{ Needs *string } }
	dir.must(`query($c: ID!) { case(id: $c) { needs } }`, map[string]any{"c": gid("Case", "case-a")}, &ready)
	if ready.Case.Needs != nil {
		t.Fatalf("a case in EXECUTION needs %q", *ready.Case.Needs)
	}

	// A person concerned is added later, under the rules of opening a case.
	add := `mutation($c: ID!, $p: ID!) { addCaseSubject(input: {case: $c, person: $p, reason: "moeder betrokken"}) { case { subjects { ... on Person { id } } } } }`
	expectCode(t, a.as(actors["mayor B"]), add, map[string]any{"c": gid("Case", "case-b"), "p": gid("Person", "p-b")}, "FORBIDDEN", "")
	expectCode(t, dir, add, map[string]any{"c": gid("Case", "case-b"), "p": gid("Person", "p-a")}, "NOT_FOUND", "")
	expectCode(t, dir, add, map[string]any{"c": kase.ID, "p": gid("Person", "p-x")}, "NOT_FOUND", "person")
	expectCode(t, dir, add, map[string]any{"c": kase.ID, "p": gid("Person", "p-b")}, "INVALID", "municipality") // lives in Amstelveen
	expectCode(t, dir, add, map[string]any{"c": kase.ID, "p": pupil}, "INVALID", "person")
	var added struct {
		AddCaseSubject struct {
			Case struct{ Subjects []struct{ ID string } }
		}
	}
	dir.must(add, map[string]any{"c": kase.ID, "p": gid("Person", "p-a-rel")}, &added)
	if len(added.AddCaseSubject.Case.Subjects) != 2 {
		t.Fatalf("after adding: %+v", added.AddCaseSubject.Case.Subjects)
	}
}
