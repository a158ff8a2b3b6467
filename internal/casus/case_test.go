package casus

import (
	"testing"
	"time"
)

// open returns an open case in phase p at level l, directed or not.
func open(p Phase, l EscalationLevel, director string) *Case {
	return &Case{Reference: "AM-2026-0001", Phase: p, EscalationLevel: l, DirectorID: director}
}

func TestAdvance(t *testing.T) {
	for _, tc := range []struct {
		name    string
		c       *Case
		to      Phase
		content Content
		code    string // "" when allowed
	}{
		{"registered to assessment with a director", open(PhaseRegistered, EscalationLocal, "d"), PhaseAssessment, Content{}, ""},
		{"registered without a director", open(PhaseRegistered, EscalationLocal, ""), PhaseAssessment, Content{}, EINVALID},
		{"skipping a phase", open(PhaseRegistered, EscalationLocal, "d"), PhaseCaseConference, Content{}, EINVALID},
		{"backwards", open(PhaseCaseConference, EscalationLocal, "d"), PhaseAssessment, Content{}, EINVALID},
		{"closing without a report", open(PhaseExecution, EscalationLocal, "d"), PhaseClosed, Content{}, EINVALID},
		{"unknown phase", open(PhaseAssessment, EscalationLocal, "d"), Phase("DONE"), Content{}, EINVALID},
		{"a closed case", open(PhaseClosed, EscalationLocal, "d"), PhaseAssessment, Content{}, EINVALID},
		{"out of assessment without a weighing", open(PhaseAssessment, EscalationLocal, "d"), PhaseCaseConference, Content{HeldConferences: 1, Goals: 1, Actions: 1}, EINVALID},
		{"to the plan before a conference is held", open(PhaseCaseConference, EscalationLocal, "d"), PhaseActionPlan, Content{}, EINVALID},
		{"to the plan after a conference", open(PhaseCaseConference, EscalationLocal, "d"), PhaseActionPlan, Content{HeldConferences: 1}, ""},
		{"execution without a plan", open(PhaseActionPlan, EscalationLocal, "d"), PhaseExecution, Content{HeldConferences: 1}, EINVALID},
		{"execution with a goal but no action", open(PhaseActionPlan, EscalationLocal, "d"), PhaseExecution, Content{HeldConferences: 1, Goals: 1}, EINVALID},
		{"execution with a plan", open(PhaseActionPlan, EscalationLocal, "d"), PhaseExecution, Content{HeldConferences: 1, Goals: 1, Actions: 1}, ""},
		{"aftercare", open(PhaseExecution, EscalationLocal, "d"), PhaseAftercare, Content{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ch, err := tc.c.Advance(tc.to, tc.content)
			if got := ErrorCode(err); err != nil && got != tc.code || err == nil && tc.code != "" {
				t.Fatalf("Advance(%s) = %v, want code %q", tc.to, err, tc.code)
			}
			if err == nil && (ch.Field != "phase" || ch.Before != tc.c.Phase || ch.After != tc.to) {
				t.Fatalf("change = %+v", ch)
			}
		})
	}
}

func TestEscalation(t *testing.T) {
	level := func(l EscalationLevel) *EscalationLevel { return &l }
	for _, tc := range []struct {
		name string
		from EscalationLevel
		to   *EscalationLevel
		up   bool
		want EscalationLevel // "" when refused
	}{
		{"one up", EscalationLocal, nil, true, EscalationRegional},
		{"straight to national", EscalationLocal, level(EscalationNational), true, EscalationNational},
		{"up from the top", EscalationNational, nil, true, ""},
		{"up to a lower level", EscalationAVZ, level(EscalationLocal), true, ""},
		{"one down", EscalationRegional, nil, false, EscalationLocal},
		{"down from the bottom", EscalationLocal, nil, false, ""},
		{"down to a higher level", EscalationRegional, level(EscalationNational), false, ""},
		{"unknown level", EscalationLocal, level("GLOBAL"), true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := open(PhaseExecution, tc.from, "d")
			move := c.Deescalate
			if tc.up {
				move = c.Escalate
			}
			ch, err := move(tc.to)
			switch {
			case tc.want == "" && ErrorCode(err) != EINVALID:
				t.Fatalf("from %s: %v %+v, want INVALID", tc.from, err, ch)
			case tc.want != "" && (err != nil || ch.After != tc.want || ch.Before != tc.from):
				t.Fatalf("from %s: %+v %v, want %s", tc.from, ch, err, tc.want)
			}
		})
	}
	if _, err := open(PhaseClosed, EscalationLocal, "d").Escalate(nil); ErrorCode(err) != EINVALID {
		t.Fatalf("escalating a closed case: %v", err)
	}
}

func TestClose(t *testing.T) {
	report := &FinalReport{Summary: "s", Outcome: "o", Recommendations: "r"}
	done := []*Intervention{{Status: InterventionCompleted}, {Status: InterventionStopped}}
	for _, tc := range []struct {
		name          string
		c             *Case
		report        *FinalReport
		interventions []*Intervention
		ok            bool
	}{
		{"with a report and finished interventions", open(PhaseExecution, EscalationLocal, "d"), report, done, true},
		{"from an early phase", open(PhaseRegistered, EscalationLocal, "d"), report, nil, true},
		{"from ASSESSMENT, which closes through a weighing", open(PhaseAssessment, EscalationLocal, "d"), report, nil, false},
		{"without a report", open(PhaseExecution, EscalationLocal, "d"), nil, done, false},
		{"with an empty report", open(PhaseExecution, EscalationLocal, "d"), &FinalReport{}, done, false},
		{"with an active intervention", open(PhaseExecution, EscalationLocal, "d"), report, []*Intervention{{Status: InterventionActive}}, false},
		{"with a proposed intervention", open(PhaseExecution, EscalationLocal, "d"), report, []*Intervention{{Status: InterventionProposed}}, false},
		{"twice", open(PhaseClosed, EscalationLocal, "d"), report, done, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ch, err := tc.c.Close(tc.report, tc.interventions)
			if tc.ok != (err == nil) || err != nil && ErrorCode(err) != EINVALID {
				t.Fatalf("Close = %+v %v, want ok %v", ch, err, tc.ok)
			}
			if tc.ok && ch.After != PhaseClosed {
				t.Fatalf("change = %+v", ch)
			}
		})
	}
}

func TestScheduleReview(t *testing.T) {
	now := time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)
	c := open(PhaseExecution, EscalationLocal, "d")
	if _, err := c.ScheduleReview(now.AddDate(0, 0, -1), now); ErrorCode(err) != EINVALID {
		t.Fatalf("a review yesterday: %v", err)
	}
	ch, err := c.ScheduleReview(time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), now)
	if err != nil || ch.After != "2026-12-02" {
		t.Fatalf("a review today: %+v %v", ch, err)
	}
}
