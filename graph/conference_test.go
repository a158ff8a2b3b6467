package graph_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"casusnet/internal/casus"
)

// conferencesQuery reads every field of the conferences a caller may see.
const conferencesQuery = `{ conferences { totalCount edges { node {
	id date chair minutes held subjectNames case { id }
	invitations { organisation { name } person attended }
	agenda { title organisation { name } }
	contributions { organisation { name } summary legalGround }
	decisions { text organisations { name } }
	actions { id description status case { id } organisation { name } }
} } } }`

type conferenceView struct {
	Conferences struct {
		TotalCount int
		Edges      []struct {
			Node struct {
				ID, Date      string
				Chair         *string
				Minutes       *string
				SubjectNames  []string
				Case          *struct{ ID string }
				Invitations   []struct{ Organisation struct{ Name string } }
				Agenda        []struct{ Title string }
				Contributions []struct{ Summary string }
				Decisions     []struct {
					Text          string
					Organisations []struct{ Name string }
				}
				Actions []struct {
					ID   string
					Case *struct{ ID string }
				}
			}
		}
	}
}

// TestPartnerSeesItsPartOfTheConference reads the conferences as youth
// work: only the one it is invited to, and of it only its own invitation,
// agenda item, contribution, decisions and action — no chair, no minutes, no
// case, and of a decision for several organisations only its own name. The director of the case sees all of it; the mayor of another
// municipality nothing.
func TestPartnerSeesItsPartOfTheConference(t *testing.T) {
	a := newAPI(t, accessRegion())
	var jw conferenceView
	a.as(actors["partner JW"]).must(conferencesQuery, nil, &jw)
	if jw.Conferences.TotalCount != 1 || len(jw.Conferences.Edges) != 1 {
		t.Fatalf("partner's conferences: %+v", jw)
	}
	k := jw.Conferences.Edges[0].Node
	got, _ := json.Marshal(k)
	switch {
	case k.Chair != nil || k.Minutes != nil || k.Case != nil:
		t.Errorf("partner sees the chair, the minutes or the case: %s", got)
	case len(k.Invitations) != 1 || k.Invitations[0].Organisation.Name != "Jongerenwerk":
		t.Errorf("partner's invitations: %s", got)
	case len(k.Agenda) != 1 || k.Agenda[0].Title != "punt org-jw":
		t.Errorf("partner's agenda: %s", got)
	case len(k.Contributions) != 1 || k.Contributions[0].Summary != "bijdrage org-jw":
		t.Errorf("partner's contributions: %s", got)
	case len(k.Decisions) != 2 || k.Decisions[0].Text != "besluit org-jw" || k.Decisions[1].Text != "gezamenlijk besluit conf-a":
		t.Errorf("partner's decisions: %s", got)
	case len(k.Decisions[1].Organisations) != 1 || k.Decisions[1].Organisations[0].Name != "Jongerenwerk":
		t.Errorf("a decision for several organisations tells the partner who else works the case: %s", got)
	case len(k.Actions) != 1 || k.Actions[0].ID != gid("PlanAction", "act-jw") || k.Actions[0].Case != nil:
		t.Errorf("partner's actions: %s", got)
	case k.Date == "" || len(k.SubjectNames) != 1:
		t.Errorf("partner does not see when and about whom: %s", got)
	}

	var dir conferenceView
	a.as(actors["director A"]).must(conferencesQuery, nil, &dir)
	if dir.Conferences.TotalCount != 1 {
		t.Fatalf("director's conferences: %+v", dir)
	}
	if d := dir.Conferences.Edges[0].Node; d.Chair == nil || d.Minutes == nil || d.Case == nil || len(d.Invitations) != 2 ||
		len(d.Agenda) != 3 || len(d.Decisions) != 4 || len(d.Decisions[3].Organisations) != 2 || len(d.Contributions) != 2 || len(d.Actions) != 2 {
		t.Errorf("director's conference: %+v", d)
	}
	var none conferenceView
	for _, role := range []string{"reporter", "auditor"} {
		a.as(actors[role]).must(conferencesQuery, nil, &none)
		if none.Conferences.TotalCount != 0 {
			t.Errorf("%s sees conferences: %+v", role, none)
		}
	}
}

