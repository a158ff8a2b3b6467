package neo4j_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"casusnet/internal/casus"
	"casusnet/internal/demo"
	"casusnet/internal/neo4j"
	"casusnet/internal/neo4j/neo4jtest"
)

// fixture is a fresh database with the small region and one open case.
type fixture struct {
	db  *neo4j.DB
	svc casus.Services
	ctx context.Context
	c   *casus.Case
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := neo4jtest.Open(t)
	region(t, db)
	f := &fixture{db: db, svc: neo4j.NewServices(db), ctx: testContext(t)}
	c, err := f.svc.CaseService.OpenCase(f.ctx, validInput())
	if err != nil {
		t.Fatalf("open case: %v", err)
	}
	f.c = c
	return f
}

func (f *fixture) change(reason string) casus.CaseChange {
	return casus.CaseChange{CaseID: f.c.ID, Reason: reason}
}

// escalation is a move of the fixture's case to level to (one step when
// nil) on criterion code, with reason.
func (f *fixture) escalation(reason string, to *casus.EscalationLevel, code string) casus.EscalationInput {
	return casus.EscalationInput{CaseChange: f.change(reason), To: to,
		Criteria: []casus.CriterionNote{{Code: code, Explanation: "zie het verslag"}}}
}

// events returns the types of the case's events, oldest first.
func (f *fixture) events(t *testing.T) []string {
	t.Helper()
	page, err := f.svc.EventService.Timeline(f.ctx, f.c.ID, casus.Page{First: ptr(100)})
	if err != nil {
		t.Fatalf("timeline: %v", err)
	}
	var out []string
	for _, e := range page.Edges {
		out = append(out, e.Event.Type)
	}
	return out
}

// unchanged asserts that the case is still as it was: a refused change
// wrote nothing.
func (f *fixture) unchanged(t *testing.T, before *casus.Case, events int) {
	t.Helper()
	now, err := f.svc.CaseService.Case(f.ctx, before.ID)
	if err != nil {
		t.Fatal(err)
	}
	if now.Version != before.Version || now.Phase != before.Phase || now.EscalationLevel != before.EscalationLevel ||
		now.DirectorID != before.DirectorID {
		t.Fatalf("refused change altered the case: %+v, was %+v", now, before)
	}
	if got := len(f.events(t)); got != events {
		t.Fatalf("refused change wrote an event: %d events, want %d", got, events)
	}
}

// hasWork reports whether phase p has work to do before the case moves on.
func (f *fixture) hasWork(p casus.Phase) bool {
	return p == casus.PhaseAssessment || p == casus.PhaseCaseConference || p == casus.PhaseActionPlan
}

// work does what phase p asks before the case moves on: the weighing team
// includes the case, a conference is held, the plan gets a goal with an
// action.
func (f *fixture) work(t *testing.T, p casus.Phase) {
	t.Helper()
	var err error
	switch p {
	case casus.PhaseAssessment:
		_, err = f.svc.WeighingService.RecordWeighing(f.ctx, weighingOf(f.c.ID, casus.WeighingInclude))
	case casus.PhaseCaseConference:
		var k *casus.Conference
		k, err = f.svc.ConferenceService.ScheduleConference(f.ctx, conferenceOf(f.c.ID, time.Now().UTC()))
		if err == nil {
			_, err = f.svc.ConferenceService.RecordConference(f.ctx, casus.RecordConferenceInput{
				ConferenceID: k.ID, Attended: []string{"org-jw"}, Minutes: "Plan van aanpak opgesteld."})
		}
	case casus.PhaseActionPlan:
		var g *casus.Goal
		g, err = f.svc.PlanService.AddGoal(f.ctx, casus.GoalInput{CaseID: f.c.ID, Domain: casus.DomainWorkSchool, Description: "Terug naar school"})
		if err == nil {
			_, err = f.svc.PlanService.AddAction(f.ctx, casus.ActionInput{GoalID: g.ID, Description: "Mentor koppelen", OrganisationID: "org-jw"})
		}
	}
	if err != nil {
		t.Fatalf("the work of %s: %v", p, err)
	}
}

