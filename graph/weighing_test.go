package graph_test

import (
	"testing"
	"time"
)

// walkToActionPlan takes a case in ASSESSMENT to ACTION_PLAN over GraphQL,
// as a director does: the weighing team includes it, a conference is
// planned and held.
func walkToActionPlan(t *testing.T, a *api, caseID string) {
	t.Helper()
	v := map[string]any{"c": caseID, "gem": gid("Organisation", "org-gem"), "pol": gid("Organisation", "org-pol"),
		"om": gid("Organisation", "org-om"), "jw": gid("Organisation", "org-jw"), "day": time.Now().UTC().Format(time.DateOnly)}
	// Skipping the weighing is refused.
	expectCode(t, a, `mutation($c: ID!) { advanceCase(input: {case: $c, to: CASE_CONFERENCE, reason: "verder"}) { case { id } } }`, v, "INVALID", "to")
	var weighed struct {
		RecordWeighing struct {
			Weighing struct{ Outcome string }
			Case     struct{ Phase string }
		}
	}
	a.must(`mutation($c: ID!, $gem: ID!, $pol: ID!, $om: ID!) { recordWeighing(input: {case: $c,
		members: [{organisation: $gem, name: "A. Gemeente"}, {organisation: $pol, name: "B. Politie"}, {organisation: $om, name: "C. Officier"}],
		criteria: [{code: "IDEOLOGY", met: true, explanation: "Deelt propaganda"}, {code: "PROTECTIVE", met: true, explanation: "Betrokken ouders"}],
		outcome: INCLUDE, reasons: "Zorgen over radicalisering; opnemen in de PGA."}) { weighing { outcome } case { phase } } }`, v, &weighed)
	if weighed.RecordWeighing.Case.Phase != "CASE_CONFERENCE" {
		t.Fatalf("after an INCLUDE weighing: %+v", weighed)
	}
	// Leaving the case conference before one is held is refused.
	expectCode(t, a, `mutation($c: ID!) { advanceCase(input: {case: $c, to: ACTION_PLAN, reason: "verder"}) { case { id } } }`, v, "INVALID", "to")
	var planned struct {
		ScheduleConference struct{ Conference struct{ ID string } }
	}
	a.must(`mutation($c: ID!, $jw: ID!, $day: Date!) { scheduleConference(input: {case: $c, date: $day, startsAt: "14:00", endsAt: "15:30",
		chair: "R. Regisseur", invitations: [{organisation: $jw, person: "M. Aksoy"}], agenda: [{title: "Schoolgang", organisation: $jw}]}) { conference { id } } }`, v, &planned)
	v["k"] = planned.ScheduleConference.Conference.ID
	a.must(`mutation($k: ID!, $jw: ID!) { recordConference(input: {conference: $k, attended: [$jw],
		contributions: [{organisation: $jw, summary: "Goed contact", legalGround: "convenant art. 7"}],
		decisions: [{text: "Mentor via jongerenwerk", organisations: [$jw]}], minutes: "Plan besproken."}) { conference { held } } }`, v, nil)
	a.must(`mutation($c: ID!) { advanceCase(input: {case: $c, to: ACTION_PLAN, reason: "plan van aanpak"}) { case { phase } } }`, v, nil)
}

// expectCode runs query as a and checks that it fails with code on field.
func expectCode(t *testing.T, a *api, query string, vars map[string]any, code, field string) {
	t.Helper()
	r := a.do(query, vars, nil)
	if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != code || (field != "" && r.Errors[0].Extensions["field"] != field) {
		t.Fatalf("%s: %+v, want %s on %q", query, r.Errors, code, field)
	}
}
