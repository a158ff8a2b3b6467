package neo4j_test

import (
	"testing"
	"time"

	"casusnet/internal/casus"
	"casusnet/internal/neo4j/neo4jtest"
)

// inAssessment returns a fixture whose case is in ASSESSMENT.
func inAssessment(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	if _, err := f.svc.PhaseService.AssignDirector(f.ctx, f.change(""), "dir-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.PhaseService.AdvanceCase(f.ctx, f.change("beoordelen"), casus.PhaseAssessment); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestWeighingOutcomes takes a case through each outcome of a weighing: it
// moves on or closes as the outcome says, with an event that holds both
// changes, and a closing weighing leaves a final report giving it as the
// ground.
func TestWeighingOutcomes(t *testing.T) {
	for _, tc := range []struct {
		outcome casus.WeighingOutcome
		phase   casus.Phase
	}{
		{casus.WeighingInclude, casus.PhaseCaseConference},
		{casus.WeighingMoreInformation, casus.PhaseAssessment},
		{casus.WeighingNoAction, casus.PhaseClosed},
		{casus.WeighingRefer, casus.PhaseClosed},
	} {
		t.Run(string(tc.outcome), func(t *testing.T) {
			f := inAssessment(t)
			events := len(f.events(t))
			w, err := f.svc.WeighingService.RecordWeighing(f.ctx, weighingOf(f.c.ID, tc.outcome))
			if err != nil {
				t.Fatal(err)
			}
			if w.Outcome != tc.outcome || len(w.Members) != 3 || len(w.Criteria) != 2 || w.Criteria[0].Explanation != "Deelt propaganda" || w.CaseID != f.c.ID {
				t.Fatalf("weighing = %+v", w)
			}
			c, err := f.svc.CaseService.Case(f.ctx, f.c.ID)
			if err != nil || c.Phase != tc.phase {
				t.Fatalf("phase = %v (%v), want %s", c.Phase, err, tc.phase)
			}
			evs := f.events(t)
			if len(evs) != events+1 || evs[len(evs)-1] != casus.EventWeighed {
				t.Fatalf("events = %v, want one more WEIGHED", evs)
			}
			report, err := f.svc.ReportService.FinalReport(f.ctx, f.c.ID)
			switch {
			case tc.phase == casus.PhaseClosed && (err != nil || report == nil || report.Outcome == ""):
				t.Fatalf("a closing weighing leaves a final report: %+v %v", report, err)
			case tc.phase != casus.PhaseClosed && report != nil:
				t.Fatalf("final report of an open case: %+v", report)
			}
			if tc.outcome == casus.WeighingMoreInformation && (w.MissingInformation == "" || w.InformationDue == nil) {
				t.Fatalf("what is missing and by when: %+v", w)
			}
		})
	}
}

// TestWeighingRefusals checks that a bad weighing is refused with INVALID
// on the field at fault and writes nothing.
func TestWeighingRefusals(t *testing.T) {
	f := inAssessment(t)
	before, err := f.svc.CaseService.Case(f.ctx, f.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	events := len(f.events(t))
	for name, tc := range map[string]struct {
		edit  func(*casus.WeighingInput)
		field string
	}{
		"no public prosecutor": {func(in *casus.WeighingInput) { in.Members = in.Members[:2] }, "members"},
		"unknown organisation": {func(in *casus.WeighingInput) { in.Members[2].OrganisationID = "org-404" }, "members"},
		"outcome off the list": {func(in *casus.WeighingInput) { in.Outcome = "MAYBE" }, "outcome"},
		"unknown criterion":    {func(in *casus.WeighingInput) { in.Criteria[0].Code = "HUNCH" }, "criteria"},
		"criterion twice":      {func(in *casus.WeighingInput) { in.Criteria[1].Code = in.Criteria[0].Code }, "criteria"},
		"no reasons":           {func(in *casus.WeighingInput) { in.Reasons = "  " }, "reasons"},
		"more information without a date": {func(in *casus.WeighingInput) {
			in.Outcome, in.MissingInformation = casus.WeighingMoreInformation, "x"
		}, "informationDue"},
		"in the future": {func(in *casus.WeighingInput) { d := time.Now().AddDate(0, 0, 3); in.WeighedOn = &d }, "weighedOn"},
	} {
		in := weighingOf(f.c.ID, casus.WeighingInclude)
		tc.edit(&in)
		_, err := f.svc.WeighingService.RecordWeighing(f.ctx, in)
		if casus.ErrorCode(err) != casus.EINVALID || casus.ErrorField(err) != tc.field {
			t.Errorf("%s: %v (field %q), want INVALID on %s", name, err, casus.ErrorField(err), tc.field)
		}
	}
	f.unchanged(t, before, events)
	if n := neo4jtest.Count(t, "MATCH (w:Weighing) RETURN count(w)", nil); n != 0 {
		t.Fatalf("weighings = %d after refusals, want 0", n)
	}
	// Outside ASSESSMENT there is nothing to weigh.
	if _, err := f.svc.WeighingService.RecordWeighing(f.ctx, weighingOf(f.c.ID, casus.WeighingInclude)); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.WeighingService.RecordWeighing(f.ctx, weighingOf(f.c.ID, casus.WeighingInclude))
	wantErr(t, err, casus.EINVALID, "case")
}

// TestWeighingFigures counts weighings per municipality and outcome in a
// period, and only those of cases the caller may see.
func TestWeighingFigures(t *testing.T) {
	f := inAssessment(t)
	for _, o := range []casus.WeighingOutcome{casus.WeighingMoreInformation, casus.WeighingMoreInformation, casus.WeighingInclude} {
		if _, err := f.svc.WeighingService.RecordWeighing(f.ctx, weighingOf(f.c.ID, o)); err != nil {
			t.Fatal(err)
		}
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	figs, err := f.svc.WeighingService.WeighingFigures(f.ctx, today, today.AddDate(0, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	want := map[casus.WeighingOutcome]int{casus.WeighingMoreInformation: 2, casus.WeighingInclude: 1}
	if len(figs) != 2 {
		t.Fatalf("figures = %+v", figs)
	}
	for _, fg := range figs {
		if fg.MunicipalityCode != "GM0362" || fg.Count != want[fg.Outcome] {
			t.Fatalf("figure %+v, want %v in GM0362", fg, want)
		}
	}
	// A mayor of another municipality counts none of them.
	other := casus.WithActor(f.ctx, casus.Actor{ID: "u-mayor", Role: casus.RoleMayor, Municipalities: []string{"GM0384"}})
	if figs, err := f.svc.WeighingService.WeighingFigures(other, today, today.AddDate(0, 0, 1)); err != nil || len(figs) != 0 {
		t.Fatalf("another municipality's mayor: %+v %v, want none", figs, err)
	}
	if _, err := f.svc.WeighingService.WeighingFigures(f.ctx, today, today); casus.ErrorCode(err) != casus.EINVALID {
		t.Fatalf("an empty period: %v, want INVALID", err)
	}
}
