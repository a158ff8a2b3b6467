package graph_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

const dashboardFields = `municipalities { code } openCases overdueReviews newSignals trainedStaff signalsFromTrained
	casesByPhase { key count } casesByRiskGroup { key count } casesByMunicipality { key count }
	casesByEscalationLevel { key count } directors { director { name } openCases capacity casesByPhase { key count } overdueReviews }`

type dashboard struct {
	Municipalities                                                              []struct{ Code string }
	OpenCases                                                                   int
	OverdueReviews                                                              int
	NewSignals                                                                  int
	TrainedStaff, SignalsFromTrained                                            int
	CasesByPhase, CasesByRiskGroup, CasesByMunicipality, CasesByEscalationLevel []struct {
		Key   string
		Count int
	}
	Directors []struct {
		Director            struct{ Name string }
		OpenCases, Capacity int
		CasesByPhase        []struct {
			Key   string
			Count int
		}
		OverdueReviews int
	}
}

func (d dashboard) String() string { b, _ := json.Marshal(d); return string(b) }

func (a *api) dashboard(t *testing.T, municipality any) dashboard {
	t.Helper()
	var out struct{ Dashboard dashboard }
	a.must(`query($m: String) { dashboard(municipality: $m) { `+dashboardFields+` } }`, map[string]any{"m": municipality}, &out)
	return out.Dashboard
}

// TestDashboardScope checks who sees which dashboard: a coordinator any
// municipality or all; a mayor, director or analyst their own and no other;
// partners, reporters and auditors none. Figures count only the cases of
// the dashboard's municipalities.
func TestDashboardScope(t *testing.T) {
	a := newAPI(t, accessRegion())
	all := a.dashboard(t, nil)
	if all.OpenCases != 2 || all.NewSignals != 2 || len(all.Municipalities) != 2 ||
		fmt.Sprint(all.CasesByMunicipality) != "[{GM0358 1} {GM0362 1}]" || fmt.Sprint(all.CasesByPhase) != "[{EXECUTION 2}]" ||
		fmt.Sprint(all.Directors) != "[{{Regisseur A} 1 5 [{EXECUTION 1}] 0}]" {
		t.Fatalf("coordinator's dashboard of all = %v", all)
	}
	b := a.dashboard(t, "GM0362")
	if b.OpenCases != 1 || fmt.Sprint(b.CasesByMunicipality) != "[{GM0362 1}]" || len(b.Directors) != 0 || b.NewSignals != 1 {
		t.Fatalf("coordinator's dashboard of Amstelveen = %v", b)
	}
	if got := a.as(actors["mayor B"]).dashboard(t, nil); got.String() != b.String() {
		t.Fatalf("mayor B's dashboard = %v, want %v", got, b)
	}
	if got := a.as(actors["director A"]).dashboard(t, "GM0358"); got.OpenCases != 1 || got.Municipalities[0].Code != "GM0358" {
		t.Fatalf("director A's dashboard = %v", got)
	}
	q := `query($m: String) { dashboard(municipality: $m) { openCases } }`
	for role, m := range map[string]any{
		"mayor B": "GM0358", "director A": "GM0362", "analyst A": "GM0362",
		"partner JW": nil, "reporter": nil, "auditor": nil,
	} {
		r := a.as(actors[role]).do(q, map[string]any{"m": m}, nil)
		if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "FORBIDDEN" || string(r.Data) != "null" {
			t.Errorf("%s asking for the dashboard of %v: %+v %s", role, m, r.Errors, r.Data)
		}
	}
	if r := a.do(q, map[string]any{"m": "GM9999"}, nil); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "NOT_FOUND" {
		t.Errorf("unknown municipality: %+v", r.Errors)
	}
}

// dashboardOf reads the next dashboard pushed on subscription "1".
func (c *wsClient) dashboard() dashboard {
	c.t.Helper()
	m := c.next()
	if m["type"] != "next" {
		c.t.Fatalf("got %v, want a next message", m)
	}
	b, _ := json.Marshal(m["payload"])
	var p struct{ Data struct{ Dashboard dashboard } }
	if err := json.Unmarshal(b, &p); err != nil {
		c.t.Fatal(err)
	}
	return p.Data.Dashboard
}

