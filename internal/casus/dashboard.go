package casus

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Dashboard is the overview of the cases of some municipalities: how many
// there are in each phase, risk group, municipality and escalation level,
// how loaded the directors are, and what needs attention now.
//
// Figures are aggregates: they name no case or person, so everyone who may
// see the cases of a municipality may see its dashboard.
type Dashboard struct {
	// Municipalities are the municipalities it covers; nil means all.
	Municipalities []string
	// OpenCases counts the cases not closed.
	OpenCases int
	// ByPhase counts every case, closed ones included, per phase.
	ByPhase []Tally
	// ByRiskGroup, ByMunicipality and ByEscalationLevel count open cases.
	ByRiskGroup, ByMunicipality, ByEscalationLevel []Tally
	// Directors are the directors serving these municipalities, with their
	// open cases (anywhere) against their capacity.
	Directors []DirectorLoad
	// OverdueReviews counts open cases whose review date has passed.
	OverdueReviews int
	// NewSignals counts signals no one has looked at yet.
	NewSignals int
	// TrainedStaff counts the participants of trainings in these
	// municipalities; SignalsFromTrained the signals from organisations
	// trained there.
	TrainedStaff, SignalsFromTrained int
	// StagnatingGoals counts the goals of open cases' plans that made no
	// progress for the stagnation period.
	StagnatingGoals int
	// OverdueActions counts the open actions past their due date per
	// owning organisation (its id).
	OverdueActions []Tally
	// OverdueReassessments counts open cases whose latest risk assessment's
	// next date has passed; InformingOverdue those whose decision not to
	// inform the person is past its reconsideration date.
	OverdueReassessments, InformingOverdue int
	// AsOf is when the figures were computed.
	AsOf time.Time
}

// Tally is a count under a key, such as a phase.
type Tally struct {
	Key   string
	Count int
}

// DirectorLoad is a director's open cases against their capacity.
type DirectorLoad struct {
	DirectorID string
	OpenCases  int
	Capacity   int
	// ByPhase counts their open cases per phase; OverdueReviews those
	// whose review date has passed.
	ByPhase        []Tally
	OverdueReviews int
}

func sameLoad(a, b DirectorLoad) bool {
	return a.DirectorID == b.DirectorID && a.OpenCases == b.OpenCases && a.Capacity == b.Capacity &&
		a.OverdueReviews == b.OverdueReviews && slices.Equal(a.ByPhase, b.ByPhase)
}

// Same reports whether d and o show the same figures (AsOf aside).
func (d *Dashboard) Same(o *Dashboard) bool {
	if d == nil || o == nil {
		return d == o
	}
	return slices.Equal(d.Municipalities, o.Municipalities) && d.OpenCases == o.OpenCases &&
		slices.Equal(d.ByPhase, o.ByPhase) && slices.Equal(d.ByRiskGroup, o.ByRiskGroup) &&
		slices.Equal(d.ByMunicipality, o.ByMunicipality) && slices.Equal(d.ByEscalationLevel, o.ByEscalationLevel) &&
		slices.EqualFunc(d.Directors, o.Directors, sameLoad) && d.OverdueReviews == o.OverdueReviews && d.NewSignals == o.NewSignals &&
		d.TrainedStaff == o.TrainedStaff && d.SignalsFromTrained == o.SignalsFromTrained &&
		d.StagnatingGoals == o.StagnatingGoals && slices.Equal(d.OverdueActions, o.OverdueActions) &&
		d.OverdueReassessments == o.OverdueReassessments && d.InformingOverdue == o.InformingOverdue
}

// DashboardScope is the set of municipalities one dashboard covers.
// Dashboards of the same scope are the same for everyone who sees them, so
// they are computed once for all of their viewers.
type DashboardScope struct {
	// All is set for the whole region (coordinators only).
	All bool
	// Municipalities are sorted CBS codes, when not All; none means nothing
	// at all: a token without a municipalities claim sees no figures.
	Municipalities []string
}

// Codes returns the municipalities of the scope for a query parameter:
// nil for the whole region, else the codes (an empty, non-nil list when
// there are none, which matches nothing).
func (s DashboardScope) Codes() []string {
	if s.All {
		return nil
	}
	if s.Municipalities == nil {
		return []string{}
	}
	return s.Municipalities
}

// Key identifies the scope.
func (s DashboardScope) Key() string {
	if s.All {
		return "*"
	}
	return "m:" + strings.Join(s.Municipalities, ",")
}

// DashboardScopeFor returns the scope of the dashboard the actor on ctx asks
// for: of one municipality, or with municipality empty of all they may see.
// Coordinators see every municipality; directors, mayors and analysts those
// they serve; anyone else no dashboard at all.
func DashboardScopeFor(ctx context.Context, municipality string) (DashboardScope, error) {
	a, ok := ActorFrom(ctx)
	if !ok || a.ID == "" {
		return DashboardScope{}, Errorf(EUNAUTHENTICATED, "sign in first")
	}
	switch a.Role {
	case RoleCoordinator:
		if municipality == "" {
			return DashboardScope{All: true}, nil
		}
		return DashboardScope{Municipalities: []string{municipality}}, nil
	case RoleDirector, RoleMayor, RoleAnalyst:
		if municipality == "" {
			codes := slices.Clone(a.Municipalities)
			slices.Sort(codes)
			return DashboardScope{Municipalities: slices.Compact(codes)}, nil
		}
		if !slices.Contains(a.Municipalities, municipality) {
			return DashboardScope{}, Errorf(EFORBIDDEN, "municipality %s is not yours", municipality)
		}
		return DashboardScope{Municipalities: []string{municipality}}, nil
	}
	return DashboardScope{}, Errorf(EFORBIDDEN, "a %s has no dashboard", roleWord(a.Role))
}

// DashboardService computes dashboards.
type DashboardService interface {
	// Dashboards returns the dashboard of each scope, in order, computed
	// together. It applies no caller's scope: callers check it first with
	// DashboardScopeFor.
	Dashboards(ctx context.Context, scopes []DashboardScope) ([]*Dashboard, error)
	// ProcessEvents returns the events that move the cases of scope
	// through the process (opened, phase changes, escalations), ordered by
	// case and sequence number, and how many cases are in each phase now.
	ProcessEvents(ctx context.Context, scope DashboardScope) ([]*CaseEvent, map[Phase]int, error)
}
