package graph_test

import (
	"strings"
	"testing"
)

// TestTrainings records a training of Jongerenwerk in Amstelveen: its
// dashboard counts the 12 trained and the one signal Jongerenwerk sent
// there; Aalsmeer's counts nothing; the list follows the dashboard scope.
func TestTrainings(t *testing.T) {
	a := newAPI(t, accessRegion())
	const record = `mutation($m: String!, $n: Int!) { recordTraining(input: {date: "2026-10-01", organisation: "` +
		`ORG", municipality: $m, participants: $n, topic: "Signalen herkennen"}) { training { id participants municipality { code } organisation { name } } } }`
	q := func(m string, n int) (string, map[string]any) {
		return replaceOrg(record), map[string]any{"m": m, "n": n}
	}
	query, vars := q("GM0362", 12)
	a.must(query, vars, nil)
	if d := a.dashboard(t, "GM0362"); d.TrainedStaff != 12 || d.SignalsFromTrained != 1 {
		t.Errorf("Amstelveen's dashboard: %d trained, %d signals from trained", d.TrainedStaff, d.SignalsFromTrained)
	}
	if d := a.dashboard(t, "GM0358"); d.TrainedStaff != 0 || d.SignalsFromTrained != 0 {
		t.Errorf("Aalsmeer's dashboard: %d trained, %d signals from trained", d.TrainedStaff, d.SignalsFromTrained)
	}
	count := func(api *api) int {
		var out struct{ Trainings []struct{ ID string } }
		api.must(`{ trainings { id } }`, nil, &out)
		return len(out.Trainings)
	}
	if n := count(a.as(actors["mayor B"])); n != 1 {
		t.Errorf("mayor B sees %d trainings", n)
	}
	if n := count(a.as(actors["analyst A"])); n != 0 {
		t.Errorf("analyst A sees %d trainings", n)
	}
	for name, c := range map[string]struct {
		api  *api
		m    string
		n    int
		code string
	}{
		"director":             {a.as(actors["director A"]), "GM0358", 5, "FORBIDDEN"},
		"no participants":      {a, "GM0358", 0, "INVALID"},
		"unknown municipality": {a, "GM9999", 5, "INVALID"},
	} {
		query, vars := q(c.m, c.n)
		if r := c.api.do(query, vars, nil); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != c.code {
			t.Errorf("%s: %+v", name, r.Errors)
		}
	}
	if r := a.as(actors["partner JW"]).do(`{ trainings { id } }`, nil, nil); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "FORBIDDEN" {
		t.Errorf("partner: %+v", r.Errors)
	}
}

func replaceOrg(q string) string { return strings.Replace(q, "ORG", gid("Organisation", "org-jw"), 1) }
