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

// LevelFigures describe one escalation level: how long the cases that
// left it stayed at it.
type LevelFigures struct {
	Level       EscalationLevel
	Completed   int
	Median, P90 time.Duration
}

// MonthFigures count the escalations and de-escalations of one calendar
// month (UTC), "2026-09".
type MonthFigures struct {
	Month                  string
	Escalated, Deescalated int
}

// ProcessFigures are the phases' figures and what happened in a period.
type ProcessFigures struct {
	Phases                                     []PhaseFigures
	Levels                                     []LevelFigures
	Months                                     []MonthFigures
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
	levels := map[EscalationLevel][]time.Duration{}
	var caseID string
	var phase Phase
	var level EscalationLevel
	var entered, raised time.Time
	out := ProcessFigures{From: from, To: to}
	for m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC); m.Before(to) && len(out.Months) < 120; m = m.AddDate(0, 1, 0) {
		out.Months = append(out.Months, MonthFigures{Month: m.Format("2006-01")})
	}
	month := func(e *CaseEvent) *MonthFigures {
		i := slices.IndexFunc(out.Months, func(m MonthFigures) bool { return m.Month == e.At.UTC().Format("2006-01") })
		if i < 0 {
			return &MonthFigures{}
		}
		return &out.Months[i]
	}
	inPeriod := func(e *CaseEvent) bool { return !e.At.Before(from) && e.At.Before(to) }
	for _, e := range events {
		if e.CaseID != caseID {
			caseID, phase, level = e.CaseID, "", ""
		}
		if e.Type == EventCaseOpened {
			phase, entered = PhaseRegistered, e.At
			level, raised = EscalationLocal, e.At
			if inPeriod(e) {
				out.Registered++
			}
		}
		switch e.Type {
		case EventEscalated:
			if inPeriod(e) {
				out.Escalated++
				month(e).Escalated++
			}
		case EventDeescalated:
			if inPeriod(e) {
				out.Deescalated++
				month(e).Deescalated++
			}
		}
		for _, c := range e.Changes {
			if c.Field == "escalationLevel" {
				after, left := EscalationLevel(toString(c.After)), EscalationLevel(toString(c.Before))
				if left != "" && left == level && after != level {
					levels[level] = append(levels[level], e.At.Sub(raised))
				}
				level, raised = after, e.At
				continue
			}
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
	for _, l := range EscalationLevels {
		f := LevelFigures{Level: l, Completed: len(levels[l])}
		if d := levels[l]; len(d) > 0 {
			slices.Sort(d)
			f.Median, f.P90 = nearestRank(d, 50), nearestRank(d, 90)
		}
		out.Levels = append(out.Levels, f)
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
