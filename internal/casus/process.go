package casus

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// PhaseFigures describe one phase of the work process: how many cases are
// in it now, and how long the cases that left it stayed.
type PhaseFigures struct {
	Phase   Phase
	Current int
	// Completed is how many stays in the phase ended; Median and P90 are
	// their lengths (nearest rank), zero when none ended.
	Completed   int
	Median, P90 time.Duration
}

// ProcessFigures are the phases' figures and what happened in a period.
type ProcessFigures struct {
	Phases                                     []PhaseFigures
	Registered, Escalated, Deescalated, Closed int
	From, To                                   time.Time
}

// Process computes the figures from the case events of the cases in view,
// ordered by case and then by sequence number, and the number of cases now
// in each phase. A phase is entered when a case is opened (REGISTERED) or
// an event changes its phase; the stay ends at the next phase change. A
// stay whose start is not in the events (a case's earlier course was not
// recorded) is not counted. The
// period counts events at or after from and before to.
func Process(events []*CaseEvent, current map[Phase]int, from, to time.Time) ProcessFigures {
	stays := map[Phase][]time.Duration{}
	var caseID string
	var phase Phase
	var entered time.Time
	out := ProcessFigures{From: from, To: to}
	inPeriod := func(e *CaseEvent) bool { return !e.At.Before(from) && e.At.Before(to) }
	for _, e := range events {
		if e.CaseID != caseID {
			caseID, phase = e.CaseID, ""
		}
		if e.Type == EventCaseOpened {
			phase, entered = PhaseRegistered, e.At
			if inPeriod(e) {
				out.Registered++
			}
		}
		switch e.Type {
		case EventEscalated:
			if inPeriod(e) {
				out.Escalated++
			}
		case EventDeescalated:
			if inPeriod(e) {
				out.Deescalated++
			}
		}
		for _, c := range e.Changes {
			if c.Field != "phase" {
				continue
			}
			after := Phase(toString(c.After))
			// The phase left is the change's own "before" where it has one;
			// a stay counts only when its start was seen too.
			left := Phase(toString(c.Before))
			if left == "" {
				left = phase
			}
			if left != "" && left == phase && after != phase {
				stays[phase] = append(stays[phase], e.At.Sub(entered))
			}
			if after == PhaseClosed && inPeriod(e) {
				out.Closed++
			}
			phase, entered = after, e.At
		}
	}
	for _, p := range Phases {
		f := PhaseFigures{Phase: p, Current: current[p], Completed: len(stays[p])}
		if d := stays[p]; len(d) > 0 {
			slices.Sort(d)
			f.Median, f.P90 = nearestRank(d, 50), nearestRank(d, 90)
		}
		out.Phases = append(out.Phases, f)
	}
	return out
}

// nearestRank returns the p-th percentile of sorted durations: the
// smallest with at least p% of them at or below it.
func nearestRank(sorted []time.Duration, p float64) time.Duration {
	i := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	return sorted[max(i, 0)]
}

func toString(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}
