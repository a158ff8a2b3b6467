package casus

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestProcess works a known timeline by hand. Case a: opened day 0,
// ASSESSMENT day 2, CASE_CONFERENCE day 7. Case b: opened day 1, escalated
// day 3, ASSESSMENT day 5, closed day 6. Case c: opened day 10.
// REGISTERED stays: 2 and 4 days (median 2, p90 4); ASSESSMENT: 5 and 1
// (median 1, p90 5). In [day 0, day 7): two opened, one escalated, one
// closed.
func TestProcess(t *testing.T) {
	day := func(n int) time.Time { return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC).AddDate(0, 0, n) }
	move := func(id string, n int, to Phase) *CaseEvent {
		return &CaseEvent{CaseID: id, Type: EventPhaseChanged, At: day(n), Changes: []Change{{Field: "phase", After: to}}}
	}
	events := []*CaseEvent{
		{CaseID: "a", Type: EventCaseOpened, At: day(0), Changes: []Change{{Field: "phase", After: "REGISTERED"}}},
		move("a", 2, PhaseAssessment), move("a", 7, PhaseCaseConference),
		{CaseID: "b", Type: EventCaseOpened, At: day(1)},
		{CaseID: "b", Type: EventEscalated, At: day(3)},
		move("b", 5, PhaseAssessment),
		{CaseID: "b", Type: EventCaseClosed, At: day(6), Changes: []Change{{Field: "phase", Before: "ASSESSMENT", After: "CLOSED"}}},
		{CaseID: "c", Type: EventCaseOpened, At: day(10)},
	}
	f := Process(events, map[Phase]int{PhaseRegistered: 1, PhaseCaseConference: 1, PhaseClosed: 1}, day(0), day(7))
	got := fmt.Sprintf("opened %d escalated %d deescalated %d closed %d", f.Registered, f.Escalated, f.Deescalated, f.Closed)
	if got != "opened 2 escalated 1 deescalated 0 closed 1" {
		t.Errorf("period: %s", got)
	}
	h := func(d time.Duration) float64 { return d.Hours() / 24 }
	for _, p := range f.Phases {
		line := fmt.Sprintf("%s now %d stays %d median %g p90 %g", p.Phase, p.Current, p.Completed, h(p.Median), h(p.P90))
		want := map[Phase]string{
			PhaseRegistered:     "REGISTERED now 1 stays 2 median 2 p90 4",
			PhaseAssessment:     "ASSESSMENT now 0 stays 2 median 1 p90 5",
			PhaseCaseConference: "CASE_CONFERENCE now 1 stays 0 median 0 p90 0",
			PhaseClosed:         "CLOSED now 1 stays 0 median 0 p90 0",
		}[p.Phase]
		if want != "" && line != want {
			t.Errorf("%s, want %s", line, want)
		}
	}
}

// TestTimeAtLevel works escalations by hand. Case a: opened 1 March,
// escalated to REGIONAL 3 March, to AVZ 13 March, back to LOCAL 2 April.
// Case b: opened 5 March, escalated to REGIONAL 9 March. LOCAL stays: 2
// and 4 days; REGIONAL: 10 (b is still there); AVZ: 20. Per month in
// [1 March, 1 May): March 3 up, April 1 down.
func TestTimeAtLevel(t *testing.T) {
	day := func(m, d int) time.Time { return time.Date(2026, time.Month(m), d, 9, 0, 0, 0, time.UTC) }
	level := func(id string, at time.Time, from, to EscalationLevel) *CaseEvent {
		typ := EventEscalated
		if to == EscalationLocal {
			typ = EventDeescalated
		}
		return &CaseEvent{CaseID: id, Type: typ, At: at, Changes: []Change{{Field: "escalationLevel", Before: from, After: to}}}
	}
	events := []*CaseEvent{
		{CaseID: "a", Type: EventCaseOpened, At: day(3, 1)},
		level("a", day(3, 3), EscalationLocal, EscalationRegional),
		level("a", day(3, 13), EscalationRegional, EscalationAVZ),
		level("a", day(4, 2), EscalationAVZ, EscalationLocal),
		{CaseID: "b", Type: EventCaseOpened, At: day(3, 5)},
		level("b", day(3, 9), EscalationLocal, EscalationRegional),
	}
	f := Process(events, nil, day(3, 1).Truncate(24*time.Hour), day(5, 1).Truncate(24*time.Hour))
	var got []string
	for _, l := range f.Levels {
		got = append(got, fmt.Sprintf("%s %d %g %g", l.Level, l.Completed, l.Median.Hours()/24, l.P90.Hours()/24))
	}
	for _, m := range f.Months {
		got = append(got, fmt.Sprintf("%s +%d -%d", m.Month, m.Escalated, m.Deescalated))
	}
	want := "LOCAL 2 2 4, REGIONAL 1 10 10, AVZ 1 20 20, NATIONAL 0 0 0, 2026-03 +3 -0, 2026-04 +0 -1"
	if g := strings.Join(got, ", "); g != want {
		t.Fatalf("levels and months:\n got %s\nwant %s", g, want)
	}
}