// TestCaseContentInScope reads a case's weighings, conferences, plan and
// assessments as every role: whoever may read the case sees them, nobody
// else reaches them through the case, a partner not even through its own
// action's case.
func TestCaseContentInScope(t *testing.T) {
	a := newAPI(t, accessRegion())
	const q = `query($id: ID!) { case(id: $id) { weighings { outcome members { organisation { name } } criteria { code } }
		conferences { id } plan { id actions { id } interventions { id } stagnating } assessments { outcome instrument }
		informing { informed ground reconsiderOverdue } riskLevelOverridden reassessmentOverdue } }`
	for role, actor := range actors {
		for _, id := range []string{"case-a", "case-b"} {
			var out struct {
				Case *struct {
					Weighings   []struct{ Outcome string }
					Conferences []struct{ ID string }
					Plan        []struct {
						Actions       []struct{ ID string }
						Interventions []struct{ ID string }
					}
					Assessments []struct{ Outcome string }
					Informing   *struct{ Informed bool }
				}
			}
			r := a.as(actor).do(q, map[string]any{"id": gid("Case", id)}, &out)
			visible := canRead(role, id)
			if !visible {
				if out.Case != nil || len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "NOT_FOUND" {
					t.Errorf("%s reads %s's content: %+v %+v", role, id, out.Case, r.Errors)
				}
				continue
			}
			c := out.Case
			if len(r.Errors) > 0 || c == nil || len(c.Weighings) != 1 || len(c.Conferences) != 1 || len(c.Plan) != 1 || len(c.Assessments) != 1 {
				t.Errorf("%s reads %s: %+v %+v", role, id, c, r.Errors)
				continue
			}
			if id == "case-a" && (len(c.Plan[0].Actions) != 2 || len(c.Plan[0].Interventions) != 1 || c.Informing == nil || c.Informing.Informed) {
				t.Errorf("%s reads case-a's plan and informing: %+v", role, c)
			}
		}
	}
}

// canRead says which of the access region's cases role may read.
func canRead(role, caseID string) bool {
	switch role {
	case "coordinator":
		return true
	case "director A", "analyst A":
		return caseID == "case-a"
	case "mayor B":
		return caseID == "case-b"
	}
	return false
}

// TestPartnerReportStreamsToDirector has youth work report on its action:
// the director following the case's events receives ACTION_REPORTED with
// the change, the partner cannot report on the GGD's action, and its own
// event stream shows it nothing of the case.
func TestPartnerReportStreamsToDirector(t *testing.T) {
	a := newAPI(t, accessRegion())
	director := a.as(actors["director A"]).subscribe(t, "graphql-transport-ws", eventsQuery, nil)
	defer director.close()
	partner := a.as(actors["partner JW"]).subscribe(t, "graphql-transport-ws", eventsQuery, nil)
	defer partner.close()
	a.waitSubscribers(t, 2)

	jw := a.as(actors["partner JW"])
	r := jw.do(fmt.Sprintf(`mutation { reportAction(input: {action: %q, status: DONE, result: "klaar"}) { action { id } } }`, gid("PlanAction", "act-ggd")), nil, nil)
	if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "NOT_FOUND" {
		t.Fatalf("partner reports on another organisation's action: %+v", r)
	}
	var done struct {
		ReportAction struct {
			Action struct {
				Status, Result string
				Case           *struct{ ID string }
			}
		}
	}
	jw.must(fmt.Sprintf(`mutation { reportAction(input: {action: %q, status: DONE, result: "Mentor gekoppeld"}) { action { status result case { id } } } }`, gid("PlanAction", "act-jw")), nil, &done)
	if a := done.ReportAction.Action; a.Status != "DONE" || a.Result != "Mentor gekoppeld" || a.Case != nil {
		t.Fatalf("report: %+v", a)
	}
	if typ, _, ref := director.event(); typ != casus.EventActionReported || ref != "AM-2026-0001" {
		t.Fatalf("director received %s of %s, want ACTION_REPORTED of AM-2026-0001", typ, ref)
	}
	// The director's next event is the escalation below, not anything
	// the partner's stream got: the partner's stream stays silent.
	a.escalate(t, "case-a")
	if typ, _, _ := director.event(); typ != casus.EventEscalated {
		t.Fatalf("director's next event %s", typ)
	}
	partner.quiet(300 * time.Millisecond)
}