// weighingOf returns a complete weighing of the case with outcome.
func weighingOf(caseID string, outcome casus.WeighingOutcome) casus.WeighingInput {
	in := casus.WeighingInput{CaseID: caseID, Outcome: outcome, Reasons: "Zorgen over online radicalisering; beschermende factoren in het gezin.",
		Members:  []casus.TeamMember{{OrganisationID: "org-gem", Name: "A. Gemeente"}, {OrganisationID: "org-pol", Name: "B. Politie"}, {OrganisationID: "org-om", Name: "C. Officier"}},
		Criteria: []casus.CriterionCheck{{Code: "IDEOLOGY", Met: true, Explanation: "Deelt propaganda"}, {Code: "PROTECTIVE", Met: true, Explanation: "Betrokken ouders"}}}
	if outcome == casus.WeighingMoreInformation {
		due := time.Now().UTC().AddDate(0, 0, 14)
		in.MissingInformation, in.InformationDue = "Schoolverzuim opvragen", &due
	}
	return in
}

// conferenceOf returns a conference of the case on day, inviting youth work.
func conferenceOf(caseID string, day time.Time) casus.ScheduleConferenceInput {
	return casus.ScheduleConferenceInput{CaseID: caseID, Date: day.Truncate(24 * time.Hour), StartsAt: "14:00", EndsAt: "15:30", Chair: "Regisseur Een",
		Invitations: []casus.Invitation{{OrganisationID: "org-jw", Person: "M. Aksoy"}},
		Agenda:      []casus.AgendaItem{{Title: "Schoolgang", OrganisationID: "org-jw"}, {Title: "Veiligheid"}}}
}

func wantErr(t *testing.T, err error, code, field string) {
	t.Helper()
	if casus.ErrorCode(err) != code || (field != "" && casus.ErrorField(err) != field) {
		t.Fatalf("err = %v (code %s, field %q), want %s on %q", err, casus.ErrorCode(err), casus.ErrorField(err), code, field)
	}
}