// TestDashboardSubscription opens twenty dashboards of one scope and one of
// another: all get the figures at once, and again after a change in their
// scope, but not after a change outside it; and the twenty share their
// computations instead of querying once each.
func TestDashboardSubscription(t *testing.T) {
	a := newAPI(t, accessRegion())
	const sub = `subscription { dashboard { ` + dashboardFields + ` } }`
	var mayors []*wsClient
	for i := 0; i < 20; i++ {
		c := a.as(actors["mayor B"]).subscribe(t, "graphql-transport-ws", sub, nil)
		defer c.close()
		mayors = append(mayors, c)
	}
	director := a.as(actors["director A"]).subscribe(t, "graphql-transport-ws", sub, nil)
	defer director.close()
	for _, c := range mayors {
		if d := c.dashboard(); fmt.Sprint(d.CasesByEscalationLevel) != "[{LOCAL 1}]" {
			t.Fatalf("mayor's first dashboard = %v", d)
		}
	}
	if d := director.dashboard(); d.OpenCases != 1 || fmt.Sprint(d.Directors) != "[{{Regisseur A} 1 5 [{EXECUTION 1}] 0}]" {
		t.Fatalf("director's first dashboard = %v", d)
	}
	if views, scopes := a.hub.Dashboards.Views(); views != 21 || scopes != 2 {
		t.Fatalf("%d views of %d scopes, want 21 of 2", views, scopes)
	}
	before := a.hub.Dashboards.Queries()

	a.escalate(t, "case-b") // Amstelveen: the mayors' scope
	for _, c := range mayors {
		if d := c.dashboard(); fmt.Sprint(d.CasesByEscalationLevel) != "[{REGIONAL 1}]" {
			t.Fatalf("mayor's dashboard after the change = %v", d)
		}
	}
	director.quiet(300 * time.Millisecond) // Aalsmeer's figures did not change

	if n := a.hub.Dashboards.Queries() - before; n < 1 || n >= 10 {
		t.Fatalf("the hub computed %d times for one change seen by 21 viewers; want a few shared computations", n)
	}
	for _, c := range mayors {
		c.close()
	}
	director.close()
	waitFor(t, "every view to end after its client went", func() bool { views, _ := a.hub.Dashboards.Views(); return views == 0 })
}

// TestDashboardSubscriptionRefused checks that a dashboard out of scope is
// refused at the start of the subscription.
func TestDashboardSubscriptionRefused(t *testing.T) {
	a := newAPI(t, accessRegion())
	for role, m := range map[string]any{"mayor B": "GM0358", "partner JW": nil} {
		c := a.as(actors[role]).subscribe(t, "graphql-transport-ws",
			`subscription($m: String) { dashboard(municipality: $m) { openCases } }`, map[string]any{"m": m})
		msg := c.next()
		c.close()
		if !strings.Contains(fmt.Sprint(msg["payload"]), "FORBIDDEN") {
			t.Errorf("%s subscribing to the dashboard of %v: %v", role, m, msg)
		}
	}
}

// TestDashboardShowsWhatIsStuck counts, per dashboard scope, the goals
// without progress, the overdue actions per owning organisation, the
// overdue re-assessments and the overdue reconsiderations of not informing.
func TestDashboardShowsWhatIsStuck(t *testing.T) {
	a := newAPI(t, accessRegion())
	const q = `{ dashboard { stagnatingGoals overdueActions { key count } overdueReassessments informingOverdue } }`
	type board struct {
		Dashboard struct {
			StagnatingGoals int
			OverdueActions  []struct {
				Key   string
				Count int
			}
			OverdueReassessments, InformingOverdue int
		}
	}
	var all, mayor board
	a.as(actors["coordinator"]).must(q, nil, &all)
	d := all.Dashboard
	if d.StagnatingGoals != 2 || len(d.OverdueActions) != 1 || d.OverdueActions[0].Key != "org-jw" || d.OverdueActions[0].Count != 1 ||
		d.OverdueReassessments != 1 || d.InformingOverdue != 1 {
		t.Fatalf("the region's dashboard: %+v", d)
	}
	a.as(actors["mayor B"]).must(q, nil, &mayor)
	if d := mayor.Dashboard; d.StagnatingGoals != 1 || len(d.OverdueActions) != 0 || d.OverdueReassessments != 0 || d.InformingOverdue != 0 {
		t.Fatalf("Amstelveen's dashboard: %+v", d)
	}
}