// TestProcessReadsAreLogged reads a partner's actions and conferences and a
// director's case with its weighings, plan and assessments: each read is in
// the access log with what it touched and the case it was reached through.
func TestProcessReadsAreLogged(t *testing.T) {
	a := newAPI(t, accessRegion())
	a.as(actors["partner JW"]).must(`query Mine { actions { edges { node { id description } } } conferences { edges { node { id date } } } }`, nil, nil)
	a.as(actors["director A"]).must(`query Workspace($id: ID!) { case(id: $id) { weighings { outcome } plan { description } assessments { outcome } } }`,
		map[string]any{"id": gid("Case", "case-a")}, nil)
	for user, want := range map[string][]string{
		"u-jw":  {"PlanAction:act-jw", "Conference:conf-a", "Case:case-a"},
		"dir-a": {"Weighing:w-a", "Goal:goal-a", "RiskAssessment:as-a", "Case:case-a"},
	} {
		var out struct {
			AuditLog struct {
				Edges []struct {
					Node struct{ Objects, Purpose []string }
				}
			}
		}
		a.as(actors["auditor"]).must(`query($u: String!) { auditLog(filter: {user: $u}) { edges { node { objects purpose } } } }`, map[string]any{"u": user}, &out)
		if len(out.AuditLog.Edges) != 1 {
			t.Fatalf("%s's entries: %+v", user, out)
		}
		e := out.AuditLog.Edges[0].Node
		for _, o := range want {
			if !slices.Contains(e.Objects, o) {
				t.Errorf("%s's entry lacks %s: %+v", user, o, e)
			}
		}
		if !slices.Contains(e.Purpose, "case-a") {
			t.Errorf("%s's entry lacks the case as its purpose: %+v", user, e)
		}
	}
}

// TestVerifyAccessLogOverGraphQL lets the auditor verify the chain, and
// nobody else.
func TestVerifyAccessLogOverGraphQL(t *testing.T) {
	a := newAPI(t, accessRegion())
	a.as(actors["director A"]).must(`query($id: ID!) { case(id: $id) { reference } }`, map[string]any{"id": gid("Case", "case-a")}, nil)
	var out struct {
		VerifyAccessLog struct {
			Intact   bool
			Checked  int
			BrokenAt *int
		}
	}
	a.as(actors["auditor"]).must(`{ verifyAccessLog { intact checked brokenAt } }`, nil, &out)
	if v := out.VerifyAccessLog; !v.Intact || v.Checked < 1 || v.BrokenAt != nil {
		t.Fatalf("verification: %+v", v)
	}
	for name, actor := range actors {
		if name == "auditor" {
			continue
		}
		if r := a.as(actor).do(`{ verifyAccessLog { intact } }`, nil, nil); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "FORBIDDEN" {
			t.Errorf("%s verifies the access log: %+v", name, r.Errors)
		}
	}
}

