package graph

import (
	"context"
	"time"

	"casusnet/internal/casus"
)

// processFigures computes the process figures of the dashboard scope the
// caller asks for.
func (r *Resolver) processFigures(ctx context.Context, municipality *string, from, to time.Time) (*casus.ProcessFigures, error) {
	if !to.After(from) {
		return nil, casus.Invalid("to", "the period must end after it starts")
	}
	scope, err := r.dashboardScope(ctx, municipality)
	if err != nil {
		return nil, err
	}
	events, current, err := r.DashboardService.ProcessEvents(ctx, scope)
	if err != nil {
		return nil, err
	}
	f := casus.Process(events, current, from, to)
	return &f, nil
}

// days is a duration in days, nil when there was nothing to measure.
func days(n int, d time.Duration) *float64 {
	if n == 0 {
		return nil
	}
	v := d.Hours() / 24
	return &v
}
