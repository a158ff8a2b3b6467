package neo4j_test

import (
	"testing"
	"time"

	"casusnet/internal/casus"
	"casusnet/internal/neo4j/neo4jtest"
)

// partnerJW acts for youth work (org-jw), partnerOther for the police.
var (
	partnerJW    = casus.Actor{ID: "u-jw", Name: "M. Aksoy", Role: casus.RolePartner, OrganisationID: "org-jw"}
	partnerOther = casus.Actor{ID: "u-pol", Name: "B. Politie", Role: casus.RolePartner, OrganisationID: "org-pol"}
)

// TestConferenceAndPlan holds a conference that decides two actions, one
// owned by youth work and one by the police, and checks what each sees:
// the director everything; youth work the date, its own invitation,
// agenda item, decision and action, no chair, no minutes; a partner that
// was not invited nothing. Youth work reports on its action, which the
// case's timeline shows, and cannot touch the other one.
func TestConferenceAndPlan(t *testing.T) {
	f := inAssessment(t)
	f.work(t, casus.PhaseAssessment)
	day := time.Now().UTC().Truncate(24 * time.Hour)
	in := conferenceOf(f.c.ID, day)
	in.Invitations = append(in.Invitations, casus.Invitation{OrganisationID: "org-pol"})
	in.Agenda = append(in.Agenda, casus.AgendaItem{Title: "Politie-informatie", OrganisationID: "org-pol"})
	k, err := f.svc.ConferenceService.ScheduleConference(f.ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.ConferenceService.RecordConference(f.ctx, casus.RecordConferenceInput{ConferenceID: k.ID, Attended: []string{"org-om"}, Minutes: "m"})
	wantErr(t, err, casus.EINVALID, "attended")
	k, err = f.svc.ConferenceService.RecordConference(f.ctx, casus.RecordConferenceInput{ConferenceID: k.ID,
		Attended:      []string{"org-jw", "org-pol"},
		Contributions: []casus.Contribution{{OrganisationID: "org-jw", Summary: "Contact loopt goed", LegalGround: "convenant art. 7"}, {OrganisationID: "org-pol", Summary: "Geen nieuwe incidenten", LegalGround: "Wpg art. 19"}},
		Decisions:     []casus.Decision{{Text: "Mentor via jongerenwerk", OrganisationIDs: []string{"org-jw"}}, {Text: "Politie houdt zicht", OrganisationIDs: []string{"org-pol"}}},
		Minutes:       "Besproken: school, veiligheid."})
	if err != nil || !k.Held || len(k.Decisions) != 2 || k.Invitations[0].Attended == nil {
		t.Fatalf("record: %v %+v", err, k)
	}
	if _, err := f.svc.PhaseService.AdvanceCase(f.ctx, f.change("plan"), casus.PhaseActionPlan); err != nil {
		t.Fatal(err)
	}

	g, err := f.svc.PlanService.AddGoal(f.ctx, casus.GoalInput{CaseID: f.c.ID, Domain: casus.DomainWorkSchool, Description: "Terug naar school"})
	if err != nil {
		t.Fatal(err)
	}
	before := day.AddDate(0, 0, -1)
	_, err = f.svc.PlanService.AddAction(f.ctx, casus.ActionInput{GoalID: g.ID, ConferenceID: k.ID, Description: "x", OrganisationID: "org-jw", Due: &before})
	wantErr(t, err, casus.EINVALID, "due")
	_, err = f.svc.PlanService.AddAction(f.ctx, casus.ActionInput{GoalID: g.ID, Description: "x", OrganisationID: "org-404"})
	wantErr(t, err, casus.EINVALID, "organisation")
	due := day.AddDate(0, 0, 14)
	own, err := f.svc.PlanService.AddAction(f.ctx, casus.ActionInput{GoalID: g.ID, ConferenceID: k.ID, Description: "Mentor koppelen", OrganisationID: "org-jw", Owner: "M. Aksoy", Due: &due})
	if err != nil {
		t.Fatal(err)
	}
	other, err := f.svc.PlanService.AddAction(f.ctx, casus.ActionInput{GoalID: g.ID, ConferenceID: k.ID, Description: "Huisbezoek", OrganisationID: "org-pol"})
	if err != nil {
		t.Fatal(err)
	}

	// The director sees the whole conference.
	ks, err := f.svc.ConferenceService.ConferencesOfCases(f.ctx, []string{f.c.ID})
	if err != nil || len(ks[0]) != 1 {
		t.Fatalf("conferences: %v %+v", err, ks)
	}
	full := ks[0][0]
	if full.Chair == "" || full.Minutes == "" || len(full.Invitations) != 2 || len(full.Agenda) != 3 || len(full.Contributions) != 2 || len(full.Decisions) != 2 || len(full.Actions) != 2 {
		t.Fatalf("the director's conference: %+v", full)
	}

	// Youth work sees what concerns it, and nothing else.
	jw := casus.WithActor(f.ctx, partnerJW)
	page, err := f.svc.ConferenceService.Conferences(jw, time.Time{}, casus.Page{})
	if err != nil || page.TotalCount != 1 {
		t.Fatalf("partner's conferences: %v %+v", err, page)
	}
	mine := page.Edges[0].Conference
	switch {
	case mine.Chair != "" || mine.Minutes != "":
		t.Errorf("partner sees the chair or the minutes: %+v", mine)
	case len(mine.Invitations) != 1 || mine.Invitations[0].OrganisationID != "org-jw":
		t.Errorf("partner's invitations: %+v", mine.Invitations)
	case len(mine.Agenda) != 1 || mine.Agenda[0].OrganisationID != "org-jw":
		t.Errorf("partner's agenda: %+v", mine.Agenda)
	case len(mine.Contributions) != 1 || mine.Contributions[0].OrganisationID != "org-jw":
		t.Errorf("partner's contributions: %+v", mine.Contributions)
	case len(mine.Decisions) != 1 || mine.Decisions[0].Text != "Mentor via jongerenwerk":
		t.Errorf("partner's decisions: %+v", mine.Decisions)
	case len(mine.Actions) != 1 || mine.Actions[0].ID != own.ID:
		t.Errorf("partner's actions: %+v", mine.Actions)
	case mine.Date.IsZero() || len(mine.SubjectNames) == 0:
		t.Errorf("partner does not see the date and who it is about: %+v", mine)
	}
	if gs, err := f.svc.PlanService.GoalsOfCases(jw, []string{f.c.ID}); err != nil || len(gs[0]) != 0 {
		t.Errorf("partner reads the case's plan: %+v %v", gs, err)
	}
	acts, err := f.svc.PlanService.Actions(jw, casus.ActionFilter{}, casus.Page{})
	if err != nil || acts.TotalCount != 1 || acts.Edges[0].Action.ID != own.ID {
		t.Fatalf("partner's actions: %v %+v", err, acts)
	}
	// The police, invited too, sees its own part; a partner that was not
	// invited sees no conference at all.
	if page, err := f.svc.ConferenceService.Conferences(casus.WithActor(f.ctx, partnerOther), time.Time{}, casus.Page{}); err != nil || page.TotalCount != 1 {
		t.Fatalf("police conferences: %v %+v", err, page)
	} else if p := page.Edges[0].Conference; len(p.Actions) != 1 || p.Actions[0].ID != other.ID || len(p.Decisions) != 1 || p.Decisions[0].Text != "Politie houdt zicht" {
		t.Fatalf("police sees: %+v", p)
	}
	stranger := casus.WithActor(f.ctx, casus.Actor{ID: "u-ggd", Role: casus.RolePartner, OrganisationID: "org-ggd"})
	if page, err := f.svc.ConferenceService.Conferences(stranger, time.Time{}, casus.Page{}); err != nil || page.TotalCount != 0 {
		t.Fatalf("an uninvited partner's conferences: %v %+v", err, page)
	}
	if _, err := f.svc.ConferenceService.Conference(stranger, k.ID); casus.ErrorCode(err) != casus.ENOTFOUND {
		t.Fatalf("an uninvited partner reads the conference: %v", err)
	}

	// Youth work reports on its own action and cannot reach the other.
	_, err = f.svc.PlanService.ReportAction(jw, casus.ActionReport{ID: other.ID, Status: casus.ActionDone, Result: "x"})
	wantErr(t, err, casus.ENOTFOUND, "")
	_, err = f.svc.PlanService.ReportAction(jw, casus.ActionReport{ID: own.ID, Status: casus.ActionDone})
	wantErr(t, err, casus.EINVALID, "result")
	done, err := f.svc.PlanService.ReportAction(jw, casus.ActionReport{ID: own.ID, Status: casus.ActionDone, Result: "Mentor gekoppeld"})
	if err != nil || done.Status != casus.ActionDone || done.Result != "Mentor gekoppeld" {
		t.Fatalf("report: %v %+v", err, done)
	}
	_, err = f.svc.PlanService.ReportAction(jw, casus.ActionReport{ID: own.ID, Status: casus.ActionOpen})
	wantErr(t, err, casus.EINVALID, "status")
	evs := f.events(t)
	if evs[len(evs)-1] != casus.EventActionReported {
		t.Fatalf("timeline ends with %v, want ACTION_REPORTED", evs)
	}
	// The partner's report did not let it read the case.
	if _, err := f.svc.CaseService.Case(jw, f.c.ID); casus.ErrorCode(err) != casus.ENOTFOUND {
		t.Fatalf("partner reads the case: %v", err)
	}
	if _, err := f.svc.PhaseService.AdvanceCase(f.ctx, f.change("uitvoering"), casus.PhaseExecution); err != nil {
		t.Fatal(err)
	}
}

// TestStagnatingGoal finds a goal whose actions have not moved for the
// stagnation period.
func TestStagnatingGoal(t *testing.T) {
	f := inAssessment(t)
	f.work(t, casus.PhaseAssessment)
	f.work(t, casus.PhaseCaseConference)
	f.work(t, casus.PhaseActionPlan)
	gs, err := f.svc.PlanService.GoalsOfCases(f.ctx, []string{f.c.ID})
	if err != nil || len(gs[0]) != 1 || gs[0][0].Stagnating {
		t.Fatalf("a new goal: %v %+v", err, gs)
	}
	g := gs[0][0]
	if !g.Stagnant(time.Now().Add(casus.DefaultStagnation+time.Hour), casus.DefaultStagnation) {
		t.Fatalf("a goal with an open action, unmoved past the period, is stagnating")
	}
	if _, err := neo4jtest.Exec(t, "MATCH (g:Goal {id: '"+g.ID+"'}) SET g.progressAt = datetime() - duration({days: 60})"); err != nil {
		t.Fatal(err)
	}
	gs, err = f.svc.PlanService.GoalsOfCases(f.ctx, []string{f.c.ID})
	if err != nil || !gs[0][0].Stagnating {
		t.Fatalf("a goal unmoved for 60 days: %v %+v", err, gs)
	}
}