// TestConferenceMovesAndIsCalledOff: a planned conference moves to another
// day with a reason, which the timeline keeps; the invited partner sees the
// new day; it is called off and is gone from the case and the partner's
// list; a held conference neither moves nor is called off; a partner and a
// director of another municipality can do neither.
func TestConferenceMovesAndIsCalledOff(t *testing.T) {
	a := newAPI(t, accessRegion())
	dir := a.as(actors["director A"])
	var planned struct {
		ScheduleConference struct{ Conference struct{ ID string } }
	}
	dir.must(`mutation($c: ID!, $jw: ID!) { scheduleConference(input: {case: $c, date: "2099-03-01", startsAt: "14:00", endsAt: "15:00",
		chair: "Voorzitter", invitations: [{organisation: $jw}]}) { conference { id } } }`,
		map[string]any{"c": gid("Case", "case-a"), "jw": gid("Organisation", "org-jw")}, &planned)
	k := planned.ScheduleConference.Conference.ID
	move := `mutation($k: ID!) { moveConference(input: {conference: $k, date: "2099-03-08", startsAt: "10:00", endsAt: "11:00", reason: "Voorzitter ziek"}) { conference { date startsAt } } }`
	expectCode(t, a.as(actors["partner JW"]), move, map[string]any{"k": k}, "FORBIDDEN", "")
	expectCode(t, a.as(casus.Actor{ID: "dir-x", Role: casus.RoleDirector, Municipalities: []string{"GM0362"}}), move, map[string]any{"k": k}, "NOT_FOUND", "")
	expectCode(t, dir, `mutation($k: ID!) { moveConference(input: {conference: $k, date: "2099-03-08", startsAt: "10:00", endsAt: "09:00", reason: "r"}) { conference { id } } }`,
		map[string]any{"k": k}, "INVALID", "endsAt")
	expectCode(t, dir, `mutation($k: ID!) { cancelConference(input: {conference: $k, reason: " "}) { conference { id } } }`, map[string]any{"k": k}, "INVALID", "reason")
	var moved struct {
		MoveConference struct {
			Conference struct{ Date, StartsAt string }
		}
	}
	dir.must(move, map[string]any{"k": k}, &moved)
	if m := moved.MoveConference.Conference; m.Date != "2099-03-08" || m.StartsAt != "10:00" {
		t.Fatalf("moved to %+v", m)
	}
	var seen struct {
		Conferences struct {
			Edges []struct{ Node struct{ ID, Date string } }
		}
	}
	a.as(actors["partner JW"]).must(`{ conferences(first: 50) { edges { node { id date } } } }`, nil, &seen)
	if !slices.ContainsFunc(seen.Conferences.Edges, func(e struct{ Node struct{ ID, Date string } }) bool {
		return e.Node.ID == k && e.Node.Date == "2099-03-08"
	}) {
		t.Fatalf("the partner does not see the new day: %+v", seen)
	}
	dir.must(`mutation($k: ID!) { cancelConference(input: {conference: $k, reason: "Niet meer nodig"}) { conference { id } } }`, map[string]any{"k": k}, nil)
	a.as(actors["partner JW"]).must(`{ conferences(first: 50) { edges { node { id date } } } }`, nil, &seen)
	if slices.ContainsFunc(seen.Conferences.Edges, func(e struct{ Node struct{ ID, Date string } }) bool { return e.Node.ID == k }) {
		t.Fatal("the partner still sees the cancelled conference")
	}
	var timeline struct {
		Case struct {
			Timeline struct {
				Edges []struct{ Node struct{ Type, Reason string } }
			}
		}
	}
	dir.must(`query($c: ID!) { case(id: $c) { timeline(last: 5) { edges { node { type reason } } } } }`, map[string]any{"c": gid("Case", "case-a")}, &timeline)
	var got []string
	for _, e := range timeline.Case.Timeline.Edges {
		got = append(got, e.Node.Type+": "+e.Node.Reason)
	}
	if !slices.Contains(got, "CONFERENCE_MOVED: Voorzitter ziek") || !slices.Contains(got, "CONFERENCE_CANCELLED: Niet meer nodig") {
		t.Fatalf("timeline = %v", got)
	}
	expectCode(t, dir, `mutation($k: ID!) { cancelConference(input: {conference: $k, reason: "r"}) { conference { id } } }`,
		map[string]any{"k": gid("Conference", "conf-a")}, "INVALID", "conference") // held
}