// TestEveryPhaseMove walks the case through the whole work process, trying
// every illegal move from every phase on the way.
func TestEveryPhaseMove(t *testing.T) {
	f := newFixture(t)
	c := f.c

	// Leaving REGISTERED needs a director.
	_, err := f.svc.PhaseService.AdvanceCase(f.ctx, f.change("beoordelen"), casus.PhaseAssessment)
	wantErr(t, err, casus.EINVALID, "to")
	c, err = f.svc.PhaseService.AssignDirector(f.ctx, f.change("past bij expertise"), "dir-1")
	if err != nil {
		t.Fatalf("assign director: %v", err)
	}

	for i, from := range casus.Phases[:len(casus.Phases)-2] { // REGISTERED .. EXECUTION
		// Every phase other than the next is refused, and changes nothing;
		// so is the next one before the phase's work is done.
		for _, to := range casus.Phases {
			if to == casus.Phases[i+1] && !f.hasWork(from) {
				continue
			}
			events := len(f.events(t))
			_, err := f.svc.PhaseService.AdvanceCase(f.ctx, f.change("x"), to)
			wantErr(t, err, casus.EINVALID, "to")
			f.unchanged(t, c, events)
		}
		next := casus.Phases[i+1]
		f.work(t, from)
		if from == casus.PhaseAssessment { // the weighing moved it on
			c, err = f.svc.CaseService.Case(f.ctx, f.c.ID)
		} else {
			c, err = f.svc.PhaseService.AdvanceCase(f.ctx, f.change("volgende stap"), next)
		}
		if err != nil {
			t.Fatalf("%s -> %s: %v", from, next, err)
		}
		if c.Phase != next {
			t.Fatalf("phase = %s, want %s", c.Phase, next)
		}
	}
	if c.Phase != casus.PhaseAftercare {
		t.Fatalf("walked to %s, want AFTERCARE", c.Phase)
	}
	// AFTERCARE moves only to CLOSED, and only through closeCase.
	_, err = f.svc.PhaseService.AdvanceCase(f.ctx, f.change("klaar"), casus.PhaseClosed)
	wantErr(t, err, casus.EINVALID, "to")
	_, err = f.svc.PhaseService.AdvanceCase(f.ctx, f.change("klaar"), "LIMBO")
	wantErr(t, err, casus.EINVALID, "to")

	// A phase move needs a reason.
	_, err = f.svc.PhaseService.AdvanceCase(f.ctx, f.change("  "), casus.PhaseClosed)
	wantErr(t, err, casus.EINVALID, "reason")

	c, err = f.svc.ReportService.CloseCase(f.ctx, f.change(""), casus.FinalReport{
		Summary: "Traject doorlopen.", Outcome: "Geen zorgen meer.", Recommendations: "Blijf alert op signalen."})
	if err != nil {
		t.Fatalf("close: %v", err)
	}
	if c.Phase != casus.PhaseClosed || c.ClosedAt == nil || c.NextReview != nil {
		t.Fatalf("closed case = %+v", c)
	}
	report, err := f.svc.ReportService.FinalReport(f.ctx, c.ID)
	if err != nil || report == nil {
		t.Fatalf("final report: %v %v", report, err)
	}
	if report.AddressedTo != "T. de Burgemeester" || report.MunicipalityCode != "GM0362" || report.WrittenByID != actor.ID {
		t.Fatalf("report = %+v, want it addressed to Amstelveen's mayor", report)
	}

	// A closed case moves nowhere and takes no change.
	events := len(f.events(t))
	for _, to := range casus.Phases {
		_, err := f.svc.PhaseService.AdvanceCase(f.ctx, f.change("heropenen"), to)
		wantErr(t, err, casus.EINVALID, "")
	}
	_, err = f.svc.EscalationService.Escalate(f.ctx, f.escalation("x", nil, "MULTIPLE_MUNICIPALITIES"))
	wantErr(t, err, casus.EINVALID, "")
	_, err = f.svc.PhaseService.AssignDirector(f.ctx, f.change("x"), "dir-2")
	wantErr(t, err, casus.EINVALID, "")
	_, err = f.svc.PhaseService.ScheduleReview(f.ctx, f.change("x"), time.Now().AddDate(0, 1, 0))
	wantErr(t, err, casus.EINVALID, "")
	_, err = f.svc.ReportService.CloseCase(f.ctx, f.change(""), casus.FinalReport{Summary: "a", Outcome: "b", Recommendations: "c"})
	wantErr(t, err, casus.EINVALID, "")
	_, err = f.svc.InterventionService.ProposeIntervention(f.ctx, casus.ProposeInterventionInput{CaseID: c.ID, OfferingID: "off-1", Goal: "x"})
	wantErr(t, err, casus.EINVALID, "")
	f.unchanged(t, c, events)

	_, err = f.svc.WeighingService.RecordWeighing(f.ctx, weighingOf(c.ID, casus.WeighingInclude))
	wantErr(t, err, casus.EINVALID, "")
	_, err = f.svc.ConferenceService.ScheduleConference(f.ctx, conferenceOf(c.ID, time.Now()))
	wantErr(t, err, casus.EINVALID, "")
	_, err = f.svc.PlanService.AddGoal(f.ctx, casus.GoalInput{CaseID: c.ID, Domain: casus.DomainHealth, Description: "x"})
	wantErr(t, err, casus.EINVALID, "")
	f.unchanged(t, c, events)

	want := "CASE_OPENED DIRECTOR_ASSIGNED PHASE_CHANGED WEIGHED CONFERENCE_SCHEDULED CONFERENCE_HELD PHASE_CHANGED GOAL_ADDED ACTION_ADDED PHASE_CHANGED PHASE_CHANGED CASE_CLOSED"
	if got := strings.Join(f.events(t), " "); got != want {
		t.Fatalf("timeline = %s\nwant       %s", got, want)
	}
}

