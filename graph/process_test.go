package graph_test

import (
	"testing"
	"time"
)

// TestProcessFigures escalates one case and advances the other, then reads
// the figures: per scope, with the period's counts and the phases now.
func TestProcessFigures(t *testing.T) {
	a := newAPI(t, accessRegion())
	a.escalate(t, "case-b")
	a.must(`mutation($c: ID!) { advanceCase(input: {case: $c, to: AFTERCARE, reason: "goed verlopen"}) { case { phase } } }`, map[string]any{"c": gid("Case", "case-a")}, nil)
	from, to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Now().Add(time.Hour)
	type figures struct {
		Registered, Escalated, Deescalated, Closed int
		Phases                                     []struct {
			Phase              string
			Current, Completed int
			MedianDays         *float64
		}
	}
	read := func(api *api, m any, from, to time.Time) (figures, response) {
		var out struct{ ProcessFigures figures }
		r := api.do(`query($m: String, $f: DateTime!, $t: DateTime!) { processFigures(municipality: $m, from: $f, to: $t) {
			registered escalated deescalated closed phases { phase current completed medianDays } } }`,
			map[string]any{"m": m, "f": from.Format(time.RFC3339), "t": to.Format(time.RFC3339)}, &out)
		return out.ProcessFigures, r
	}
	f, r := read(a, nil, from, to)
	if len(r.Errors) > 0 || f.Escalated != 1 || f.Closed != 0 {
		t.Fatalf("coordinator's figures = %+v %v", f, r.Errors)
	}
	now := map[string]int{}
	for _, p := range f.Phases {
		now[p.Phase] = p.Current
		if p.Completed > 0 && p.MedianDays == nil {
			t.Errorf("%s: %d stays without a median", p.Phase, p.Completed)
		}
	}
	if now["AFTERCARE"] != 1 || now["EXECUTION"] != 1 || len(f.Phases) != 7 {
		t.Errorf("phases now = %v", now)
	}
	// The mayor of Amstelveen sees case-b's escalation, not case-a's move.
	if f, _ := read(a.as(actors["mayor B"]), nil, from, to); f.Escalated != 1 || f.Phases[5].Current != 0 {
		t.Errorf("mayor B's figures = %+v", f)
	}
	for name, c := range map[string]struct {
		api  *api
		m    any
		from time.Time
		code string
	}{
		"partner":       {a.as(actors["partner JW"]), nil, from, "FORBIDDEN"},
		"other's mayor": {a.as(actors["mayor B"]), "GM0358", from, "FORBIDDEN"},
		"empty period":  {a, nil, to, "INVALID"},
	} {
		if _, r := read(c.api, c.m, c.from, to); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != c.code {
			t.Errorf("%s: %+v", name, r.Errors)
		}
	}
}
