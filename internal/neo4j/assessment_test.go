package neo4j_test

import (
	"testing"
	"time"

	"casusnet/internal/casus"
)

// TestRiskLevelFollowsAssessments records assessments and checks the case's
// risk level: it follows the latest one, not an older one recorded later,
// until a director overrides it, and follows again once the override is
// lifted.
func TestRiskLevelFollowsAssessments(t *testing.T) {
	f := inAssessment(t)
	day := time.Now().UTC().Truncate(24 * time.Hour)
	next := day.AddDate(0, 6, 0)
	assess := func(on time.Time, level casus.RiskLevel) *casus.Case {
		t.Helper()
		a, err := f.svc.AssessmentService.RecordAssessment(f.ctx, casus.AssessmentInput{CaseID: f.c.ID, Instrument: casus.InstrumentVERA2R,
			Version: "2R", Assessor: "dr. K. Taxateur", AssessorOrganisationID: "org-jw", Accredited: true, On: on, Outcome: level,
			Scenarios: "Escalatie bij contact met oude vriendenkring.", NextOn: &next})
		if err != nil || a.Outcome != level {
			t.Fatalf("assess: %v %+v", err, a)
		}
		c, err := f.svc.CaseService.Case(f.ctx, f.c.ID)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if c := assess(day, casus.RiskHigh); c.RiskLevel != casus.RiskHigh {
		t.Fatalf("risk level = %s, want HIGH", c.RiskLevel)
	}
	if c := assess(day.AddDate(0, -2, 0), casus.RiskLow); c.RiskLevel != casus.RiskHigh {
		t.Fatalf("an older assessment set the level: %s", c.RiskLevel)
	}
	medium := casus.RiskMedium
	c, err := f.svc.AssessmentService.OverrideRiskLevel(f.ctx, casus.CaseChange{CaseID: f.c.ID, Reason: "Nieuwe informatie van de politie"}, &medium)
	if err != nil || c.RiskLevel != casus.RiskMedium || !c.RiskOverridden {
		t.Fatalf("override: %v %+v", err, c)
	}
	if c := assess(day, casus.RiskLow); c.RiskLevel != casus.RiskMedium {
		t.Fatalf("an assessment replaced the director's level: %s", c.RiskLevel)
	}
	c, err = f.svc.AssessmentService.OverrideRiskLevel(f.ctx, casus.CaseChange{CaseID: f.c.ID, Reason: "Terug naar de taxatie"}, nil)
	if err != nil || c.RiskLevel != casus.RiskLow || c.RiskOverridden {
		t.Fatalf("lift the override: %v %+v", err, c)
	}
	_, err = f.svc.AssessmentService.OverrideRiskLevel(f.ctx, casus.CaseChange{CaseID: f.c.ID}, &medium)
	wantErr(t, err, casus.EINVALID, "reason")
	_, err = f.svc.AssessmentService.RecordAssessment(f.ctx, casus.AssessmentInput{CaseID: f.c.ID, Instrument: "CRYSTAL_BALL", Assessor: "x", On: day, Outcome: casus.RiskLow})
	wantErr(t, err, casus.EINVALID, "instrument")
	_, err = f.svc.AssessmentService.RecordAssessment(f.ctx, casus.AssessmentInput{CaseID: f.c.ID, Instrument: casus.InstrumentIR46, Assessor: "x", On: day, Outcome: casus.RiskLow, NextOn: &day})
	wantErr(t, err, casus.EINVALID, "nextOn")
}

// TestInforming records that the person is not informed, on a ground and
// with a date to reconsider, and later that they are.
func TestInforming(t *testing.T) {
	f := inAssessment(t)
	day := time.Now().UTC().Truncate(24 * time.Hour)
	soon := day.AddDate(0, 1, 0)
	c, err := f.svc.AssessmentService.RecordInforming(f.ctx, casus.InformingInput{CaseID: f.c.ID,
		Informing: casus.Informing{Ground: "Lopend strafrechtelijk onderzoek", ReconsiderOn: &soon}})
	if err != nil || c.Informing == nil || c.Informing.Informed || c.Informing.ReconsiderOn == nil {
		t.Fatalf("not informed: %v %+v", err, c.Informing)
	}
	if c.Informing.ReconsiderOverdue(day) || !c.Informing.ReconsiderOverdue(soon.AddDate(0, 0, 1)) {
		t.Fatalf("overdue only after the reconsideration date")
	}
	_, err = f.svc.AssessmentService.RecordInforming(f.ctx, casus.InformingInput{CaseID: f.c.ID, Informing: casus.Informing{Ground: "x"}})
	wantErr(t, err, casus.EINVALID, "reconsiderOn")
	_, err = f.svc.AssessmentService.RecordInforming(f.ctx, casus.InformingInput{CaseID: f.c.ID, Informing: casus.Informing{Informed: true, On: &day}})
	wantErr(t, err, casus.EINVALID, "by")
	c, err = f.svc.AssessmentService.RecordInforming(f.ctx, casus.InformingInput{CaseID: f.c.ID, Informing: casus.Informing{Informed: true, On: &day, By: "Regisseur Een"}})
	if err != nil || !c.Informing.Informed || c.Informing.By != "Regisseur Een" || c.Informing.Ground != "" {
		t.Fatalf("informed: %v %+v", err, c.Informing)
	}
	if evs := f.events(t); evs[len(evs)-1] != casus.EventInformed {
		t.Fatalf("events = %v", evs)
	}
}