func TestCloseFromAssessmentWithoutFurtherAction(t *testing.T) {
	f := newFixture(t)
	if _, err := f.svc.PhaseService.AssignDirector(f.ctx, f.change(""), "dir-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.PhaseService.AdvanceCase(f.ctx, f.change("beoordelen"), casus.PhaseAssessment); err != nil {
		t.Fatal(err)
	}
	// Closing without a report, or with an incomplete one, is refused.
	for _, r := range []casus.FinalReport{{}, {Summary: "s", Outcome: "o"}, {Summary: "s", Recommendations: "r"}} {
		_, err := f.svc.ReportService.CloseCase(f.ctx, f.change(""), r)
		wantErr(t, err, casus.EINVALID, "")
		if !strings.HasPrefix(casus.ErrorField(err), "report.") {
			t.Fatalf("field = %q, want report.*", casus.ErrorField(err))
		}
	}
	// A complete report does not close it either: in ASSESSMENT a case
	// closes through a weighing, which records criteria and reasons.
	_, err := f.svc.ReportService.CloseCase(f.ctx, f.change("geen verdere actie"), casus.FinalReport{
		Summary: "Beoordeeld.", Outcome: "Geen verdere actie nodig.", Recommendations: "Geen."})
	wantErr(t, err, casus.EINVALID, "case")
	if _, err := f.svc.WeighingService.RecordWeighing(f.ctx, weighingOf(f.c.ID, casus.WeighingNoAction)); err != nil {
		t.Fatal(err)
	}
	c, err := f.svc.CaseService.Case(f.ctx, f.c.ID)
	if err != nil || c.Phase != casus.PhaseClosed || c.ClosedAt == nil {
		t.Fatalf("close from ASSESSMENT: %v %+v", err, c)
	}
}

// TestEscalationUpAndDown moves a case up level by level and down again,
// each move on the criteria agreed for it, and refuses moves that go
// nowhere, criteria off the list, criteria without an explanation and a
// move without a reason, writing nothing for them.
func TestEscalationUpAndDown(t *testing.T) {
	f := newFixture(t)
	c := f.c
	_, err := f.svc.EscalationService.Deescalate(f.ctx, f.escalation("lager", nil, "LOCAL_SUFFICES"))
	wantErr(t, err, casus.EINVALID, "to") // already LOCAL
	_, err = f.svc.EscalationService.Escalate(f.ctx, f.escalation("risico groeit", nil, "HIGH_RISK"))
	wantErr(t, err, casus.EINVALID, "criteria.0.code") // a criterion of AVZ, not of REGIONAL
	unexplained := f.escalation("risico groeit", nil, "MULTIPLE_MUNICIPALITIES")
	unexplained.Criteria[0].Explanation = "  "
	_, err = f.svc.EscalationService.Escalate(f.ctx, unexplained)
	wantErr(t, err, casus.EINVALID, "criteria.0.explanation")
	none := f.escalation("risico groeit", nil, "")
	none.Criteria = nil
	_, err = f.svc.EscalationService.Escalate(f.ctx, none)
	wantErr(t, err, casus.EINVALID, "criteria")
	for i, code := range []string{"MULTIPLE_MUNICIPALITIES", "HIGH_RISK", "NATIONAL_SECURITY"} {
		var err error
		want := casus.EscalationLevels[i+1]
		c, err = f.svc.EscalationService.Escalate(f.ctx, f.escalation("risico groeit", nil, code))
		if err != nil || c.EscalationLevel != want {
			t.Fatalf("escalate: %v, level %s want %s", err, c.EscalationLevel, want)
		}
	}
	_, err = f.svc.EscalationService.Escalate(f.ctx, f.escalation("hoger", nil, "NATIONAL_SECURITY"))
	wantErr(t, err, casus.EINVALID, "to") // already NATIONAL
	local := casus.EscalationLocal
	_, err = f.svc.EscalationService.Deescalate(f.ctx, f.escalation("risico afgenomen", &local, "LOCAL_SUFFICES"))
	wantErr(t, err, casus.EINVALID, "criteria.0.code") // leaving NATIONAL takes its own criteria
	c, err = f.svc.EscalationService.Deescalate(f.ctx, f.escalation("risico afgenomen", &local, "NO_NATIONAL_INTEREST"))
	if err != nil || c.EscalationLevel != casus.EscalationLocal {
		t.Fatalf("de-escalate to LOCAL: %v %s", err, c.EscalationLevel)
	}
	avz := casus.EscalationAVZ
	_, err = f.svc.EscalationService.Deescalate(f.ctx, f.escalation("x", &avz, "RISK_REDUCED"))
	wantErr(t, err, casus.EINVALID, "to") // AVZ is not below LOCAL
	_, err = f.svc.EscalationService.Escalate(f.ctx, f.escalation("", nil, "MULTIPLE_MUNICIPALITIES"))
	wantErr(t, err, casus.EINVALID, "reason")

	page, _ := f.svc.EventService.Timeline(f.ctx, c.ID, casus.Page{First: ptr(100)})
	last := page.Edges[len(page.Edges)-1].Event
	if last.Type != casus.EventDeescalated || len(last.Changes) != 1 || last.Changes[0].Before != "NATIONAL" || last.Changes[0].After != "LOCAL" {
		t.Fatalf("last event = %+v", last)
	}
	moves, err := f.svc.EscalationService.Escalations(f.ctx, []string{c.ID})
	if err != nil || len(moves[0]) != 4 {
		t.Fatalf("escalations: %v, %d moves, want 4 (the refused ones wrote nothing)", err, len(moves[0]))
	}
	if m := moves[0][3]; m.Up || m.From != "NATIONAL" || m.To != "LOCAL" || m.Criteria[0].Code != "NO_NATIONAL_INTEREST" ||
		m.Reason != "risico afgenomen" || m.Ground == "" {
		t.Fatalf("last move = %+v, want NATIONAL to LOCAL on its criterion, reason and the national ground", m)
	}
}

func TestAssignDirectorAndScheduleReview(t *testing.T) {
	f := newFixture(t)
	c, err := f.svc.PhaseService.AssignDirector(f.ctx, f.change(""), "dir-1")
	if err != nil || c.DirectorID != "dir-1" {
		t.Fatalf("assign: %v %+v", err, c)
	}
	c, err = f.svc.PhaseService.AssignDirector(f.ctx, f.change("capaciteit"), "dir-2")
	if err != nil || c.DirectorID != "dir-2" {
		t.Fatalf("reassign: %v %+v", err, c)
	}
	if n := neo4jtest.Count(t, "MATCH (:Director)-[r:DIRECTS]->(:Case {id: $id}) RETURN count(r)", map[string]any{"id": c.ID}); n != 1 {
		t.Fatalf("case has %d directors, want 1", n)
	}
	_, err = f.svc.PhaseService.AssignDirector(f.ctx, f.change(""), "dir-2")
	wantErr(t, err, casus.EINVALID, "director")
	_, err = f.svc.PhaseService.AssignDirector(f.ctx, f.change(""), "dir-404")
	wantErr(t, err, casus.EINVALID, "director")

	on := time.Now().UTC().AddDate(0, 0, 14)
	c, err = f.svc.PhaseService.ScheduleReview(f.ctx, f.change(""), on)
	if err != nil || c.NextReview == nil || c.NextReview.Format(time.DateOnly) != on.Format(time.DateOnly) {
		t.Fatalf("schedule: %v %+v", err, c.NextReview)
	}
	_, err = f.svc.PhaseService.ScheduleReview(f.ctx, f.change(""), time.Now().AddDate(0, 0, -1))
	wantErr(t, err, casus.EINVALID, "on")

	// An overdue review shows in the filter.
	yes := true
	page, err := f.svc.CaseService.Cases(f.ctx, casus.CaseFilter{OverdueReview: &yes}, casus.Page{})
	if err != nil || page.TotalCount != 0 {
		t.Fatalf("overdue now: %v %d", err, page.TotalCount)
	}
	if _, err := f.svc.CaseService.Case(f.ctx, "case-404"); casus.ErrorCode(err) != casus.ENOTFOUND {
		t.Fatalf("unknown case: %v", err)
	}
	_, err = f.svc.PhaseService.AssignDirector(f.ctx, casus.CaseChange{CaseID: "case-404"}, "dir-1")
	wantErr(t, err, casus.ENOTFOUND, "")
}

func TestStaleVersionConflicts(t *testing.T) {
	f := newFixture(t)
	stale := f.c.Version
	if _, err := f.svc.PhaseService.AssignDirector(f.ctx, casus.CaseChange{CaseID: f.c.ID, ExpectedVersion: &stale}, "dir-1"); err != nil {
		t.Fatalf("change at the current version: %v", err)
	}
	events := len(f.events(t))
	now, _ := f.svc.CaseService.Case(f.ctx, f.c.ID)
	in := f.escalation("x", nil, "MULTIPLE_MUNICIPALITIES")
	in.ExpectedVersion = &stale
	_, err := f.svc.EscalationService.Escalate(f.ctx, in)
	wantErr(t, err, casus.ECONFLICT, "")
	f.unchanged(t, now, events)
}

// TestConcurrentChangesDoNotLoseUpdates runs changes to one case at once:
// each must apply on top of the others, so the version counts them all.
func TestConcurrentChangesDoNotLoseUpdates(t *testing.T) {
	f := newFixture(t)
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, err := f.svc.PhaseService.ScheduleReview(f.ctx, f.change(""), time.Now().UTC().AddDate(0, 0, i+1))
			errs <- err
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent change: %v", err)
		}
	}
	c, _ := f.svc.CaseService.Case(f.ctx, f.c.ID)
	if c.Version != f.c.Version+n {
		t.Fatalf("version = %d after %d changes from %d: an update was lost", c.Version, n, f.c.Version)
	}
	if got := len(f.events(t)); got != n+1 {
		t.Fatalf("events = %d, want %d", got, n+1)
	}
}

func TestInterventionLifecycle(t *testing.T) {
	f := newFixture(t)
	propose := casus.ProposeInterventionInput{CaseID: f.c.ID, OfferingID: "off-1", Goal: "Weerbaarheid vergroten"}

	// Not before the case conference.
	_, err := f.svc.InterventionService.ProposeIntervention(f.ctx, propose)
	wantErr(t, err, casus.EINVALID, "case")
	if _, err := f.svc.PhaseService.AssignDirector(f.ctx, f.change(""), "dir-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.PhaseService.AdvanceCase(f.ctx, f.change("verder"), casus.PhaseAssessment); err != nil {
		t.Fatal(err)
	}
	f.work(t, casus.PhaseAssessment)
	bad := propose
	bad.OfferingID = "off-404"
	_, err = f.svc.InterventionService.ProposeIntervention(f.ctx, bad)
	wantErr(t, err, casus.EINVALID, "offering")
	bad = propose
	bad.Goal = " "
	_, err = f.svc.InterventionService.ProposeIntervention(f.ctx, bad)
	wantErr(t, err, casus.EINVALID, "goal")

	propose.IdempotencyKey = "prop-1"
	iv, err := f.svc.InterventionService.ProposeIntervention(f.ctx, propose)
	if err != nil || iv.Status != casus.InterventionProposed || iv.CaseID != f.c.ID || iv.OfferingID != "off-1" {
		t.Fatalf("propose: %v %+v", err, iv)
	}
	again, err := f.svc.InterventionService.ProposeIntervention(f.ctx, propose)
	if err != nil || again.ID != iv.ID {
		t.Fatalf("retried proposal: %v, %+v, want %s", err, again, iv.ID)
	}
	if n := neo4jtest.Count(t, "MATCH (i:Intervention) RETURN count(i)", nil); n != 1 {
		t.Fatalf("interventions = %d, want 1", n)
	}

	// Starting needs the action plan.
	_, err = f.svc.InterventionService.MoveIntervention(f.ctx, casus.InterventionChange{ID: iv.ID}, casus.InterventionActive)
	wantErr(t, err, casus.EINVALID, "id")
	f.work(t, casus.PhaseCaseConference)
	if _, err := f.svc.PhaseService.AdvanceCase(f.ctx, f.change("plan"), casus.PhaseActionPlan); err != nil {
		t.Fatal(err)
	}
	// Completing a proposed one is refused; so is an outcome-less completion.
	_, err = f.svc.InterventionService.MoveIntervention(f.ctx, casus.InterventionChange{ID: iv.ID, Outcome: "x"}, casus.InterventionCompleted)
	wantErr(t, err, casus.EINVALID, "id")
	iv, err = f.svc.InterventionService.MoveIntervention(f.ctx, casus.InterventionChange{ID: iv.ID}, casus.InterventionActive)
	if err != nil || iv.Status != casus.InterventionActive || iv.StartedOn == nil {
		t.Fatalf("start: %v %+v", err, iv)
	}
	_, err = f.svc.InterventionService.MoveIntervention(f.ctx, casus.InterventionChange{ID: iv.ID}, casus.InterventionCompleted)
	wantErr(t, err, casus.EINVALID, "outcome")
	_, err = f.svc.InterventionService.MoveIntervention(f.ctx, casus.InterventionChange{ID: iv.ID}, casus.InterventionStopped)
	wantErr(t, err, casus.EINVALID, "reason")

	// A case with an active intervention does not close.
	_, err = f.svc.ReportService.CloseCase(f.ctx, f.change(""), casus.FinalReport{Summary: "s", Outcome: "o", Recommendations: "r"})
	wantErr(t, err, casus.EINVALID, "case")

	iv, err = f.svc.InterventionService.MoveIntervention(f.ctx, casus.InterventionChange{ID: iv.ID, Outcome: "Doel bereikt"}, casus.InterventionCompleted)
	if err != nil || iv.Status != casus.InterventionCompleted || iv.EndedOn == nil || iv.Outcome != "Doel bereikt" {
		t.Fatalf("complete: %v %+v", err, iv)
	}
	_, err = f.svc.InterventionService.MoveIntervention(f.ctx, casus.InterventionChange{ID: iv.ID, Reason: "x"}, casus.InterventionStopped)
	wantErr(t, err, casus.EINVALID, "id") // completed is final

	second, err := f.svc.InterventionService.ProposeIntervention(f.ctx, casus.ProposeInterventionInput{CaseID: f.c.ID, OfferingID: "off-1", Goal: "Nazorg"})
	if err != nil {
		t.Fatal(err)
	}
	second, err = f.svc.InterventionService.MoveIntervention(f.ctx, casus.InterventionChange{ID: second.ID, Reason: "Jongere wil niet"}, casus.InterventionStopped)
	if err != nil || second.Status != casus.InterventionStopped {
		t.Fatalf("stop: %v %+v", err, second)
	}
	_, err = f.svc.InterventionService.MoveIntervention(f.ctx, casus.InterventionChange{ID: "int-404"}, casus.InterventionActive)
	wantErr(t, err, casus.ENOTFOUND, "")

	ivs, err := f.svc.InterventionService.InterventionsOfCases(f.ctx, []string{f.c.ID, "case-404"})
	if err != nil || len(ivs) != 2 || len(ivs[0]) != 2 || len(ivs[1]) != 0 {
		t.Fatalf("interventions of cases: %v %v", err, ivs)
	}
	want := "INTERVENTION_PROPOSED INTERVENTION_STARTED INTERVENTION_COMPLETED INTERVENTION_PROPOSED INTERVENTION_STOPPED"
	var got []string
	for _, e := range f.events(t) {
		if strings.HasPrefix(e, "INTERVENTION_") {
			got = append(got, e)
		}
	}
	if got := strings.Join(got, " "); got != want {
		t.Fatalf("intervention events = %s\nwant %s", got, want)
	}
}

func TestDecideMeasure(t *testing.T) {
	f := newFixture(t)
	mayor := casus.WithActor(f.ctx, casus.Actor{ID: "u-mayor", Name: "T. de Burgemeester", Role: "MAYOR", Municipalities: []string{"GM0362"}})
	in := casus.DecideMeasureInput{CaseID: f.c.ID, Type: casus.MeasureAreaBan, Decision: casus.DecisionImposed,
		Reason: "Openbare orde", IdempotencyKey: "m-1"}
	m, err := f.svc.MeasureService.DecideMeasure(mayor, in)
	if err != nil || m.Type != casus.MeasureAreaBan || m.DecidedByName != "T. de Burgemeester" || m.CaseID != f.c.ID {
		t.Fatalf("decide: %v %+v", err, m)
	}
	again, err := f.svc.MeasureService.DecideMeasure(mayor, in)
	if err != nil || again.ID != m.ID {
		t.Fatalf("retry: %v %+v", err, again)
	}
	for _, bad := range []struct {
		edit  func(*casus.DecideMeasureInput)
		field string
	}{
		{func(in *casus.DecideMeasureInput) { in.Type = "CURFEW" }, "type"},
		{func(in *casus.DecideMeasureInput) { in.Decision = "MAYBE" }, "decision"},
		{func(in *casus.DecideMeasureInput) { in.Reason = "" }, "reason"},
	} {
		x := in
		x.IdempotencyKey = ""
		bad.edit(&x)
		_, err := f.svc.MeasureService.DecideMeasure(mayor, x)
		wantErr(t, err, casus.EINVALID, bad.field)
	}
	ms, err := f.svc.MeasureService.MeasuresOfCases(f.ctx, []string{f.c.ID})
	if err != nil || len(ms[0]) != 1 {
		t.Fatalf("measures: %v %v", err, ms)
	}
}

func TestOpenCaseFromSignals(t *testing.T) {
	db := neo4jtest.Open(t)
	region(t, db)
	received := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	if _, err := db.Seed(testContext(t), demo.Data{
		Municipalities: []demo.Municipality{{Code: "GM0362", Name: "Amstelveen"}},
		Organisations:  []demo.Organisation{{ID: "org-school", Name: "School", Type: "SCHOOL"}},
		Signals: []demo.Signal{
			{ID: "sig-1", OrganisationID: "org-school", Municipality: "GM0362", Description: "a", Status: "NEW", About: []string{"p-2"}, ReceivedAt: received},
			{ID: "sig-2", OrganisationID: "org-school", Municipality: "GM0362", Description: "b", Status: "DISMISSED", About: []string{"p-3"}, ReceivedAt: received},
		},
	}); err != nil {
		t.Fatal(err)
	}
	svc := neo4j.NewServices(db)
	ctx := testContext(t)
	in := validInput()
	in.SubjectIDs = nil
	in.SignalIDs = []string{"sig-2"}
	_, err := svc.CaseService.OpenCase(ctx, in)
	wantErr(t, err, casus.EINVALID, "signals") // a dismissed signal leads nowhere

	in.SignalIDs = []string{"sig-1"}
	in.SubjectIDs = []string{"p-1"}
	c, err := svc.CaseService.OpenCase(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(slices.Sorted(slices.Values(c.SubjectIDs)), ",") != "p-1,p-2" {
		t.Fatalf("subjects = %v, want the given person and the signal's", c.SubjectIDs)
	}
	if n := neo4jtest.Count(t, "MATCH (s:Signal {id: 'sig-1', status: 'CASE_OPENED'})-[:LED_TO]->(:Case {id: $id}) RETURN count(s)", map[string]any{"id": c.ID}); n != 1 {
		t.Fatal("the signal did not become CASE_OPENED with LED_TO")
	}
	_, err = svc.CaseService.OpenCase(ctx, in)
	wantErr(t, err, casus.EINVALID, "signals") // used once
}
